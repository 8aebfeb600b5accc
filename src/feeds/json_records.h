// Reading JSON record files (a JSON array or JSON Lines) and checking the
// fields of one record, for the games and parlays importers.

#ifndef PARLAY_FEEDS_JSON_RECORDS_H_
#define PARLAY_FEEDS_JSON_RECORDS_H_

#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "feeds/import.h"

namespace parlay::feeds {

// One top-level value of a record file.
struct JsonRecord {
  int number = 0;  // 1-based array element, or line of a JSON Lines file
  int line = 0;    // line where the record starts
  nlohmann::json value;
  // Paths of object keys given twice, e.g. "legs[0].odds". nlohmann::json
  // keeps only the last value, so these are reported as problems.
  std::vector<std::string> duplicate_keys;
};

struct JsonFile {
  // False when the file could not be opened, or is a JSON array that does
  // not parse, so that none of its records could be read.
  bool readable = false;
  std::vector<JsonRecord> records;
  // The reason the file is unreadable, or the lines of a JSON Lines file
  // that are not valid JSON (each one an unreadable record).
  std::vector<ImportProblem> problems;
};

// Reads `path` as a JSON array of records when its first non-blank character
// is '[', and as JSON Lines (one record per line, blank lines skipped)
// otherwise. A UTF-8 byte order mark is skipped.
JsonFile ReadJsonRecords(const std::string& path);

// Parses an HTTP request body: a JSON array of records, or one JSON value
// that may span several lines. `source` names the body in problems.
// Duplicate keys and line numbers are found as ReadJsonRecords finds them.
JsonFile ParseJsonBody(const std::string& source, std::string_view text);

// The records of one file of an import.
struct FileRecords {
  std::string file;
  std::vector<JsonRecord> records;
};

// Reads every file with ReadJsonRecords, adding the records read and the
// unreadable lines to `report`. Throws ImportError when a file is
// unreadable as a whole, even with skip_invalid, because none of its
// records could be checked. All files are read first, so the error lists
// every unreadable one.
std::vector<FileRecords> ReadAllRecords(std::span<const std::string> files,
                                        ImportReport& report);

// Returns the JSON text of `value` for ImportProblem::value, shortened.
std::string JsonValueText(const nlohmann::json& value);

// Returns whether `text` has an ASCII control character (below 0x20, or
// 0x7F), which would break a log line or a terminal when printed.
bool HasControlCharacter(std::string_view text);

// Returns whether `text` is valid UTF-8, as checked by the JSON library
// that later writes every stored text into API responses, audit rows and
// outbox payloads.
bool IsValidUtf8(std::string_view text);

// Names a JSON value's type for messages: "a string", "a number", "null".
std::string JsonTypeName(const nlohmann::json& value);

// Checks the fields of one record, adding each problem with the record's
// file, number and line.
class RecordChecker {
 public:
  RecordChecker(const std::string& file, const JsonRecord& record,
                std::vector<ImportProblem>& problems);

  // Adds a problem with an invalid value.
  void Invalid(std::string field, const nlohmann::json& value,
               std::string expected);
  // Adds a problem with an invalid value given as text (quoted as a JSON
  // string).
  void InvalidText(std::string field, std::string_view text,
                   std::string expected);
  void Missing(std::string field, std::string expected);
  // Adds a problem other than an invalid or missing value.
  void Add(std::string field, std::string error, std::string expected);
  // Adds a problem other than an invalid value, showing the value, e.g.
  // `duplicate id "t-1"`.
  void AddWithValue(std::string field, std::string error,
                    const nlohmann::json& value, std::string expected);

  // True when this checker has added no problem.
  bool ok() const { return added_ == 0; }
  // Problems added so far.
  int count() const { return added_; }

  // Reports the record's duplicate keys.
  void CheckDuplicateKeys();

  // Reports every key of `object` that is not in `known`. `prefix` is put
  // before field names, e.g. "legs[0].".
  void CheckKnownFields(const nlohmann::json& object, std::string_view prefix,
                        std::span<const std::string_view> known);

  // Reads a text field: a non-empty string of at most kMaxTextBytes bytes
  // without control characters or surrounding spaces. Returns
  // nullopt, with a problem added, when it is missing or invalid.
  // `description` describes the text, e.g. "a game id such as \"g-1\"".
  std::optional<std::string> RequiredText(const nlohmann::json& object,
                                          std::string_view prefix,
                                          std::string_view key,
                                          std::string_view description);

  // Like RequiredText, but an absent or null field returns nullopt without
  // a problem. Sets `*valid` to false when the field is present and
  // invalid.
  std::optional<std::string> OptionalText(const nlohmann::json& object,
                                          std::string_view prefix,
                                          std::string_view key,
                                          std::string_view description,
                                          bool* valid);

  // Text fields longer than this are rejected.
  static constexpr size_t kMaxTextBytes = 200;

 private:
  // Returns an empty string for valid text, else what is wrong with it.
  static std::string TextFault(std::string_view text);

  std::optional<std::string> ReadText(const nlohmann::json& value,
                                      std::string field,
                                      std::string_view description);

  const std::string& file_;
  const JsonRecord& record_;
  std::vector<ImportProblem>& problems_;
  int added_ = 0;
};

// Adds a problem on field "id" when `id` contains '/': the routes that take
// an id in their path, such as GET /v1/parlays/{id}, could not address it.
void CheckIdHasNoSlash(const std::string& id, RecordChecker& check);

// Returns the member `key` of the JSON object `object`, or nullptr.
const nlohmann::json* FindMember(const nlohmann::json& object,
                                 std::string_view key);

}  // namespace parlay::feeds

#endif  // PARLAY_FEEDS_JSON_RECORDS_H_
