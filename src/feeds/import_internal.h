// Helpers shared by the importers in src/feeds: file reading, problem
// building and the game write step. Not part of the public API.

#ifndef PARLAY_FEEDS_IMPORT_INTERNAL_H_
#define PARLAY_FEEDS_IMPORT_INTERNAL_H_

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "feeds/import.h"
#include "feeds/json_records.h"
#include "rules/model.h"
#include "store/store.h"
#include "util/result.h"

namespace parlay::feeds {

// ImportProblem::value is shortened to this many characters.
inline constexpr size_t kMaxProblemValueChars = 80;

// Problems listed in ImportError::what(); problems() keeps them all.
inline constexpr size_t kMaxProblemsInMessage = 20;

// Reads a whole file. The error is "cannot open file: <reason>" or
// "cannot read file: <reason>" with the operating system's reason.
Result<std::string> ReadFileText(const std::string& path);

// Returns `text` as a JSON string literal, shortened for ImportProblem::value.
std::string QuoteValue(std::string_view text);

// Cuts `text` to kMaxProblemValueChars, ending it with "..." when cut.
std::string ShortenValue(std::string text);

// Returns the reason part of a rules error such as
// `invalid odds "+50": American odds must be >= +100`, or the whole message
// when it has no such prefix.
std::string ReasonOf(const std::string& message);

// Returns "a, b or c" (with `conjunction` "or") for messages.
std::string JoinNames(std::span<const std::string_view> names,
                      std::string_view conjunction);

// Orders `problems` by file (in the order of `files`), then by record,
// keeping the order of problems within a record.
void SortProblems(std::span<const std::string> files,
                  std::vector<ImportProblem>& problems);

// Throws ImportError with report.problems unless there are none or
// `options.skip_invalid` is set.
void ThrowIfInvalid(const ImportReport& report, const ImportOptions& options);

// Reads the game records of the games JSON format, adding a problem for
// each invalid one to `report`. Returns the valid games.
std::vector<Game> ReadGameRecords(std::span<const FileRecords> inputs,
                                  ImportReport& report);

// Writes `games` with one UpsertGames call, except the superseded ones. A
// game is superseded when it appears again later in `games` with an
// updated_at at least as recent, when its stored copy has a later
// updated_at, or when an operator voided it (stored with a void_reason).
// Adds the written and the superseded counts to `report`.
void UpsertNewestGames(Store& store, std::vector<Game> games,
                       ImportReport& report);

}  // namespace parlay::feeds

#endif  // PARLAY_FEEDS_IMPORT_INTERNAL_H_
