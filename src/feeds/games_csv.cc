// The project's games CSV: one row per game update, columns found by name
// in the header row. The columns are listed in docs/feeds.md.

#include <map>

#include "feeds/csv.h"
#include "feeds/feed_internal.h"
#include "feeds/import_internal.h"

namespace parlay::feeds {
namespace {

using nlohmann::json;

constexpr std::string_view kRequiredColumns[] = {"id", "home", "away", "status",
                                                 "updated_at"};

constexpr std::string_view kOptionalColumns[] = {
    "home_score",
    "away_score",
    "sport",
    "status_detail",
    "extra_time",
    "regulation_home_score",
    "regulation_away_score",
    "first_half_home_score",
    "first_half_away_score",
    "q1_home_score",
    "q1_away_score",
    "q2_home_score",
    "q2_away_score",
    "q3_home_score",
    "q3_away_score",
    "q4_home_score",
    "q4_away_score",
    "shootout_home_score",
    "shootout_away_score",
};

constexpr std::string_view kStatusNames[] = {
    "scheduled", "in_progress", "final",      "suspended", "postponed",
    "cancelled", "abandoned",   "no_contest", "unknown"};

// The cells of one row by column name; absent columns read as empty.
class Row {
 public:
  Row(const CsvRow& row, const std::map<std::string, size_t>& columns)
      : row_(row), columns_(columns) {}

  std::string Cell(std::string_view name) const {
    const auto it = columns_.find(std::string(name));
    if (it == columns_.end() || it->second >= row_.fields.size()) return "";
    return row_.fields[it->second];
  }

