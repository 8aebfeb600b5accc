// Score feed adapters and ApplyFeedSnapshot: The Odds API v4 scores, ESPN
// edge cases, the games CSV, matching by team names and aliases, update
// ordering and repeats, and rejection of malformed snapshots.

#include "feeds/score_feed.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "engine/settlement.h"
#include "store/store.h"
#include "support/test_database.h"
#include "support/test_support.h"

namespace parlay {
namespace {

using nlohmann::json;

int64_t At(const char* iso) { return ParseIso8601(iso).value(); }

Game StoredGame(const std::string& id, const std::string& home,
                const std::string& away, const char* start,
                const std::string& sport = "american_football") {
  Game game;
  game.id = id;
  game.league = "NFL";
  game.sport = sport;
  game.home = home;
  game.away = away;
  game.start_time = At(start);
  game.updated_at = game.start_time - 86'400;
  return game;
}

// One Odds API event; `scores` is the JSON of the scores field.
json OddsEvent(const std::string& id, const std::string& home,
               const std::string& away, const char* commence, bool completed,
               json scores, json last_update) {
  return {{"id", id},
          {"sport_key", "americanfootball_nfl"},
          {"sport_title", "NFL"},
          {"commence_time", commence},
          {"completed", completed},
          {"home_team", home},
          {"away_team", away},
          {"scores", scores},
          {"last_update", last_update}};
}

json Scores(const std::string& first, const std::string& first_score,
            const std::string& second, const std::string& second_score) {
  return json::array({{{"name", first}, {"score", first_score}},
                      {{"name", second}, {"score", second_score}}});
}

class ScoreFeedTest : public ::testing::TestWithParam<testing::Backend> {
 protected:
  ScoreFeedTest() : clock_(At("2025-09-08T12:00:00Z") * 1000) {}

  void SetUp() override {
    PARLAY_REQUIRE_DATABASE(database_);
    store_ = database_.Open();
  }

  testing::TestDatabase database_{GetParam()};

  FeedSnapshot Parse(FeedProvider provider, const std::string& text) {
    return ParseFeedSnapshot(provider, "feed.json", text, clock_.NowSeconds());
  }

  FeedStats Apply(FeedProvider provider, const std::string& text) {
    return ApplyFeedSnapshot(*store_, clock_, provider, Parse(provider, text),
                             aliases_);
  }

  FeedStats ApplyOdds(const json& events) {
    return Apply(FeedProvider::kOddsApi, events.dump());
  }

  Game Stored(const std::string& id) { return *store_->GetGame(id); }

  // Expects `text` to be rejected with a problem containing `message`.
  void ExpectRejected(FeedProvider provider, const std::string& text,
                      const std::string& message) {
    const FeedSnapshot snapshot = Parse(provider, text);
    ASSERT_FALSE(snapshot.problems.empty()) << "accepted: " << text;
    bool found = false;
    std::string all;
    for (const ImportProblem& problem : snapshot.problems) {
      all += problem.ToString() + "\n";
      found = found || problem.ToString().find(message) != std::string::npos;
    }
    EXPECT_TRUE(found) << "no \"" << message << "\" in:\n" << all;
    EXPECT_THROW(
        ApplyFeedSnapshot(*store_, clock_, provider, snapshot, aliases_),
        ImportError);
  }

