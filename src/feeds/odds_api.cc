// The Odds API v4 scores (/v4/sports/{sport}/scores): a JSON array of
// events. Scores are a list of {"name", "score"} objects with the score as
// a string, matched to the home and away team by name, never by position.

#include <nlohmann/json.hpp>

#include "feeds/feed_internal.h"
#include "feeds/json_records.h"

namespace parlay::feeds {
namespace {

using nlohmann::json;

constexpr std::string_view kEventFields =
    "id, sport_key, commence_time, completed, home_team, away_team, scores "
    "and last_update";

// Reads `scores`, matching each entry to a team by name. Leaves the scores
// unset when the list is null.
void ReadScores(const json& event, const std::string& home,
                const std::string& away, Game& result, FeedChecker& check) {
  const json* scores = FindMember(event, "scores");
  if (scores == nullptr || scores->is_null()) return;
  if (!scores->is_array()) {
    check.Invalid("scores", *scores,
                  "null, or a list of {\"name\", \"score\"} objects");
    return;
  }
  // Compared as the provider writes them, after normalisation, so that a
  // differently spelt name is an error instead of a guess.
  const TeamAliases plain;
  for (size_t i = 0; i < scores->size(); ++i) {
    const json& entry = (*scores)[i];
    const std::string field = "scores[" + std::to_string(i) + "]";
    if (!entry.is_object()) {
      check.Invalid(field, entry, "a {\"name\", \"score\"} object");
      continue;
    }
    const std::optional<std::string> name =
        check.String(entry, "name", field + ".name", "a team name");
    const json* value = FindMember(entry, "score");
    if (value == nullptr) {
      check.Missing(field + ".score", "a score as a string, such as \"3\"");
      continue;
    }
    const std::optional<int> score =
        check.ScoreValue(*value, field + ".score", /*allow_number=*/false);
    if (!name || !score) continue;
    const bool is_home = plain.Same(*name, home);
    const bool is_away = plain.Same(*name, away);
    std::optional<int>* slot = is_home   ? &result.home_score
                               : is_away ? &result.away_score
                                         : nullptr;
    if (slot == nullptr) {
      check.InvalidText(
          field + ".name", *name,
          "the home team \"" + home + "\" or the away team \"" + away + "\"");
    } else if (slot->has_value()) {
      check.InvalidText(
          field + ".name", *name,
          "each team once in scores (\"" + *name + "\" is listed twice)");
    } else {
      *slot = *score;
    }
  }
  if (result.home_score.has_value() != result.away_score.has_value()) {
    check.Add("scores", "score of one team only",
              "scores of both \"" + home + "\" and \"" + away + "\", or null");
  }
}

// Reads one event. Returns nullopt when it has any problem.
std::optional<ScoreUpdate> ReadEvent(std::string_view source, int number,
                                     const json& event, FeedChecker& check) {
  if (!event.is_object()) {
    check.Invalid(
        "", event,
        "an event object with the fields " + std::string(kEventFields));
    return std::nullopt;
  }
  ScoreUpdate update;
  const std::optional<std::string> id =
      check.String(event, "id", "id", "the event id");
  const std::optional<std::string> sport_key = check.String(
      event, "sport_key", "sport_key", "a sport key such as \"soccer_epl\"");
  const std::optional<int64_t> commence =
      check.Time(event, "commence_time", "commence_time");
  const std::optional<std::string> home =
      check.String(event, "home_team", "home_team", "the home team's name");
  const std::optional<std::string> away =
      check.String(event, "away_team", "away_team", "the away team's name");
  bool completed = false;
  if (const json* value = FindMember(event, "completed");
      value == nullptr || !value->is_boolean()) {
    if (value == nullptr) {
      check.Missing("completed", "true or false");
    } else {
      check.Invalid("completed", *value, "true or false");
    }
  } else {
    completed = value->get<bool>();
  }
  std::optional<int64_t> last_update;
  if (const json* value = FindMember(event, "last_update");
      value != nullptr && !value->is_null()) {
    last_update = check.Time(event, "last_update", "last_update");
  }
  if (home && away) ReadScores(event, *home, *away, update.result, check);
  if (!check.ok()) return std::nullopt;

  update.source = std::string(source) + " record " + std::to_string(number) +
                  " (event \"" + *id + "\", " + *away + " @ " + *home + ")";
  update.event_id = *id;
  update.home_names = {*home};
  update.away_names = {*away};
  update.start_time = *commence;
  Game& result = update.result;
  result.sport = SportFromOddsApiKey(*sport_key);
  // The API has no status field: a completed event is final, an event
  // with scores is under way, and one without scores has not started.
  const bool has_scores = result.home_score.has_value();
  result.status = completed    ? GameStatus::kFinal
                  : has_scores ? GameStatus::kInProgress
                               : GameStatus::kScheduled;
  // NOTE: the API does not say whether a soccer score includes extra time,
  // so extra_time stays unknown and a soccer final score is taken as the
  // score after 90 minutes. Settle knockout matches from a feed that
  // reports extra time, such as ESPN's.
  // An event that has not started has no last_update; its start time is
  // older than any update about the game being played.
  result.updated_at = last_update.value_or(*commence);
  return update;
}

}  // namespace

FeedSnapshot ParseOddsApiScores(std::string_view source,
                                std::string_view text) {
  FeedSnapshot snapshot;
  const std::optional<json> events =
      ParseJsonSnapshot(source, text, snapshot.problems);
  if (!events) return snapshot;
  if (!events->is_array()) {
    snapshot.problems.push_back({std::string(source), 0, 0, "",
                                 JsonValueText(*events), "invalid value",
                                 "a JSON array of events"});
    return snapshot;
  }
  if (events->size() > kMaxEventsPerSnapshot) {
    snapshot.problems.push_back(
        {std::string(source), 0, 0, "", "",
         "too many events (" + std::to_string(events->size()) + ")",
         "at most " + std::to_string(kMaxEventsPerSnapshot) + " per response"});
    return snapshot;
  }
  for (size_t i = 0; i < events->size(); ++i) {
    const int number = static_cast<int>(i) + 1;
    FeedChecker check(std::string(source), number, 0, snapshot.problems);
    if (std::optional<ScoreUpdate> update =
            ReadEvent(source, number, (*events)[i], check)) {
      snapshot.updates.push_back(std::move(*update));
    }
  }
  return snapshot;
}

}  // namespace parlay::feeds
