// Provider names, snapshot parsing dispatch, record checks and the team
// alias table shared by the score feed adapters.

#include <spdlog/spdlog.h>

#include <mutex>
#include <set>
#include <stdexcept>
#include <utility>

#include "feeds/csv.h"
#include "feeds/feed_internal.h"
#include "feeds/import_internal.h"
#include "feeds/json_records.h"
#include "rules/grading.h"
#include "util/json_depth.h"

namespace parlay {
namespace {

using nlohmann::json;

constexpr std::pair<FeedProvider, std::string_view> kProviderNames[] = {
    {FeedProvider::kOddsApi, "odds-api"},
    {FeedProvider::kEspn, "espn"},
    {FeedProvider::kGamesCsv, "games-csv"},
    {FeedProvider::kGamesJson, "games-json"},
};

// Built-in aliases: other names feeds and bookmakers use for teams, each
// with the name it stands for. A name that could mean two teams ("LA",
// "New York") is deliberately absent.
constexpr std::pair<std::string_view, std::string_view> kBuiltInAliases[] = {
    // NFL
    {"LA Rams", "Los Angeles Rams"},
    {"LA Chargers", "Los Angeles Chargers"},
    {"NY Giants", "New York Giants"},
    {"NY Jets", "New York Jets"},
    {"Washington", "Washington Commanders"},
    {"Washington Football Team", "Washington Commanders"},
    // NBA and NHL
    {"LA Lakers", "Los Angeles Lakers"},
    {"LA Clippers", "Los Angeles Clippers"},
    {"LA Kings", "Los Angeles Kings"},
    {"NY Knicks", "New York Knicks"},
    {"NY Rangers", "New York Rangers"},
    {"NY Islanders", "New York Islanders"},
    // Soccer clubs
    {"Man Utd", "Manchester United"},
    {"Man United", "Manchester United"},
    {"Man City", "Manchester City"},
    {"Spurs", "Tottenham Hotspur"},
    {"Tottenham", "Tottenham Hotspur"},
    {"Wolves", "Wolverhampton Wanderers"},
    {"Nott'm Forest", "Nottingham Forest"},
    {"Inter", "Inter Milan"},
    {"Internazionale", "Inter Milan"},
    // National teams, as ESPN and other feeds differ
    {"USA", "United States"},
    {"USMNT", "United States"},
    {"Bosnia and Herzegovina", "Bosnia-Herzegovina"},
    {"DR Congo", "Congo DR"},
    {"Democratic Republic of the Congo", "Congo DR"},
    {"South Korea", "Korea Republic"},
    {"Turkey", "Türkiye"},
    {"Ivory Coast", "Côte d'Ivoire"},
    {"Czech Republic", "Czechia"},
    {"Iran", "IR Iran"},
};

std::mutex warned_mutex;
std::set<std::string> warned_keys;  // guarded by warned_mutex

// Bounds the memory WarnOnce keeps; past it, keys are forgotten and a
// repeated event is warned about once more.
constexpr size_t kMaxWarnedKeys = 10'000;

// "invalid JSON at line 3, column 7 (<reason>)" from a parse error.
std::string DescribeJsonError(std::string_view text,
                              const json::parse_error& error) {
  const size_t end =
      std::min<size_t>(error.byte > 0 ? error.byte - 1 : 0, text.size());
  int line = 1;
  size_t line_start = 0;
  for (size_t i = 0; i < end; ++i) {
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  std::string reason = error.what();
  const size_t position = reason.find("parse error");
  if (position != std::string::npos) {
    const size_t colon = reason.find(": ", position);
    if (colon != std::string::npos) reason = reason.substr(colon + 2);
  }
  return "invalid JSON at line " + std::to_string(line) + ", column " +
         std::to_string(end - line_start + 1) + " (" + reason + ")";
}

// Accepts "2026-06-29T17:00Z" and "2026-06-29T17:00+02:00" by adding the
// seconds that ParseIso8601 requires.
std::string WithSeconds(std::string_view text) {
  const bool minutes_only = text.size() >= 17 && text[13] == ':' &&
                            (text.size() == 17 || text[16] == 'Z' ||
                             text[16] == '+' || text[16] == '-');
  if (!minutes_only) return std::string(text);
  return std::string(text.substr(0, 16)) + ":00" + std::string(text.substr(16));
}

}  // namespace

std::string_view ToString(FeedProvider provider) {
  for (const auto& [value, name] : kProviderNames) {
    if (value == provider) return name;
  }
  return "unknown";
}

std::optional<FeedProvider> ParseFeedProvider(std::string_view text) {
  for (const auto& [value, name] : kProviderNames) {
    if (name == text) return value;
  }
  return std::nullopt;
}

FeedSnapshot ParseFeedSnapshot(FeedProvider provider, std::string_view source,
                               std::string_view text, int64_t received_at) {
  switch (provider) {
    case FeedProvider::kOddsApi:
      return feeds::ParseOddsApiScores(source, text);
    case FeedProvider::kEspn:
      return feeds::ParseEspnScoreboard(source, text, received_at);
    case FeedProvider::kGamesCsv:
      return feeds::ParseGamesCsv(source, text);
    case FeedProvider::kGamesJson:
      return feeds::ParseGamesJsonSnapshot(source, text);
  }
  return {};
}

void FeedStats::Add(const FeedStats& other) {
  snapshots += other.snapshots;
  snapshots_rejected += other.snapshots_rejected;
  updates += other.updates;
  applied += other.applied;
  unchanged += other.unchanged;
  out_of_order += other.out_of_order;
  unmatched += other.unmatched;
  operator_voided += other.operator_voided;
  unknown_status += other.unknown_status;
  final_reopened += other.final_reopened;
}

TeamAliases TeamAliases::BuiltIn() {
  TeamAliases aliases;
  for (const auto& [alias, name] : kBuiltInAliases) aliases.Add(alias, name);
  return aliases;
}

void TeamAliases::Add(std::string_view alias, std::string_view name) {
  const std::string target = Key(name);
  const std::string normalized = Normalize(alias);
  if (normalized == target) return;
  const auto [it, inserted] = canonical_.emplace(normalized, target);
  if (!inserted && it->second != target) {
    throw std::invalid_argument("team alias \"" + std::string(alias) +
                                "\" already names another team; an alias "
                                "must name one team only");
  }
  // Names that led to `alias` now lead to `target` too.
  for (auto& [from, to] : canonical_) {
    if (to == normalized) to = target;
  }
}

void TeamAliases::AddFromCsv(const std::string& path) {
  Result<std::string> text = feeds::ReadFileText(path);
  if (!text.ok()) {
    throw ImportError({ImportProblem{path, 0, 0, "", "", text.error(), ""}});
  }
  feeds::CsvTable table = feeds::ParseCsv(text.value());
  std::vector<ImportProblem> problems;
  for (const feeds::CsvError& error : table.errors) {
    problems.push_back(
        {path, 0, error.line, "", "", error.message, "alias,name rows"});
  }
  if (table.rows.empty() || table.rows[0].fields.size() != 2 ||
      table.rows[0].fields[0] != "alias" || table.rows[0].fields[1] != "name") {
    problems.push_back(
        {path, 0, 1, "", "", "missing header row", "the header alias,name"});
    throw ImportError(problems);
  }
  for (size_t i = 1; i < table.rows.size(); ++i) {
    const feeds::CsvRow& row = table.rows[i];
    const int record = static_cast<int>(i);
    if (row.fields.size() != 2 || row.fields[0].empty() ||
        row.fields[1].empty()) {
      problems.push_back({path, record, row.line, "", "", "invalid row",
                          "two non-empty fields: alias,name"});
      continue;
    }
    try {
      Add(row.fields[0], row.fields[1]);
    } catch (const std::invalid_argument& error) {
      problems.push_back(
          {path, record, row.line, "alias", "", error.what(), ""});
    }
  }
  if (!problems.empty()) throw ImportError(problems);
}

bool TeamAliases::Same(std::string_view a, std::string_view b) const {
  return Key(a) == Key(b);
}

std::string TeamAliases::Normalize(std::string_view name) {
  std::string normalized = NormalizeTeamName(name);
  std::erase(normalized, '\'');
  return normalized;
}

std::string TeamAliases::Key(std::string_view name) const {
  const std::string normalized = Normalize(name);
  const auto it = canonical_.find(normalized);
  return it == canonical_.end() ? normalized : it->second;
}

namespace feeds {

void FeedChecker::Invalid(std::string field, const json& value,
                          std::string expected) {
  Add(std::move(field), "", std::move(expected));
  problems_.back().value = JsonValueText(value);
}

void FeedChecker::InvalidText(std::string field, std::string_view text,
                              std::string expected) {
  Invalid(std::move(field), json(std::string(text)), std::move(expected));
}

void FeedChecker::Missing(std::string field, std::string expected) {
  Add(std::move(field), "", std::move(expected));
}

void FeedChecker::Add(std::string field, std::string error,
                      std::string expected) {
  ImportProblem problem;
  problem.file = source_;
  problem.record = record_;
  problem.line = line_;
  problem.field = std::move(field);
  problem.error = std::move(error);
  problem.expected = std::move(expected);
  problems_.push_back(std::move(problem));
  ++added_;
}

std::optional<std::string> FeedChecker::String(const json& object,
                                               std::string_view key,
                                               const std::string& field,
                                               std::string_view description) {
  const json* value = object.is_object() ? FindMember(object, key) : nullptr;
  if (value == nullptr) {
    Missing(field, std::string(description));
    return std::nullopt;
  }
  if (!value->is_string() || value->get<std::string>().empty()) {
    Invalid(field, *value,
            std::string(description) + ", a non-empty string, not " +
                JsonTypeName(*value));
    return std::nullopt;
  }
  return value->get<std::string>();
}

std::optional<int64_t> FeedChecker::Time(const json& object,
                                         std::string_view key,
                                         const std::string& field) {
  const json* value = object.is_object() ? FindMember(object, key) : nullptr;
  if (value == nullptr) {
    Missing(field, "an ISO 8601 time such as \"2026-06-29T17:00:00Z\"");
    return std::nullopt;
  }
  if (!value->is_string()) {
    Invalid(field, *value,
            "an ISO 8601 time such as \"2026-06-29T17:00:00Z\", a string, "
            "not " +
                JsonTypeName(*value));
    return std::nullopt;
  }
  return TimeText(value->get<std::string>(), *value, field);
}

std::optional<int64_t> FeedChecker::TimeText(std::string_view text,
                                             const json& value,
                                             const std::string& field) {
  Result<int64_t> time = ParseIso8601(WithSeconds(text));
  if (!time.ok() || time.value() < kMinFeedTime ||
      time.value() >= kMaxFeedTime) {
    Invalid(field, value,
            "an ISO 8601 time from 2000 to 2099 such as "
            "\"2026-06-29T17:00:00Z\"");
    return std::nullopt;
  }
  return time.value();
}

std::optional<int> FeedChecker::ScoreValue(const json& value,
                                           const std::string& field,
                                           bool allow_number) {
  const std::string expected =
      std::string("a score from 0 to ") + std::to_string(kMaxFeedScore) +
      (allow_number ? "" : " as a string, such as \"3\"");
  if (allow_number && value.is_number_integer()) {
    const int64_t number = value.get<int64_t>();
    if (number >= 0 && number <= kMaxFeedScore) return static_cast<int>(number);
    Invalid(field, value, expected);
    return std::nullopt;
  }
  if (!value.is_string()) {
    Invalid(field, value, expected + ", not " + JsonTypeName(value));
    return std::nullopt;
  }
  const std::string text = value.get<std::string>();
  if (text.empty() || text.size() > 3 ||
      text.find_first_not_of("0123456789") != std::string::npos) {
    Invalid(field, value, expected);
    return std::nullopt;
  }
  return std::stoi(text);
}

std::optional<json> ParseJsonSnapshot(std::string_view source,
                                      std::string_view text,
                                      std::vector<ImportProblem>& problems) {
  if (!JsonDepthWithin(text)) {
    ImportProblem problem;
    problem.file = std::string(source);
    problem.error =
        "JSON nested deeper than " + std::to_string(kMaxJsonDepth) + " levels";
    problem.expected = "a complete JSON document";
    problems.push_back(std::move(problem));
    return std::nullopt;
  }
  try {
    return json::parse(text);
  } catch (const json::parse_error& error) {
    ImportProblem problem;
    problem.file = std::string(source);
    problem.error = DescribeJsonError(text, error);
    problem.expected = "a complete JSON document";
    problems.push_back(std::move(problem));
    return std::nullopt;
  } catch (const json::out_of_range& error) {
    // nlohmann::json 3.11 reports a number too large for a double, such as
    // 1e999, as out_of_range 406 instead of a parse_error.
    ImportProblem problem;
    problem.file = std::string(source);
    problem.error = std::string("invalid JSON (") + error.what() + ")";
    problem.expected =
        "a complete JSON document with numbers a double can "
        "hold";
    problems.push_back(std::move(problem));
    return std::nullopt;
  }
}

std::string SportFromOddsApiKey(std::string_view sport_key) {
  constexpr std::pair<std::string_view, std::string_view> kPrefixes[] = {
      {"soccer_", "soccer"},         {"americanfootball_", "american_football"},
      {"basketball_", "basketball"}, {"icehockey_", "ice_hockey"},
      {"baseball_", "baseball"},
  };
  for (const auto& [prefix, sport] : kPrefixes) {
    if (sport_key.starts_with(prefix)) return std::string(sport);
  }
  return "";
}

void WarnOnce(const std::string& key, const std::string& message) {
  {
    std::lock_guard<std::mutex> lock(warned_mutex);
    if (warned_keys.size() >= kMaxWarnedKeys) warned_keys.clear();
    if (!warned_keys.insert(key).second) {
      spdlog::debug("{}", message);
      return;
    }
  }
  spdlog::warn("{}", message);
}

FeedSnapshot ParseGamesJsonSnapshot(std::string_view source,
                                    std::string_view text) {
  FeedSnapshot snapshot;
  JsonFile file = ParseJsonBody(std::string(source), text);
  ImportReport report;
  for (ImportProblem& problem : file.problems) {
    snapshot.problems.push_back(std::move(problem));
  }
  if (!file.readable) return snapshot;
  if (file.records.size() > kMaxEventsPerSnapshot) {
    snapshot.problems.push_back(
        {std::string(source), 0, 0, "", "",
         "too many records (" + std::to_string(file.records.size()) + ")",
         "at most " + std::to_string(kMaxEventsPerSnapshot) + " per snapshot"});
    return snapshot;
  }
  const FileRecords inputs[] = {{std::string(source), std::move(file.records)}};
  std::vector<Game> games = ReadGameRecords(inputs, report);
  for (ImportProblem& problem : report.problems) {
    snapshot.problems.push_back(std::move(problem));
  }
  for (size_t i = 0; i < games.size(); ++i) {
    ScoreUpdate update;
    update.source = std::string(source) + " game \"" + games[i].id + "\"";
    update.event_id = games[i].id;
    update.game_id = games[i].id;
    update.home_names = {games[i].home};
    update.away_names = {games[i].away};
    update.start_time = games[i].start_time;
    update.result = std::move(games[i]);
    snapshot.updates.push_back(std::move(update));
  }
  return snapshot;
}

}  // namespace feeds
}  // namespace parlay