  testing::TempDir dir_;
  testing::ManualClock clock_;
  std::unique_ptr<Store> store_;
  TeamAliases aliases_ = TeamAliases::BuiltIn();
};

TEST_P(ScoreFeedTest, OddsApiScoresMatchTeamsByNameNotPosition) {
  store_->UpsertGames(std::vector<Game>{StoredGame(
      "g1", "Kansas City Chiefs", "Detroit Lions", "2025-09-07T17:00:00Z")});
  // The away team is listed first.
  const FeedStats stats = ApplyOdds(json::array({OddsEvent(
      "e1", "Kansas City Chiefs", "Detroit Lions", "2025-09-07T17:00:00Z", true,
      Scores("Detroit Lions", "21", "Kansas City Chiefs", "20"),
      "2025-09-07T20:30:00Z")}));
  EXPECT_EQ(stats.applied, 1);
  const Game game = Stored("g1");
  EXPECT_EQ(game.status, GameStatus::kFinal);
  EXPECT_EQ(game.home_score, 20);
  EXPECT_EQ(game.away_score, 21);
  EXPECT_EQ(game.updated_at, At("2025-09-07T20:30:00Z"));
}

TEST_P(ScoreFeedTest, OddsApiNullScoresAreScheduled) {
  store_->UpsertGames(std::vector<Game>{StoredGame(
      "g1", "Kansas City Chiefs", "Detroit Lions", "2025-09-07T17:00:00Z")});
  ApplyOdds(json::array(
      {OddsEvent("e1", "Kansas City Chiefs", "Detroit Lions",
                 "2025-09-07T17:00:00Z", false, nullptr, nullptr)}));
  const Game game = Stored("g1");
  EXPECT_EQ(game.status, GameStatus::kScheduled);
  EXPECT_FALSE(game.home_score.has_value());
  EXPECT_EQ(game.updated_at, At("2025-09-07T17:00:00Z"));
}

TEST_P(ScoreFeedTest, OddsApiCompletedWithNullScoresNeedsAttention) {
  store_->UpsertGames(std::vector<Game>{StoredGame(
      "g1", "Kansas City Chiefs", "Detroit Lions", "2025-09-07T17:00:00Z")});
  store_->InsertParlays(std::vector<Parlay>{
      testing::MakeParlay("t-1", 1000, "USD",
                          {testing::MakeLeg(0, "g1", Market::kMoneyline,
                                            Selection::kHome, "", "-110")})});
  ApplyOdds(json::array({OddsEvent("e1", "Kansas City Chiefs", "Detroit Lions",
                                   "2025-09-07T17:00:00Z", true, nullptr,
                                   "2025-09-07T20:30:00Z")}));
  EXPECT_EQ(Stored("g1").status, GameStatus::kFinal);
  Engine engine(*store_, clock_);
  const SettleSummary summary = engine.SettleAll();
  EXPECT_EQ(summary.legs_settled(), 0);
  EXPECT_EQ(summary.games_needing_attention, std::vector<std::string>{"g1"});
}

TEST_P(ScoreFeedTest, OddsApiIncompleteWithScoresIsInProgress) {
  store_->UpsertGames(std::vector<Game>{StoredGame(
      "g1", "Kansas City Chiefs", "Detroit Lions", "2025-09-07T17:00:00Z")});
  store_->InsertParlays(std::vector<Parlay>{
      testing::MakeParlay("t-1", 1000, "USD",
                          {testing::MakeLeg(0, "g1", Market::kMoneyline,
                                            Selection::kHome, "", "-110")})});
  ApplyOdds(json::array({OddsEvent(
      "e1", "Kansas City Chiefs", "Detroit Lions", "2025-09-07T17:00:00Z",
      false, Scores("Kansas City Chiefs", "14", "Detroit Lions", "3"),
      "2025-09-07T18:10:00Z")}));
  const Game game = Stored("g1");
  EXPECT_EQ(game.status, GameStatus::kInProgress);
  EXPECT_EQ(game.home_score, 14);
  Engine engine(*store_, clock_);
  EXPECT_EQ(engine.SettleAll().legs_settled(), 0);
  EXPECT_EQ(store_->GetParlay("t-1")->legs[0].status, LegStatus::kPending);
}

TEST_P(ScoreFeedTest, OutOfOrderUpdateIgnored) {
  store_->UpsertGames(std::vector<Game>{StoredGame(
      "g1", "Kansas City Chiefs", "Detroit Lions", "2025-09-07T17:00:00Z")});
  const auto update = [&](const char* time, const char* home, const char* away,
                          bool completed) {
    return ApplyOdds(json::array({OddsEvent(
        "e1", "Kansas City Chiefs", "Detroit Lions", "2025-09-07T17:00:00Z",
        completed, Scores("Kansas City Chiefs", home, "Detroit Lions", away),
        time)}));
  };
  update("2025-09-07T20:30:00Z", "20", "21", true);
  const FeedStats late = update("2025-09-07T19:00:00Z", "14", "14", false);
  EXPECT_EQ(late.out_of_order, 1);
  EXPECT_EQ(late.applied, 0);
  const Game game = Stored("g1");
  EXPECT_EQ(game.status, GameStatus::kFinal);
  EXPECT_EQ(game.home_score, 20);
  EXPECT_EQ(game.updated_at, At("2025-09-07T20:30:00Z"));
}

TEST_P(ScoreFeedTest, IdenticalRepeatIsNoOp) {
  store_->UpsertGames(std::vector<Game>{StoredGame(
      "g1", "Kansas City Chiefs", "Detroit Lions", "2025-09-07T17:00:00Z")});
  const json events = json::array({OddsEvent(
      "e1", "Kansas City Chiefs", "Detroit Lions", "2025-09-07T17:00:00Z", true,
      Scores("Kansas City Chiefs", "20", "Detroit Lions", "21"),
      "2025-09-07T20:30:00Z")});
  EXPECT_EQ(ApplyOdds(events).applied, 1);
  const FeedStats repeat = ApplyOdds(events);
  EXPECT_EQ(repeat.unchanged, 1);
  EXPECT_EQ(repeat.applied, 0);
  EXPECT_EQ(repeat.out_of_order, 0);
}

TEST_P(ScoreFeedTest, AliasMatchesStoredName) {
  store_->UpsertGames(std::vector<Game>{StoredGame(
      "g1", "Los Angeles Rams", "NY Giants", "2025-09-07T17:00:00Z")});
  const FeedStats stats = ApplyOdds(json::array(
      {OddsEvent("e1", "LA Rams", "New York Giants", "2025-09-07T20:00:00Z",
                 true, Scores("LA Rams", "24", "New York Giants", "17"),
                 "2025-09-07T23:30:00Z")}));
  EXPECT_EQ(stats.applied, 1);
  EXPECT_EQ(stats.unmatched, 0);
  EXPECT_EQ(Stored("g1").home_score, 24);
}

TEST_P(ScoreFeedTest, UnknownTeamRejected) {
  store_->UpsertGames(std::vector<Game>{StoredGame(
      "g1", "Kansas City Chiefs", "Detroit Lions", "2025-09-07T17:00:00Z")});
  const FeedStats stats = ApplyOdds(json::array({OddsEvent(
      "e1", "Kansas City Royals", "Detroit Lions", "2025-09-07T17:00:00Z", true,
      Scores("Kansas City Royals", "5", "Detroit Lions", "3"),
      "2025-09-07T20:30:00Z")}));
  EXPECT_EQ(stats.unmatched, 1);
  EXPECT_EQ(stats.applied, 0);
  EXPECT_EQ(Stored("g1").status, GameStatus::kScheduled);
}

TEST_P(ScoreFeedTest, AmbiguousMatchRejected) {
  // A doubleheader: the same teams twice within 36 hours.
  store_->UpsertGames(
      std::vector<Game>{StoredGame("g1", "New York Yankees", "Boston Red Sox",
                                   "2025-09-07T17:00:00Z", "baseball"),
                        StoredGame("g2", "New York Yankees", "Boston Red Sox",
                                   "2025-09-07T23:00:00Z", "baseball")});
  json event = OddsEvent("e1", "New York Yankees", "Boston Red Sox",
                         "2025-09-07T17:05:00Z", true,
                         Scores("New York Yankees", "5", "Boston Red Sox", "3"),
                         "2025-09-07T20:30:00Z");
  event["sport_key"] = "baseball_mlb";
  const FeedStats stats = ApplyOdds(json::array({event}));
  EXPECT_EQ(stats.unmatched, 1);
  EXPECT_EQ(Stored("g1").status, GameStatus::kScheduled);
  EXPECT_EQ(Stored("g2").status, GameStatus::kScheduled);
}

TEST_P(ScoreFeedTest, SwappedHomeAndAwayRejected) {
  store_->UpsertGames(std::vector<Game>{StoredGame(
      "g1", "Kansas City Chiefs", "Detroit Lions", "2025-09-07T17:00:00Z")});
  const FeedStats stats = ApplyOdds(json::array({OddsEvent(
      "e1", "Detroit Lions", "Kansas City Chiefs", "2025-09-07T17:00:00Z", true,
      Scores("Detroit Lions", "21", "Kansas City Chiefs", "20"),
      "2025-09-07T20:30:00Z")}));
  EXPECT_EQ(stats.unmatched, 1);
  EXPECT_FALSE(Stored("g1").home_score.has_value());
}

TEST_P(ScoreFeedTest, LinkedEventFollowsRescheduledGame) {
  store_->UpsertGames(std::vector<Game>{StoredGame(
      "g1", "Kansas City Chiefs", "Detroit Lions", "2025-09-07T17:00:00Z")});
  json postponed = OddsEvent("e1", "Kansas City Chiefs", "Detroit Lions",
                             "2025-09-07T17:00:00Z", false, nullptr, nullptr);
  ApplyOdds(json::array({postponed}));
  // Rescheduled five days later: too far to match by names, but the event
  // id is linked to g1 now.
  const FeedStats stats = ApplyOdds(json::array({OddsEvent(
      "e1", "Kansas City Chiefs", "Detroit Lions", "2025-09-12T17:00:00Z", true,
      Scores("Kansas City Chiefs", "30", "Detroit Lions", "10"),
      "2025-09-12T20:30:00Z")}));
  EXPECT_EQ(stats.applied, 1);
  EXPECT_EQ(Stored("g1").home_score, 30);
  // The scheduled start, from which a postponement is measured, is kept.
  EXPECT_EQ(Stored("g1").start_time, At("2025-09-07T17:00:00Z"));
}

TEST_P(ScoreFeedTest, OperatorVoidedGameKept) {
  store_->UpsertGames(std::vector<Game>{StoredGame(
      "g1", "Kansas City Chiefs", "Detroit Lions", "2025-09-07T17:00:00Z")});
  Engine engine(*store_, clock_);
  engine.VoidGame("g1", "stadium flooded");
  const FeedStats stats = ApplyOdds(json::array({OddsEvent(
      "e1", "Kansas City Chiefs", "Detroit Lions", "2025-09-07T17:00:00Z", true,
      Scores("Kansas City Chiefs", "20", "Detroit Lions", "21"),
      "2025-09-08T20:30:00Z")}));
  EXPECT_EQ(stats.operator_voided, 1);
  EXPECT_EQ(Stored("g1").status, GameStatus::kCancelled);
}

TEST_P(ScoreFeedTest, PartialSnapshotNotHalfApplied) {
  store_->UpsertGames(
      std::vector<Game>{StoredGame("g1", "Kansas City Chiefs", "Detroit Lions",
                                   "2025-09-07T17:00:00Z"),
                        StoredGame("g2", "Buffalo Bills", "New York Jets",
                                   "2025-09-07T17:00:00Z")});
  const json events = json::array(
      {OddsEvent("e1", "Kansas City Chiefs", "Detroit Lions",
                 "2025-09-07T17:00:00Z", true,
                 Scores("Kansas City Chiefs", "20", "Detroit Lions", "21"),
                 "2025-09-07T20:30:00Z"),
       OddsEvent("e2", "Buffalo Bills", "New York Jets", "2025-09-07T17:00:00Z",
                 true, Scores("Buffalo Bills", "-3", "New York Jets", "10"),
                 "2025-09-07T20:30:00Z")});
  ExpectRejected(FeedProvider::kOddsApi, events.dump(),
                 "feed.json record 2, field scores[0].score: invalid value "
                 "\"-3\"");
  EXPECT_FALSE(Stored("g1").home_score.has_value());
  EXPECT_FALSE(Stored("g2").home_score.has_value());
}

TEST_P(ScoreFeedTest, MalformedOddsApiSnapshotsRejected) {
  const json valid = OddsEvent(
      "e1", "Kansas City Chiefs", "Detroit Lions", "2025-09-07T17:00:00Z", true,
      Scores("Kansas City Chiefs", "20", "Detroit Lions", "21"),
      "2025-09-07T20:30:00Z");
  const std::string text = json::array({valid}).dump();

  ExpectRejected(FeedProvider::kOddsApi, text.substr(0, text.size() / 2),
                 "feed.json: invalid JSON at line 1");
  ExpectRejected(FeedProvider::kOddsApi, "{\"message\": \"quota\"}",
                 "expected a JSON array of events");
  json numeric = valid;
  numeric["scores"][0]["score"] = 20;
  ExpectRejected(FeedProvider::kOddsApi, json::array({numeric}).dump(),
                 "field scores[0].score: invalid value 20; expected a score "
                 "from 0 to 999 as a string, such as \"3\", not a number");
  json huge = valid;
  huge["scores"][1]["score"] = "100000";
  ExpectRejected(FeedProvider::kOddsApi, json::array({huge}).dump(),
                 "field scores[1].score: invalid value \"100000\"");
  json old = valid;
  old["commence_time"] = "1900-01-01T00:00:00Z";
  ExpectRejected(FeedProvider::kOddsApi, json::array({old}).dump(),
                 "record 1, field commence_time: invalid value "
                 "\"1900-01-01T00:00:00Z\"; expected an ISO 8601 time from "
                 "2000 to 2099");
  json wrong_type = valid;
  wrong_type["completed"] = "yes";
  ExpectRejected(FeedProvider::kOddsApi, json::array({wrong_type}).dump(),
                 "field completed: invalid value \"yes\"; expected true or "
                 "false");
  json stranger = valid;
  stranger["scores"][1]["name"] = "Green Bay Packers";
  ExpectRejected(FeedProvider::kOddsApi, json::array({stranger}).dump(),
                 "field scores[1].name: invalid value \"Green Bay Packers\"");
  json one_team = valid;
  one_team["scores"].erase(1);
  ExpectRejected(FeedProvider::kOddsApi, json::array({one_team}).dump(),
                 "score of one team only");
  json missing_id = valid;
  missing_id.erase("id");
  ExpectRejected(FeedProvider::kOddsApi, json::array({missing_id}).dump(),
                 "record 1, field id: missing");

  json many = json::array();
  for (int i = 0; i < 10'000; ++i) many.push_back(valid);
  ExpectRejected(FeedProvider::kOddsApi, many.dump(),
                 "too many events (10000); expected at most 2000");
}

// A minimal ESPN soccer scoreboard with one match.
json EspnBoard(const std::string& status, const std::string& home_score,
               const std::string& away_score, json details) {
  const auto competitor = [](const char* side, const char* id, const char* name,
                             const std::string& score) {
    return json{{"homeAway", side},
                {"score", score},
                {"team", {{"id", id}, {"displayName", name}}}};
  };
  return {{"leagues", json::array({{{"slug", "uefa.champions"}}})},
          {"events",
           json::array(
               {{{"id", "900"},
                 {"uid", "s:600~l:2~e:900"},
                 {"date", "2025-09-07T19:00Z"},
                 {"competitions",
                  json::array(
                      {{{"status", {{"type", {{"name", status}}}}},
                        {"competitors",
                         json::array(
                             {competitor("home", "1", "Arsenal", home_score),
                              competitor("away", "2", "Chelsea", away_score)})},
                        {"details", details}}})}}})}};
}

json Goal(const char* clock, const char* team, bool own_goal = false) {
  return {{"clock", {{"displayValue", clock}}},
          {"team", {{"id", team}}},
          {"scoringPlay", true},
          {"ownGoal", own_goal},
          {"shootout", false}};
}

TEST_P(ScoreFeedTest, EspnExtraTimeGoalsLeftOutOfRegulation) {
  const FeedSnapshot snapshot =
      Parse(FeedProvider::kEspn,
            EspnBoard("STATUS_FINAL_AET", "2", "1",
                      json::array({Goal("30'", "1"), Goal("45'+2'", "2"),
                                   Goal("105'+1'", "1")}))
                .dump());
  ASSERT_TRUE(snapshot.problems.empty());
  const Game& result = snapshot.updates.at(0).result;
  EXPECT_EQ(result.extra_time, true);
  EXPECT_EQ(result.periods.first_half, (Score{1, 1}));
  EXPECT_EQ(result.periods.regulation, (Score{1, 1}));
}

TEST_P(ScoreFeedTest, EspnOwnGoalCountedForTheBenefitingSide) {
  // The plays only add up to 1-1 with the own goal credited the other way.
  const FeedSnapshot snapshot =
      Parse(FeedProvider::kEspn,
            EspnBoard("STATUS_FINAL_AET", "1", "1",
                      json::array({Goal("10'", "1", true), Goal("50'", "1")}))
                .dump());
  ASSERT_TRUE(snapshot.problems.empty());
  EXPECT_EQ(snapshot.updates.at(0).result.periods.regulation, (Score{1, 1}));
}

TEST_P(ScoreFeedTest, EspnExtraTimeWithoutPlaysNeedsAttention) {
  store_->UpsertGames(std::vector<Game>{StoredGame(
      "g1", "Arsenal", "Chelsea", "2025-09-07T19:00:00Z", "soccer")});
  store_->InsertParlays(std::vector<Parlay>{
      testing::MakeParlay("t-1", 1000, "USD",
                          {testing::MakeLeg(0, "g1", Market::kMoneyline3Way,
                                            Selection::kHome, "", "2.00")}),
      testing::MakeParlay("t-2", 1000, "USD",
                          {testing::MakeLeg(0, "g1", Market::kToAdvance,
                                            Selection::kHome, "", "1.50")})});
  // A 2-1 after extra time whose plays do not add up: no regulation score.
  Apply(FeedProvider::kEspn,
        EspnBoard("STATUS_FINAL_AET", "2", "1", json::array({Goal("30'", "1")}))
            .dump());
  EXPECT_FALSE(Stored("g1").periods.regulation.has_value());
  Engine engine(*store_, clock_);
  const SettleSummary summary = engine.SettleAll();
  EXPECT_EQ(summary.games_needing_attention, std::vector<std::string>{"g1"});
  EXPECT_EQ(store_->GetParlay("t-1")->legs[0].status, LegStatus::kPending);
  EXPECT_EQ(store_->GetParlay("t-2")->legs[0].status, LegStatus::kWon);
}

TEST_P(ScoreFeedTest, EspnUnknownStatusKeptUnknown) {
  store_->UpsertGames(std::vector<Game>{StoredGame(
      "g1", "Arsenal", "Chelsea", "2025-09-07T19:00:00Z", "soccer")});
  store_->InsertParlays(std::vector<Parlay>{
      testing::MakeParlay("t-1", 1000, "USD",
                          {testing::MakeLeg(0, "g1", Market::kMoneyline3Way,
                                            Selection::kHome, "", "2.00")})});
  const FeedStats stats =
      Apply(FeedProvider::kEspn,
            EspnBoard("STATUS_FORFEIT", "3", "0", json::array()).dump());
  EXPECT_EQ(stats.unknown_status, 1);
  const Game game = Stored("g1");
  EXPECT_EQ(game.status, GameStatus::kUnknown);
  EXPECT_EQ(game.status_detail, "STATUS_FORFEIT");
  Engine engine(*store_, clock_);
  EXPECT_EQ(engine.SettleAll().legs_settled(), 0);
  const Leg leg = store_->GetParlay("t-1")->legs[0];
  EXPECT_EQ(leg.status, LegStatus::kPending);
}

TEST_P(ScoreFeedTest, MalformedEspnSnapshotsRejected) {
  ExpectRejected(FeedProvider::kEspn, "{\"events\": [", "invalid JSON");
  ExpectRejected(FeedProvider::kEspn, "{\"leagues\": []}",
                 "field events: missing");
  ExpectRejected(
      FeedProvider::kEspn,
      EspnBoard("STATUS_FULL_TIME", "two", "1", json::array()).dump(),
      "record 1, field competitions[0].competitors[home].score: "
      "invalid value \"two\"");
  json no_status = EspnBoard("STATUS_FULL_TIME", "2", "1", json::array());
  no_status["events"][0]["competitions"][0].erase("status");
  ExpectRejected(FeedProvider::kEspn, no_status.dump(),
                 "field competitions[0].status.type: missing");
  json old = EspnBoard("STATUS_FULL_TIME", "2", "1", json::array());
  old["events"][0]["date"] = "1900-01-01T00:00Z";
  ExpectRejected(FeedProvider::kEspn, old.dump(),
                 "field date: invalid value \"1900-01-01T00:00Z\"");
}

TEST_P(ScoreFeedTest, GamesCsvUpdatesNamedGame) {
  store_->UpsertGames(std::vector<Game>{StoredGame(
      "g1", "Kansas City Chiefs", "Detroit Lions", "2025-09-07T17:00:00Z")});
  const FeedStats stats =
      Apply(FeedProvider::kGamesCsv,
            "id,home,away,status,home_score,away_score,updated_at,extra_time,"
            "regulation_home_score,regulation_away_score,q1_home_score,"
            "q1_away_score\n"
            "g1,Kansas City Chiefs,Detroit Lions,final,27,24,"
            "2025-09-07T21:00:00Z,true,24,24,7,7\n");
  EXPECT_EQ(stats.applied, 1);
  const Game game = Stored("g1");
  EXPECT_EQ(game.home_score, 27);
  EXPECT_EQ(game.extra_time, true);
  EXPECT_EQ(game.periods.regulation, (Score{24, 24}));
  EXPECT_EQ(game.periods.quarters[0], (Score{7, 7}));
}

TEST_P(ScoreFeedTest, GamesCsvWithOtherTeamsRejected) {
  store_->UpsertGames(std::vector<Game>{StoredGame(
      "g1", "Kansas City Chiefs", "Detroit Lions", "2025-09-07T17:00:00Z")});
  const FeedStats stats =
      Apply(FeedProvider::kGamesCsv,
            "id,home,away,status,home_score,away_score,updated_at\n"
            "g1,Buffalo Bills,Detroit Lions,final,27,24,"
            "2025-09-07T21:00:00Z\n");
  EXPECT_EQ(stats.unmatched, 1);
  EXPECT_EQ(Stored("g1").status, GameStatus::kScheduled);
}

TEST_P(ScoreFeedTest, MalformedGamesCsvRejected) {
  const std::string header =
      "id,home,away,status,home_score,away_score,updated_at\n";
  ExpectRejected(FeedProvider::kGamesCsv,
                 header + "g1,Kansas City Chiefs,Detroit Lions,final,27\n",
                 "feed.json record 1 (line 2): row has 5 fields; expected 7");
  ExpectRejected(FeedProvider::kGamesCsv,
                 header +
                     "g1,\"Kansas City Chiefs,Detroit Lions,final,2,1,"
                     "2025-09-07T21:00:00Z\n",
                 "unterminated quoted field 2");
  ExpectRejected(FeedProvider::kGamesCsv,
                 "id,home,away,status,score,updated_at\n",
                 "field score: unknown column");
  ExpectRejected(FeedProvider::kGamesCsv,
                 header +
                     "g1,Kansas City Chiefs,Detroit Lions,finished,2,1,"
                     "2025-09-07T21:00:00Z\n",
                 "field status: invalid value \"finished\"");
  ExpectRejected(FeedProvider::kGamesCsv,
                 header +
                     "g1,Kansas City Chiefs,Detroit Lions,final,2,,"
                     "2025-09-07T21:00:00Z\n",
                 "only one of the two scores given");
}

TEST(TeamAliasesTest, MatchesThroughNormalisationAndAliases) {
  const TeamAliases aliases = TeamAliases::BuiltIn();
  EXPECT_TRUE(aliases.Same("LA Rams", "Los Angeles Rams"));
  EXPECT_TRUE(aliases.Same("la  rams", "Los Angeles Rams"));
  EXPECT_TRUE(aliases.Same("St. Louis Cardinals", "st louis cardinals"));
  EXPECT_TRUE(aliases.Same("Nott'm Forest", "Nottingham Forest"));
  EXPECT_TRUE(aliases.Same("USA", "United States"));
  EXPECT_FALSE(aliases.Same("LA Rams", "Los Angeles Chargers"));
  EXPECT_FALSE(aliases.Same("New York Giants", "New York Jets"));
}

TEST(TeamAliasesTest, RejectsAliasOfTwoTeams) {
  TeamAliases aliases = TeamAliases::BuiltIn();
  EXPECT_THROW(aliases.Add("LA Rams", "Los Angeles Chargers"),
               std::invalid_argument);
}

TEST(TeamAliasesTest, ReadsAliasFile) {
  testing::TempDir dir;
  const std::string path = dir.File("aliases.csv");
  testing::WriteFile(path, "alias,name\nKC,Kansas City Chiefs\n");
  TeamAliases aliases = TeamAliases::BuiltIn();
  aliases.AddFromCsv(path);
  EXPECT_TRUE(aliases.Same("KC", "Kansas City Chiefs"));

  testing::WriteFile(path, "alias,name\nKC\n");
  EXPECT_THROW(aliases.AddFromCsv(path), ImportError);
}

INSTANTIATE_TEST_SUITE_P(Backends, ScoreFeedTest, testing::AllBackends(),
                         testing::BackendName);

}  // namespace
}  // namespace parlay
