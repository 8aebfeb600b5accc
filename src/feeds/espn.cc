// ESPN's site scoreboard JSON, for soccer and the US leagues. Each event's
// first competition contains the status, the two competitors with their
// scores (strings, extra time included), shootout scores, period line
// scores (US leagues) and the scoring plays (`details`, soccer).
//
// Soccer match markets settle on the score after 90 minutes plus stoppage
// time. When a match went to extra time, that score is rebuilt here from
// the scoring plays' clocks ("54'", "90'+3'"); a goal whose base minute is
// 90 or less counts. If the plays do not add up to the reported score,
// the regulation score is left unknown and its legs wait for an operator.

#include <nlohmann/json.hpp>

#include "feeds/feed_internal.h"
#include "feeds/json_records.h"

namespace parlay::feeds {
namespace {

using nlohmann::json;

// ESPN status names (status.type.name) and the game status each means.
// Any other name is kept as kUnknown.
constexpr std::pair<std::string_view, GameStatus> kStatusNames[] = {
    {"STATUS_SCHEDULED", GameStatus::kScheduled},
    {"STATUS_TBD", GameStatus::kScheduled},
    {"STATUS_IN_PROGRESS", GameStatus::kInProgress},
    {"STATUS_FIRST_HALF", GameStatus::kInProgress},
    {"STATUS_HALFTIME", GameStatus::kInProgress},
    {"STATUS_SECOND_HALF", GameStatus::kInProgress},
    {"STATUS_END_PERIOD", GameStatus::kInProgress},
    {"STATUS_END_OF_PERIOD", GameStatus::kInProgress},
    {"STATUS_OVERTIME", GameStatus::kInProgress},
    {"STATUS_END_OF_REGULATION", GameStatus::kInProgress},
    {"STATUS_EXTRA_TIME", GameStatus::kInProgress},
    {"STATUS_HALFTIME_ET", GameStatus::kInProgress},
    {"STATUS_END_OF_EXTRATIME", GameStatus::kInProgress},
    {"STATUS_SHOOTOUT", GameStatus::kInProgress},
    {"STATUS_FINAL", GameStatus::kFinal},
    {"STATUS_FULL_TIME", GameStatus::kFinal},
    {"STATUS_FINAL_AET", GameStatus::kFinal},
    {"STATUS_FINAL_PEN", GameStatus::kFinal},
    {"STATUS_DELAYED", GameStatus::kSuspended},
    {"STATUS_RAIN_DELAY", GameStatus::kSuspended},
    {"STATUS_SUSPENDED", GameStatus::kSuspended},
    {"STATUS_POSTPONED", GameStatus::kPostponed},
    {"STATUS_CANCELED", GameStatus::kCancelled},
    {"STATUS_CANCELLED", GameStatus::kCancelled},
    {"STATUS_ABANDONED", GameStatus::kAbandoned},
};

// ESPN's sport ids, the "s:" part of an event's uid ("s:600~l:606~e:1").
constexpr std::pair<std::string_view, std::string_view> kSportIds[] = {
    {"600", "soccer"},    {"20", "american_football"}, {"40", "basketball"},
    {"70", "ice_hockey"}, {"1", "baseball"},
};

GameStatus StatusFromName(std::string_view name) {
  for (const auto& [espn, status] : kStatusNames) {
    if (espn == name) return status;
  }
  return GameStatus::kUnknown;
}

std::string SportFromUid(std::string_view uid) {
  if (!uid.starts_with("s:")) return "";
  const std::string_view id = uid.substr(2, uid.find('~') - 2);
  for (const auto& [espn, sport] : kSportIds) {
    if (espn == id) return std::string(sport);
  }
  return "";
}

// A scoring play's match minute from its clock text: "54'" is minute 54,
// "90'+3'" is minute 90 plus 3 of stoppage time. Returns the base minute,
// which decides the half: 45'+2' is still the first half.
std::optional<int> BaseMinute(std::string_view clock) {
  int minute = 0;
  size_t i = 0;
  while (i < clock.size() && clock[i] >= '0' && clock[i] <= '9') {
    minute = minute * 10 + (clock[i] - '0');
    if (minute > 200) return std::nullopt;
    ++i;
  }
  if (i == 0 || i >= clock.size() || clock[i] != '\'') return std::nullopt;
  ++i;
  if (i == clock.size()) return minute;
  // Stoppage time: "+N'".
  if (clock[i] != '+') return std::nullopt;
  ++i;
  const size_t digits = i;
  while (i < clock.size() && clock[i] >= '0' && clock[i] <= '9') ++i;
  if (i == digits || i + 1 != clock.size() || clock[i] != '\'') {
    return std::nullopt;
  }
  return minute;
}

// A goal from the scoring plays: the base minute and whether it counts
// for the home team.
struct Goal {
  int minute = 0;
  bool home = false;
  bool own_goal = false;
};

// Reads the goals of `details` (shootout kicks excluded). Returns nullopt
// when a scoring play cannot be read, so that no score is derived.
std::optional<std::vector<Goal>> ReadGoals(const json& competition,
                                           const std::string& home_id,
                                           const std::string& away_id) {
  std::vector<Goal> goals;
  const json* details = FindMember(competition, "details");
  if (details == nullptr || !details->is_array()) return goals;
  for (const json& play : *details) {
    if (!play.is_object()) return std::nullopt;
    const json* scoring = FindMember(play, "scoringPlay");
    if (scoring == nullptr || !scoring->is_boolean() || !scoring->get<bool>()) {
      continue;
    }
    const json* shootout = FindMember(play, "shootout");
    if (shootout != nullptr && shootout->is_boolean() &&
        shootout->get<bool>()) {
      continue;
    }
    const json* clock = FindMember(play, "clock");
    const json* display = clock != nullptr && clock->is_object()
                              ? FindMember(*clock, "displayValue")
                              : nullptr;
    const json* team = FindMember(play, "team");
    const json* team_id = team != nullptr && team->is_object()
                              ? FindMember(*team, "id")
                              : nullptr;
    if (display == nullptr || !display->is_string() || team_id == nullptr ||
        !team_id->is_string()) {
      return std::nullopt;
    }
    const std::optional<int> minute = BaseMinute(display->get<std::string>());
    const std::string& credited = team_id->get_ref<const std::string&>();
    if (!minute || (credited != home_id && credited != away_id)) {
      return std::nullopt;
    }
    const json* own = FindMember(play, "ownGoal");
    goals.push_back({*minute, credited == home_id,
                     own != nullptr && own->is_boolean() && own->get<bool>()});
  }
  return goals;
}

// Adds up the goals up to `last_minute` (inclusive, stoppage time
// included). With `flip_own_goals`, an own goal counts for the other team
// than the one it is credited to.
Score CountGoals(const std::vector<Goal>& goals, int last_minute,
                 bool flip_own_goals) {
  Score score;
  for (const Goal& goal : goals) {
    if (goal.minute > last_minute) continue;
    const bool home = flip_own_goals && goal.own_goal ? !goal.home : goal.home;
    (home ? score.home : score.away)++;
  }
  return score;
}

// Derives the scores after 45 and 90 minutes from the scoring plays, when
// the plays add up to the final score. The feed names the team credited
// with each goal; if own goals only add up the other way round, they are
// read that way.
void DeriveSoccerPeriods(const json& competition, const std::string& home_id,
                         const std::string& away_id, Game& result) {
  const std::optional<std::vector<Goal>> goals =
      ReadGoals(competition, home_id, away_id);
  if (!goals || !result.home_score || !result.away_score) return;
  const Score final_score{*result.home_score, *result.away_score};
  for (const bool flip : {false, true}) {
    if (CountGoals(*goals, 1000, flip) != final_score) continue;
    result.periods.first_half = CountGoals(*goals, 45, flip);
    result.periods.regulation = CountGoals(*goals, 90, flip);
    return;
  }
}

// Reads a line score ({"value": 7} or {"value": 7.0}) as a whole number.
std::optional<int> LineScore(const json& entry) {
  const json* value = entry.is_object() ? FindMember(entry, "value") : nullptr;
  if (value == nullptr) return std::nullopt;
  if (value->is_number_integer() || value->is_number_unsigned()) {
    const int64_t number = value->get<int64_t>();
    if (number < 0 || number > kMaxFeedScore) return std::nullopt;
    return static_cast<int>(number);
  }
  if (value->is_number_float()) {
    // ESPN writes whole points as floats ("7.0"). Whole numbers up to
    // kMaxFeedScore are exact in a double, so this conversion is exact.
    const double number = value->get<double>();
    const int whole = static_cast<int>(number);
    if (number < 0 || number > kMaxFeedScore || whole != number) {
      return std::nullopt;
    }
    return whole;
  }
  return std::nullopt;
}

// Periods of regulation time in a US league, by ESPN sport and league
// slug; 0 when line scores are not interpreted.
int RegulationPeriods(const std::string& sport, std::string_view league) {
  if (sport == "american_football") return 4;
  if (sport == "basketball") {
    return league.find("college") != std::string_view::npos ? 2 : 4;
  }
  if (sport == "ice_hockey") return 3;
  return 0;
}

// Derives quarters, the first half and the regulation score from the
// competitors' line scores, when they add up to the final score.
void DeriveLinePeriods(const json& home, const json& away,
                       const std::string& league, Game& result) {
  const int regulation = RegulationPeriods(result.sport, league);
  const json* home_lines = FindMember(home, "linescores");
  const json* away_lines = FindMember(away, "linescores");
  if (regulation == 0 || home_lines == nullptr || away_lines == nullptr ||
      !home_lines->is_array() || !away_lines->is_array() ||
      home_lines->size() != away_lines->size() ||
      home_lines->size() < static_cast<size_t>(regulation)) {
    return;
  }
  std::vector<Score> periods;
  Score total;
  for (size_t i = 0; i < home_lines->size(); ++i) {
    const std::optional<int> h = LineScore((*home_lines)[i]);
    const std::optional<int> a = LineScore((*away_lines)[i]);
    if (!h || !a) return;
    periods.push_back({*h, *a});
    total.home += *h;
    total.away += *a;
  }
  if (!result.home_score || !result.away_score ||
      total != Score{*result.home_score, *result.away_score}) {
    return;
  }
  Score regulation_score;
  for (int i = 0; i < regulation; ++i) {
    regulation_score.home += periods[i].home;
    regulation_score.away += periods[i].away;
  }
  result.periods.regulation = regulation_score;
  if (result.status == GameStatus::kFinal) {
    result.extra_time = periods.size() > static_cast<size_t>(regulation);
  }
  if (regulation == 4) {
    for (size_t i = 0; i < 4; ++i) result.periods.quarters[i] = periods[i];
    result.periods.first_half = Score{periods[0].home + periods[1].home,
                                      periods[0].away + periods[1].away};
  } else if (regulation == 2) {
    result.periods.first_half = periods[0];
  }
}

// The competitors of a competition, by homeAway.
struct Competitors {
  const json* home = nullptr;
  const json* away = nullptr;
};

Competitors FindCompetitors(const json& competition, FeedChecker& check) {
  Competitors found;
  const json* list = FindMember(competition, "competitors");
  const std::string field = "competitions[0].competitors";
  if (list == nullptr || !list->is_array() || list->size() != 2) {
    if (list == nullptr) {
      check.Missing(field, "two competitors, home and away");
    } else {
      check.Invalid(field, *list, "two competitors, home and away");
    }
    return found;
  }
  for (const json& competitor : *list) {
    const json* side =
        competitor.is_object() ? FindMember(competitor, "homeAway") : nullptr;
    if (side != nullptr && side->is_string()) {
      if (side->get<std::string>() == "home") found.home = &competitor;
      if (side->get<std::string>() == "away") found.away = &competitor;
    }
  }
  if (found.home == nullptr || found.away == nullptr) {
    check.Add(field, "no home and away competitor",
              "one competitor with homeAway \"home\" and one with \"away\"");
    found = {};
  }
  return found;
}

// A team's id and names: displayName first, then the shorter forms.
struct Team {
  std::string id;
  std::vector<std::string> names;
};

std::optional<Team> ReadTeam(const json& competitor, const std::string& field,
                             FeedChecker& check) {
  const json* team = FindMember(competitor, "team");
  if (team == nullptr || !team->is_object()) {
    check.Missing(field + ".team", "a team object with id and displayName");
    return std::nullopt;
  }
  Team result;
  const std::optional<std::string> name = check.String(
      *team, "displayName", field + ".team.displayName", "the team's name");
  const json* id = FindMember(*team, "id");
  if (!name) return std::nullopt;
  result.id = id != nullptr && id->is_string() ? id->get<std::string>() : "";
  result.names.push_back(*name);
  for (std::string_view key : {"shortDisplayName", "name"}) {
    const json* other = FindMember(*team, key);
    if (other != nullptr && other->is_string() &&
        !other->get<std::string>().empty()) {
      result.names.push_back(other->get<std::string>());
    }
  }
  return result;
}

// Reads one event. Returns nullopt when it has any problem.
std::optional<ScoreUpdate> ReadEvent(std::string_view source, int number,
                                     const json& event,
                                     const std::string& league_slug,
                                     int64_t received_at, FeedChecker& check) {
  if (!event.is_object()) {
    check.Invalid("", event, "an event object");
    return std::nullopt;
  }
  const std::optional<std::string> id =
      check.String(event, "id", "id", "the event id");
  const std::optional<int64_t> start = check.Time(event, "date", "date");
  const json* competitions = FindMember(event, "competitions");
  if (competitions == nullptr || !competitions->is_array() ||
      competitions->empty() || !(*competitions)[0].is_object()) {
    check.Add("competitions", "missing or empty",
              "a list with the event's competition");
    return std::nullopt;
  }
  const json& competition = (*competitions)[0];
  const json* status = FindMember(competition, "status");
  const json* type = status != nullptr && status->is_object()
                         ? FindMember(*status, "type")
                         : nullptr;
  std::optional<std::string> status_name;
  if (type == nullptr || !type->is_object()) {
    check.Missing("competitions[0].status.type",
                  "a status type with a name such as \"STATUS_FINAL\"");
  } else {
    status_name =
        check.String(*type, "name", "competitions[0].status.type.name",
                     "a status name such as \"STATUS_FINAL\"");
  }
  const Competitors competitors = FindCompetitors(competition, check);
  std::optional<Team> home;
  std::optional<Team> away;
  if (competitors.home != nullptr) {
    home =
        ReadTeam(*competitors.home, "competitions[0].competitors[home]", check);
    away =
        ReadTeam(*competitors.away, "competitions[0].competitors[away]", check);
  }
  if (!check.ok()) return std::nullopt;

  ScoreUpdate update;
  update.event_id = *id;
  update.home_names = home->names;
  update.away_names = away->names;
  update.start_time = *start;
  update.source = std::string(source) + " event " + std::to_string(number) +
                  " (id \"" + *id + "\", " + away->names.front() + " @ " +
                  home->names.front() + ")";
  Game& result = update.result;
  result.status = StatusFromName(*status_name);
  result.status_detail = *status_name;
  result.updated_at = received_at;
  const json* uid = FindMember(event, "uid");
  result.sport = uid != nullptr && uid->is_string()
                     ? SportFromUid(uid->get<std::string>())
                     : "";

  // Scores mean something only once the game has started: ESPN lists "0"
  // for scheduled games.
  const bool started = result.status == GameStatus::kInProgress ||
                       result.status == GameStatus::kFinal ||
                       result.status == GameStatus::kSuspended ||
                       result.status == GameStatus::kAbandoned ||
                       result.status == GameStatus::kUnknown;
  if (started) {
    for (const auto& [competitor, slot, side] :
         {std::tuple{competitors.home, &result.home_score, "home"},
          std::tuple{competitors.away, &result.away_score, "away"}}) {
      const std::string field =
          std::string("competitions[0].competitors[") + side + "].score";
      const json* score = FindMember(*competitor, "score");
      if (score == nullptr || score->is_null()) continue;
      *slot = check.ScoreValue(*score, field, /*allow_number=*/false);
    }
  }
  if (result.home_score && result.away_score) {
    const json* home_shootout = FindMember(*competitors.home, "shootoutScore");
    const json* away_shootout = FindMember(*competitors.away, "shootoutScore");
    if (home_shootout != nullptr && away_shootout != nullptr &&
        !home_shootout->is_null() && !away_shootout->is_null()) {
      const std::optional<int> h = check.ScoreValue(
          *home_shootout, "competitions[0].competitors[home].shootoutScore",
          /*allow_number=*/true);
      const std::optional<int> a = check.ScoreValue(
          *away_shootout, "competitions[0].competitors[away].shootoutScore",
          /*allow_number=*/true);
      if (h && a) result.shootout = Score{*h, *a};
    }
  }
  if (!check.ok()) return std::nullopt;

  if (result.sport == "soccer") {
    if (*status_name == "STATUS_FINAL_AET" ||
        *status_name == "STATUS_FINAL_PEN") {
      result.extra_time = true;
    } else if (result.status == GameStatus::kFinal) {
      result.extra_time = false;
    }
    DeriveSoccerPeriods(competition, home->id, away->id, result);
  } else {
    DeriveLinePeriods(*competitors.home, *competitors.away, league_slug,
                      result);
  }
  return update;
}

}  // namespace

FeedSnapshot ParseEspnScoreboard(std::string_view source, std::string_view text,
                                 int64_t received_at) {
  FeedSnapshot snapshot;
  const std::optional<json> board =
      ParseJsonSnapshot(source, text, snapshot.problems);
  if (!board) return snapshot;
  const json* events =
      board->is_object() ? FindMember(*board, "events") : nullptr;
  if (events == nullptr || !events->is_array()) {
    snapshot.problems.push_back(
        {std::string(source), 0, 0, "events", "",
         events == nullptr ? "" : "invalid value",
         "a scoreboard object with an \"events\" array"});
    return snapshot;
  }
  if (events->size() > kMaxEventsPerSnapshot) {
    snapshot.problems.push_back(
        {std::string(source), 0, 0, "events", "",
         "too many events (" + std::to_string(events->size()) + ")",
         "at most " + std::to_string(kMaxEventsPerSnapshot) + " per response"});
    return snapshot;
  }
  std::string league_slug;
  if (const json* leagues = FindMember(*board, "leagues");
      leagues != nullptr && leagues->is_array() && !leagues->empty() &&
      (*leagues)[0].is_object()) {
    if (const json* slug = FindMember((*leagues)[0], "slug");
        slug != nullptr && slug->is_string()) {
      league_slug = slug->get<std::string>();
    }
  }
  for (size_t i = 0; i < events->size(); ++i) {
    const int number = static_cast<int>(i) + 1;
    FeedChecker check(std::string(source), number, 0, snapshot.problems);
    if (std::optional<ScoreUpdate> update = ReadEvent(
            source, number, (*events)[i], league_slug, received_at, check)) {
      snapshot.updates.push_back(std::move(*update));
    }
  }
  return snapshot;
}

}  // namespace parlay::feeds
