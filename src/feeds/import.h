// Importers for the project's own JSON formats (games, parlays) and the NFL
// history CSV. Each import validates the whole input first: with any invalid
// record nothing is written (unless skip_invalid), and every problem names
// the file, the record number, the field, the value and what was expected.
// The formats are documented in docs/formats.md.

#ifndef PARLAY_FEEDS_IMPORT_H_
#define PARLAY_FEEDS_IMPORT_H_

#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "rules/model.h"
#include "store/store.h"
#include "util/time.h"

namespace parlay {

// One invalid record, or one unreadable file when record is 0. record is
// 1-based: the array element, the line of a JSON Lines file, or the data row
// of a CSV file (the header row not counted).
struct ImportProblem {
  std::string file;
  int record = 0;
  int line = 0;       // line where the record starts; 0 when not known
  std::string field;  // e.g. "legs[0].odds"; empty for a whole record
  // The offending value as JSON text ("\"abc\"", "12", "null"), shortened
  // if long; empty when the value is missing.
  std::string value;
  // The kind of problem when it is not an invalid or missing value, e.g.
  // "unknown field" or "invalid JSON at column 7 (...)". Empty otherwise.
  std::string error;
  std::string expected;  // what would be valid

  // "games.json record 3, field home_score: invalid value \"abc\";
  // expected an integer >= 0 or null". A record whose line differs from its
  // number adds it: "record 3 (line 9)".
  std::string ToString() const;
};

struct ImportReport {
  int records = 0;   // records read
  int imported = 0;  // records written
  // Valid game records not written because a newer version exists (later in
  // the input, or stored with a later updated_at) or because an operator
  // voided the stored game.
  int superseded = 0;
  std::vector<ImportProblem> problems;
  // Records kept with one part dropped, such as an NFL game whose closing
  // spread could not be read. They do not block an import.
  std::vector<ImportProblem> warnings;
};

// Thrown when input is invalid and skip_invalid is false. Also thrown with
// skip_invalid set when a file cannot be read or parsed as a whole. what()
// lists up to 20 problems, and problems() returns them all. Nothing was
// written.
class ImportError : public std::runtime_error {
 public:
  explicit ImportError(std::vector<ImportProblem> problems);
  const std::vector<ImportProblem>& problems() const { return problems_; }

 private:
  std::vector<ImportProblem> problems_;
};

// Limits on newly placed parlays beyond what the settlement rules need,
// against input mistakes such as a stake typed with extra zeros. The
// service reads them from its configuration. Imports use the defaults.
struct ParlayLimits {
  size_t max_legs = 20;
  // Maximum stake in major units of the parlay's currency: 100000 allows
  // up to 100000.00 USD and up to 100000 JPY alike.
  int64_t max_stake_units = 100'000;
};

struct ImportOptions {
  bool skip_invalid = false;  // write the valid records, report the rest
};

// Imports games (JSON array or JSON Lines) from every file, validated
// together and written in one transaction. A record is not written when a
// newer version of its game exists (see ImportReport::superseded). A file
// that cannot be read or parsed as a whole throws ImportError even with
// skip_invalid.
ImportReport ImportGames(Store& store, std::span<const std::string> files,
                         const ImportOptions& options);

// Imports parlays (JSON array or JSON Lines). Every leg's game must exist
// (in the store) and its selection must match the game's teams; placed_at
// defaults to the clock's time when absent.
ImportReport ImportParlays(Store& store, std::span<const std::string> files,
                           const ImportOptions& options, const Clock& clock);

// An NFL game from the history CSV with its closing lines.
struct NflGame {
  Game game;
  int season = 0;
  std::optional<Selection> favorite;  // nullopt for a pick'em or no line
  std::optional<Line> spread;  // the favourite's spread, <= 0; 0 for PICK
  std::optional<Line> total;
};

// Reads the NFL history CSV (spreadspoke format) with the team table
// `teams_csv` (nfl_teams.csv) used to resolve team names and favourite ids.
// Invalid rows become problems in `report`; the valid rows are returned.
// A row whose spread or total cannot be read is kept without that line and
// gets a warning. Throws ImportError when a file cannot be read or lacks a
// needed column.
std::vector<NflGame> ReadNflCsv(const std::string& scores_csv,
                                const std::string& teams_csv,
                                ImportReport& report);

// Imports the NFL history CSV as games (see ReadNflCsv).
ImportReport ImportNflCsv(Store& store, const std::string& scores_csv,
                          const std::string& teams_csv,
                          const ImportOptions& options);

// Generates `count` parlays of 1 to max_legs legs on moneyline, spread and
// total at the games' closing lines, deterministically from `seed`. Games
// without a needed line are skipped for that market; no parlay has two legs
// on one game. Account ids, stakes and placement times come from the seed.
// Moneyline prices are synthetic (docs/formats.md). Throws
// std::invalid_argument for a negative count, max_legs below 1, or a
// positive count with no game that has a line.
std::vector<Parlay> GenerateNflParlays(std::span<const NflGame> games,
                                       int count, int max_legs, uint64_t seed);

}  // namespace parlay

#endif  // PARLAY_FEEDS_IMPORT_H_