 private:
  const CsvRow& row_;
  const std::map<std::string, size_t>& columns_;
};

// Reads an optional score cell: empty means no score.
std::optional<int> OptionalScore(const Row& row, std::string_view column,
                                 FeedChecker& check) {
  const std::string cell = row.Cell(column);
  if (cell.empty()) return std::nullopt;
  return check.ScoreValue(json(cell), std::string(column),
                          /*allow_number=*/false);
}

// Reads a pair of score cells, both or neither.
std::optional<Score> OptionalPair(const Row& row, const std::string& prefix,
                                  FeedChecker& check) {
  const std::optional<int> home =
      OptionalScore(row, prefix + "_home_score", check);
  const std::optional<int> away =
      OptionalScore(row, prefix + "_away_score", check);
  if (home.has_value() != away.has_value()) {
    check.Add(prefix + "_home_score", "only one of the two scores given",
              "both " + prefix + "_home_score and " + prefix +
                  "_away_score, or neither");
    return std::nullopt;
  }
  if (!home) return std::nullopt;
  return Score{*home, *away};
}

std::optional<ScoreUpdate> ReadRow(std::string_view source, int record,
                                   const Row& row, FeedChecker& check) {
  const auto required = [&](std::string_view column,
                            std::string_view description) {
    std::string cell = row.Cell(column);
    if (cell.empty())
      check.Missing(std::string(column), std::string(description));
    return cell;
  };
  const std::string id = required("id", "the stored game's id");
  const std::string home = required("home", "the home team's name");
  const std::string away = required("away", "the away team's name");
  const std::string status_text =
      required("status", "one of " + JoinNames(kStatusNames, "or"));
  const std::string updated_text = required("updated_at",
                                            "an ISO 8601 time such as "
                                            "\"2026-06-29T19:05:00Z\"");

  ScoreUpdate update;
  Game& result = update.result;
  if (!status_text.empty()) {
    const std::optional<GameStatus> status = ParseGameStatus(status_text);
    if (status) {
      result.status = *status;
    } else {
      check.InvalidText("status", status_text,
                        "one of " + JoinNames(kStatusNames, "or"));
    }
  }
  if (!updated_text.empty()) {
    if (std::optional<int64_t> time =
            check.TimeText(updated_text, json(updated_text), "updated_at")) {
      result.updated_at = *time;
    }
  }
  result.home_score = OptionalScore(row, "home_score", check);
  result.away_score = OptionalScore(row, "away_score", check);
  if (result.home_score.has_value() != result.away_score.has_value()) {
    check.Add("home_score", "only one of the two scores given",
              "both home_score and away_score, or neither");
  }
  result.sport = row.Cell("sport");
  result.status_detail = row.Cell("status_detail");
  const std::string extra_time = row.Cell("extra_time");
  if (extra_time == "true") {
    result.extra_time = true;
  } else if (extra_time == "false") {
    result.extra_time = false;
  } else if (!extra_time.empty()) {
    check.InvalidText("extra_time", extra_time,
                      "true, false, or empty when not known");
  }
  result.periods.regulation = OptionalPair(row, "regulation", check);
  result.periods.first_half = OptionalPair(row, "first_half", check);
  for (size_t quarter = 0; quarter < 4; ++quarter) {
    result.periods.quarters[quarter] =
        OptionalPair(row, "q" + std::to_string(quarter + 1), check);
  }
  result.shootout = OptionalPair(row, "shootout", check);
  if (!check.ok()) return std::nullopt;

  update.source = std::string(source) + " record " + std::to_string(record) +
                  " (game \"" + id + "\")";
  update.event_id = id;
  update.game_id = id;
  update.home_names = {home};
  update.away_names = {away};
  return update;
}

}  // namespace

FeedSnapshot ParseGamesCsv(std::string_view source, std::string_view text) {
  FeedSnapshot snapshot;
  const std::string file(source);
  CsvTable table = ParseCsv(text);
  for (const CsvError& error : table.errors) {
    snapshot.problems.push_back(
        {file, 0, error.line, "", "", error.message, "a well-formed CSV row"});
  }
  if (table.rows.empty()) {
    snapshot.problems.push_back({file, 0, 0, "", "", "no header row",
                                 "a header row naming the columns"});
    return snapshot;
  }
  std::map<std::string, size_t> columns;
  const CsvRow& header = table.rows.front();
  for (size_t i = 0; i < header.fields.size(); ++i) {
    const std::string& name = header.fields[i];
    bool known = false;
    for (std::string_view column : kRequiredColumns) known |= column == name;
    for (std::string_view column : kOptionalColumns) known |= column == name;
    if (!known) {
      snapshot.problems.push_back({file, 0, header.line, name, "",
                                   "unknown column",
                                   "only the columns listed in docs/feeds.md"});
    } else if (!columns.emplace(name, i).second) {
      snapshot.problems.push_back({file, 0, header.line, name, "",
                                   "column given more than once",
                                   "each column once"});
    }
  }
  for (std::string_view column : kRequiredColumns) {
    if (!columns.contains(std::string(column))) {
      snapshot.problems.push_back(
          {file, 0, header.line, std::string(column), "", "missing column",
           "the columns " + JoinNames(kRequiredColumns, "and")});
    }
  }
  if (!snapshot.problems.empty()) return snapshot;
  if (table.rows.size() - 1 > kMaxEventsPerSnapshot) {
    snapshot.problems.push_back(
        {file, 0, 0, "", "",
         "too many rows (" + std::to_string(table.rows.size() - 1) + ")",
         "at most " + std::to_string(kMaxEventsPerSnapshot) + " per file"});
    return snapshot;
  }

  for (size_t i = 1; i < table.rows.size(); ++i) {
    const CsvRow& csv_row = table.rows[i];
    const int record = static_cast<int>(i);
    FeedChecker check(file, record, csv_row.line, snapshot.problems);
    if (csv_row.fields.size() != header.fields.size()) {
      check.Add("",
                "row has " + std::to_string(csv_row.fields.size()) + " fields",
                std::to_string(header.fields.size()) +
                    " fields, one per header column");
      continue;
    }
    if (std::optional<ScoreUpdate> update =
            ReadRow(source, record, Row(csv_row, columns), check)) {
      snapshot.updates.push_back(std::move(*update));
    }
  }
  return snapshot;
}

}  // namespace parlay::feeds
