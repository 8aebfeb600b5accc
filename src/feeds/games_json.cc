// ImportGames: the games JSON format (docs/formats.md).

#include <spdlog/spdlog.h>

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "feeds/import.h"
#include "feeds/import_internal.h"
#include "feeds/json_records.h"
#include "feeds/record_import.h"
#include "rules/grading.h"
#include "rules/types.h"
#include "util/time.h"

namespace parlay {
namespace {

using feeds::RecordChecker;
using nlohmann::json;

constexpr std::string_view kGameFields[] = {
    "id",     "league",        "home",       "away",          "start_time",
    "status", "home_score",    "away_score", "period_scores", "updated_at",
    "sport",  "status_detail", "extra_time", "periods",       "shootout"};

constexpr std::string_view kStatusNames[] = {
    "scheduled", "in_progress", "final",      "suspended", "postponed",
    "cancelled", "abandoned",   "no_contest", "unknown"};

constexpr std::string_view kPeriodNames[] = {"regulation", "first_half", "q1",
                                             "q2",         "q3",         "q4"};

constexpr int kMaxScore = 9999;

constexpr std::string_view kTimeDescription =
    "an ISO 8601 time such as \"2023-09-08T00:20:00Z\" or "
    "\"2023-09-07T20:20:00-04:00\"";

// Reads a time field. Returns nullopt, with a problem added unless the
// field is absent and optional, when there is no valid time.
std::optional<int64_t> ReadTime(const json& object, std::string_view key,
                                bool required, RecordChecker& check) {
  const json* value = feeds::FindMember(object, key);
  if (value == nullptr || (!required && value->is_null())) {
    if (required) {
      check.Missing(std::string(key), std::string(kTimeDescription));
    }
    return std::nullopt;
  }
  if (!value->is_string()) {
    check.Invalid(std::string(key), *value,
                  std::string(kTimeDescription) + ", a string, not " +
                      feeds::JsonTypeName(*value));
    return std::nullopt;
  }
  Result<int64_t> time = ParseIso8601(value->get<std::string>());
  if (!time.ok()) {
    check.Invalid(std::string(key), *value, std::string(kTimeDescription));
    return std::nullopt;
  }
  return time.value();
}

// Reads home_score or away_score: absent and null both mean no score.
std::optional<int> ReadScore(const json& object, std::string_view key,
                             RecordChecker& check) {
  const json* value = feeds::FindMember(object, key);
  if (value == nullptr || value->is_null()) return std::nullopt;
  const bool in_range =
      (value->is_number_integer() || value->is_number_unsigned()) &&
      value->get<int64_t>() >= 0 && value->get<int64_t>() <= kMaxScore;
  if (!in_range) {
    check.Invalid(std::string(key), *value,
                  "an integer from 0 to " + std::to_string(kMaxScore) +
                      ", or null when there is no score");
    return std::nullopt;
  }
  return static_cast<int>(value->get<int64_t>());
}

// Reads [home, away] scores such as [1, 1]. Returns nullopt, with a problem
// added, when the value is not such a pair.
std::optional<Score> ReadScorePair(const json& value, const std::string& field,
                                   RecordChecker& check) {
  const auto valid_score = [](const json& score) {
    return (score.is_number_integer() || score.is_number_unsigned()) &&
           score.get<int64_t>() >= 0 && score.get<int64_t>() <= kMaxScore;
  };
  if (!value.is_array() || value.size() != 2 || !valid_score(value[0]) ||
      !valid_score(value[1])) {
    check.Invalid(field, value,
                  "[home, away] scores from 0 to " + std::to_string(kMaxScore) +
                      ", such as [1, 0]");
    return std::nullopt;
  }
  return Score{value[0].get<int>(), value[1].get<int>()};
}

// Reads the optional structured fields that grading uses: sport,
// status_detail, extra_time, periods and shootout.
void ReadResultDetails(const json& object, Game& game, RecordChecker& check) {
  bool ignored = true;
  game.sport = check
                   .OptionalText(object, "", "sport",
                                 "a sport such as \"soccer\" or "
                                 "\"american_football\"",
                                 &ignored)
                   .value_or("");
  game.status_detail = check
                           .OptionalText(object, "", "status_detail",
                                         "the provider's status text", &ignored)
                           .value_or("");
  if (const json* value = feeds::FindMember(object, "extra_time");
      value != nullptr && !value->is_null()) {
    if (value->is_boolean()) {
      game.extra_time = value->get<bool>();
    } else {
      check.Invalid("extra_time", *value,
                    "true or false: whether the game went to overtime or "
                    "extra time");
    }
  }
  if (const json* value = feeds::FindMember(object, "shootout");
      value != nullptr && !value->is_null()) {
    game.shootout = ReadScorePair(*value, "shootout", check);
  }
  const json* periods = feeds::FindMember(object, "periods");
  if (periods == nullptr || periods->is_null()) return;
  if (!periods->is_object()) {
    check.Invalid("periods", *periods,
                  "an object of [home, away] scores by period, such as "
                  "{\"regulation\": [1, 1]}");
    return;
  }
  for (const auto& [name, pair] : periods->items()) {
    const std::optional<Period> period = ParsePeriod(name);
    if (!period || *period == Period::kGame) {
      check.Add("periods." + name, "unknown period",
                "only the periods " + feeds::JoinNames(kPeriodNames, "and"));
      continue;
    }
    game.periods.Set(*period, ReadScorePair(pair, "periods." + name, check));
  }
}

std::optional<GameStatus> ReadStatus(const json& object, RecordChecker& check) {
  const std::string expected = "one of " + feeds::JoinNames(kStatusNames, "or");
  const json* value = feeds::FindMember(object, "status");
  if (value == nullptr) {
    check.Missing("status", expected);
    return std::nullopt;
  }
  std::optional<GameStatus> status;
  if (value->is_string()) status = ParseGameStatus(value->get<std::string>());
  if (!status) check.Invalid("status", *value, expected);
  return status;
}

// Reads one game record. Returns nullopt when it has any problem.
std::optional<Game> ReadGame(const feeds::JsonRecord& record,
                             RecordChecker& check) {
  const json& object = record.value;
  if (!object.is_object()) {
    check.Invalid("", object,
                  "a JSON object with the fields " +
                      feeds::JoinNames(kGameFields, "and") + ", not " +
                      feeds::JsonTypeName(object));
    return std::nullopt;
  }
  check.CheckDuplicateKeys();
  check.CheckKnownFields(object, "", kGameFields);

  Game game;
  const auto id = check.RequiredText(object, "", "id",
                                     "a game id such as \"2023-09-07-DET-KC\"");
  if (id) feeds::CheckIdHasNoSlash(*id, check);
  const auto league =
      check.RequiredText(object, "", "league", "a league such as \"NFL\"");
  const auto home =
      check.RequiredText(object, "", "home",
                         "the home team's name such as \"Kansas City Chiefs\"");
  const auto away = check.RequiredText(
      object, "", "away", "the away team's name such as \"Detroit Lions\"");
  if (home && away && NormalizeTeamName(*home) == NormalizeTeamName(*away)) {
    check.InvalidText("away", *away,
                      "a team other than the home team \"" + *home +
                          "\" (names are compared ignoring case, spaces, "
                          "dots and hyphens)");
  }
  const std::optional<int64_t> start_time =
      ReadTime(object, "start_time", /*required=*/true, check);
  const std::optional<GameStatus> status = ReadStatus(object, check);
  game.home_score = ReadScore(object, "home_score", check);
  game.away_score = ReadScore(object, "away_score", check);
  const std::optional<int64_t> updated_at =
      ReadTime(object, "updated_at", /*required=*/false, check);
  if (const json* periods = feeds::FindMember(object, "period_scores")) {
    if (!periods->is_null()) {
      game.period_scores =
          periods->dump(-1, ' ', false, json::error_handler_t::replace);
    }
  }
  ReadResultDetails(object, game, check);
  if (!check.ok()) return std::nullopt;

  game.id = *id;
  game.league = *league;
  game.home = *home;
  game.away = *away;
  game.start_time = *start_time;
  game.status = *status;
  // With no problem added, a missing time means the field was absent.
  game.updated_at = updated_at.value_or(*start_time);
  return game;
}

}  // namespace

ImportReport ImportGames(Store& store, std::span<const std::string> files,
                         const ImportOptions& options) {
  ImportReport report;
  std::vector<feeds::FileRecords> inputs = feeds::ReadAllRecords(files, report);
  return feeds::ImportGameRecords(store, inputs, std::move(report), options);
}

namespace feeds {

std::vector<Game> ReadGameRecords(std::span<const FileRecords> inputs,
                                  ImportReport& report) {
  std::vector<Game> games;
  for (const FileRecords& input : inputs) {
    for (const JsonRecord& record : input.records) {
      RecordChecker check(input.file, record, report.problems);
      if (std::optional<Game> game = ReadGame(record, check)) {
        games.push_back(std::move(*game));
      }
    }
  }
  return games;
}

namespace {

// Adds a problem for each game whose stored copy has legs and other teams.
// Legs name their selection by team, so a game that changed teams would
// grade them against a match the bettor never picked. Such games are
// dropped from `games`; the whole request fails unless skip_invalid is set.
void RejectTeamChanges(Store& store, std::vector<Game>& games,
                       std::vector<ImportProblem>& sources,
                       ImportReport& report, const ImportOptions& options) {
  std::vector<std::string> ids;
  for (const Game& game : games) ids.push_back(game.id);
  std::map<std::string, Game> stored;
  for (Game& game : store.GetGames(ids)) {
    std::string id = game.id;
    stored.emplace(std::move(id), std::move(game));
  }
  std::vector<Game> kept;
  for (size_t i = 0; i < games.size(); ++i) {
    const auto it = stored.find(games[i].id);
    const bool changed =
        it != stored.end() &&
        (it->second.home != games[i].home || it->second.away != games[i].away);
    if (!changed || store.ListGameLegs(games[i].id, 1).empty()) {
      kept.push_back(std::move(games[i]));
      continue;
    }
    const bool home = it->second.home != games[i].home;
    ImportProblem problem = sources[i];
    problem.field = home ? "home" : "away";
    problem.value = nlohmann::json(home ? games[i].home : games[i].away).dump();
    problem.error = "game \"" + games[i].id +
                    "\" has bets on its stored teams, which cannot change";
    problem.expected = "\"" + it->second.home + "\" at home and \"" +
                       it->second.away +
                       "\" away; void the game and post the match under a "
                       "new id";
    report.problems.push_back(std::move(problem));
  }
  games = std::move(kept);
  ThrowIfInvalid(report, options);
}

}  // namespace

ImportReport ImportGameRecords(Store& store,
                               std::span<const FileRecords> inputs,
                               ImportReport report,
                               const ImportOptions& options) {
  std::vector<std::string> files;
  for (const FileRecords& input : inputs) files.push_back(input.file);

  std::vector<Game> games;
  std::vector<ImportProblem> sources;  // file, record and line of each game
  for (const feeds::FileRecords& input : inputs) {
    for (const feeds::JsonRecord& record : input.records) {
      RecordChecker check(input.file, record, report.problems);
      if (std::optional<Game> game = ReadGame(record, check)) {
        games.push_back(std::move(*game));
        ImportProblem source;
        source.file = input.file;
        source.record = record.number;
        source.line = record.line;
        sources.push_back(std::move(source));
      }
    }
  }
  feeds::SortProblems(files, report.problems);
  feeds::ThrowIfInvalid(report, options);

  RejectTeamChanges(store, games, sources, report, options);
  feeds::UpsertNewestGames(store, std::move(games), report);
  spdlog::info(
      "imported {} of {} game records from {} files ({} superseded, {} "
      "problems)",
      report.imported, report.records, files.size(), report.superseded,
      report.problems.size());
  return report;
}

}  // namespace feeds

}  // namespace parlay
