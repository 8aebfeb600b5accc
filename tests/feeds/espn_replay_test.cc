// Replays the recorded ESPN scoreboard snapshots of the 2026 World Cup
// round of 32 (data/espn-soccer) into a store with bets on every match, and
// checks each game's stored status and score after 90 minutes, and every
// bet, against values worked out by hand from the snapshots' scoring plays.

#include <gtest/gtest.h>

#include <filesystem>
#include <map>

#include "engine/settlement.h"
#include "feeds/feed_internal.h"
#include "feeds/import_internal.h"
#include "feeds/score_feed.h"
#include "rules/odds.h"
#include "store/store.h"
#include "support/test_database.h"
#include "support/test_support.h"

namespace parlay {
namespace {

namespace fs = std::filesystem;

std::string Snapshot(int number) {
  return (fs::path(PARLAY_SOURCE_DIR) / "data/espn-soccer" /
          ("snapshot-000" + std::to_string(number) + ".json"))
      .string();
}

Game StoredGame(const std::string& id, const std::string& home,
                const std::string& away, const std::string& start) {
  Game game;
  game.id = id;
  game.league = "FIFA World Cup";
  game.sport = "soccer";
  game.home = home;
  game.away = away;
  game.start_time = ParseIso8601(start).value();
  // Entered when the draw was made, before any snapshot was received.
  game.updated_at = ParseIso8601("2026-06-01T00:00:00Z").value();
  return game;
}

// The six matches as an operator would have entered them. Team names are
// those of the operator, not ESPN's: "DR Congo", "USA" and "Bosnia and
// Herzegovina" reach ESPN's "Congo DR", "United States" and
// "Bosnia-Herzegovina" through the built-in aliases.
std::vector<Game> WorldCupGames() {
  return {
      StoredGame("bra-jpn", "Brazil", "Japan", "2026-06-29T17:00:00Z"),
      StoredGame("ger-par", "Germany", "Paraguay", "2026-06-29T20:30:00Z"),
      StoredGame("ned-mar", "Netherlands", "Morocco", "2026-06-30T01:00:00Z"),
      StoredGame("eng-cod", "England", "DR Congo", "2026-07-01T16:00:00Z"),
      StoredGame("bel-sen", "Belgium", "Senegal", "2026-07-01T20:00:00Z"),
      StoredGame("usa-bih", "USA", "Bosnia and Herzegovina",
                 "2026-07-02T00:00:00Z"),
  };
}

struct Bet {
  std::string name;  // also the parlay id suffix
  Market market;
  Selection selection;
  std::string line;
};

const Bet kBets[] = {
    {"home", Market::kMoneyline3Way, Selection::kHome, ""},
    {"draw", Market::kMoneyline3Way, Selection::kDraw, ""},
    {"away", Market::kMoneyline3Way, Selection::kAway, ""},
    {"over", Market::kTotal, Selection::kOver, "2.5"},
    {"under", Market::kTotal, Selection::kUnder, "2.5"},
    {"advance-home", Market::kToAdvance, Selection::kHome, ""},
    {"advance-away", Market::kToAdvance, Selection::kAway, ""},
};

// One single-leg parlay of 10.00 USD at 2.00 per game and bet, with the id
// "<game>/<bet>".
std::vector<Parlay> Bets(const std::vector<Game>& games) {
  std::vector<Parlay> parlays;
  for (const Game& game : games) {
    for (const Bet& bet : kBets) {
      parlays.push_back(testing::MakeParlay(
          game.id + "/" + bet.name, 1000, "USD",
          {testing::MakeLeg(0, game.id, bet.market, bet.selection, bet.line,
                            "2.00")}));
    }
  }
  return parlays;
}

// What a match should look like once replayed, worked out by hand from the
// snapshots: the score, the score after 90 minutes from the scoring plays'
// clocks, the shootout, and the resulting status of each bet.
struct Expected {
  GameStatus status;
  std::optional<Score> score;
  std::optional<Score> regulation;
  std::optional<Score> shootout;
  std::optional<bool> extra_time;
  std::map<std::string, LegStatus> bets;
};

const LegStatus W = LegStatus::kWon;
const LegStatus L = LegStatus::kLost;
const LegStatus P = LegStatus::kPending;

std::map<std::string, Expected> ExpectedAfterReplay() {
  return {
      // Japan 29', Brazil 56' and 90'+5': 2-1 in 90 minutes, 3 goals.
      {"bra-jpn",
       {GameStatus::kFinal,
        Score{2, 1},
        Score{2, 1},
        std::nullopt,
        false,
        {{"home", W},
         {"draw", L},
         {"away", L},
         {"over", W},
         {"under", L},
         {"advance-home", W},
         {"advance-away", L}}}},
      // Paraguay 42', Germany 54': 1-1 in 90 minutes and after extra time;
      // Paraguay through 4-3 on penalties.
      {"ger-par",
       {GameStatus::kFinal,
        Score{1, 1},
        Score{1, 1},
        Score{3, 4},
        true,
        {{"home", L},
         {"draw", W},
         {"away", L},
         {"over", L},
         {"under", W},
         {"advance-home", L},
         {"advance-away", W}}}},
      // Netherlands 72', Morocco 90'+1' (stoppage time counts): 1-1;
      // Morocco through 3-2 on penalties.
      {"ned-mar",
       {GameStatus::kFinal,
        Score{1, 1},
        Score{1, 1},
        Score{2, 3},
        true,
        {{"home", L},
         {"draw", W},
         {"away", L},
         {"over", L},
         {"under", W},
         {"advance-home", L},
         {"advance-away", W}}}},
      // Scheduled in snapshot 2; in snapshot 3 Congo DR 7', England 75'
      // and 86': 2-1.
      {"eng-cod",
       {GameStatus::kFinal,
        Score{2, 1},
        Score{2, 1},
        std::nullopt,
        false,
        {{"home", W},
         {"draw", L},
         {"away", L},
         {"over", W},
         {"under", L},
         {"advance-home", W},
         {"advance-away", L}}}},
      // Still scheduled in snapshot 3: no score, every bet pending.
      {"bel-sen",
       {GameStatus::kScheduled,
        std::nullopt,
        std::nullopt,
        std::nullopt,
        std::nullopt,
        {{"home", P},
         {"draw", P},
         {"away", P},
         {"over", P},
         {"under", P},
         {"advance-home", P},
         {"advance-away", P}}}},
      {"usa-bih",
       {GameStatus::kScheduled,
        std::nullopt,
        std::nullopt,
        std::nullopt,
        std::nullopt,
        {{"home", P},
         {"draw", P},
         {"away", P},
         {"over", P},
         {"under", P},
         {"advance-home", P},
         {"advance-away", P}}}},
  };
}

std::optional<Score> StoredScore(const Game& game) {
  if (!game.home_score || !game.away_score) return std::nullopt;
  return Score{*game.home_score, *game.away_score};
}

class EspnReplayTest : public ::testing::TestWithParam<testing::Backend> {};

TEST_P(EspnReplayTest, SettlesWorldCupSnapshots) {
  testing::TestDatabase database(GetParam());
  PARLAY_REQUIRE_DATABASE(database);
  testing::TempDir dir;
  testing::ManualClock clock(ParseIso8601("2026-06-30T04:00:00Z").value() *
                             1000);
  std::unique_ptr<Store> store = database.Open();
  const std::vector<Game> games = WorldCupGames();
  store->UpsertGames(games);
  store->InsertParlays(Bets(games));
  Engine engine(*store, clock);

  std::vector<ImportProblem> problems;
  std::vector<GameStatus> eng_cod_status;
  const FeedStats stats = ReplayFeedFiles(
      *store, clock, FeedProvider::kEspn,
      {Snapshot(1), Snapshot(2), Snapshot(3)}, TeamAliases::BuiltIn(), problems,
      [&] {
        engine.SettleAll();
        eng_cod_status.push_back(store->GetGame("eng-cod")->status);
        clock.Advance(60'000);
      });

  for (const ImportProblem& problem : problems) {
    ADD_FAILURE() << problem.ToString();
  }
  EXPECT_EQ(stats.snapshots, 3);
  EXPECT_EQ(stats.updates, 9);
  EXPECT_EQ(stats.unmatched, 0);
  EXPECT_EQ(stats.unknown_status, 0);
  // Snapshot 2 adds ESPN's status text to the three scheduled games;
  // snapshot 3 repeats Belgium's and the United States' unchanged.
  EXPECT_EQ(stats.unchanged, 2);
  EXPECT_EQ(eng_cod_status, (std::vector<GameStatus>{GameStatus::kScheduled,
                                                     GameStatus::kScheduled,
                                                     GameStatus::kFinal}));

  for (const auto& [id, expected] : ExpectedAfterReplay()) {
    SCOPED_TRACE(id);
    const std::optional<Game> game = store->GetGame(id);
    ASSERT_TRUE(game.has_value());
    EXPECT_EQ(game->status, expected.status);
    EXPECT_EQ(StoredScore(*game), expected.score);
    EXPECT_EQ(game->periods.regulation, expected.regulation);
    EXPECT_EQ(game->shootout, expected.shootout);
    EXPECT_EQ(game->extra_time, expected.extra_time);
    EXPECT_EQ(game->sport, "soccer");
    for (const auto& [bet, status] : expected.bets) {
      const std::optional<Parlay> parlay = store->GetParlay(id + "/" + bet);
      ASSERT_TRUE(parlay.has_value());
      EXPECT_EQ(parlay->legs.at(0).status, status)
          << bet << ": " << parlay->legs.at(0).reason;
      if (status == W) {
        EXPECT_EQ(parlay->payout_minor, 2000) << bet;
      } else if (status == L) {
        EXPECT_EQ(parlay->payout_minor, 0) << bet;
      } else {
        EXPECT_FALSE(parlay->payout_minor.has_value()) << bet;
      }
    }
  }
}

TEST_P(EspnReplayTest, ReplayTwiceChangesNothing) {
  testing::TestDatabase database(GetParam());
  PARLAY_REQUIRE_DATABASE(database);
  testing::TempDir dir;
  testing::ManualClock clock(ParseIso8601("2026-06-30T04:00:00Z").value() *
                             1000);
  std::unique_ptr<Store> store = database.Open();
  const std::vector<Game> games = WorldCupGames();
  store->UpsertGames(games);
  store->InsertParlays(Bets(games));
  Engine engine(*store, clock);
  std::vector<ImportProblem> problems;
  ReplayFeedFiles(*store, clock, FeedProvider::kEspn, {Snapshot(1)},
                  TeamAliases::BuiltIn(), problems,
                  [&] { engine.SettleAll(); });
  const int64_t audit_rows = store->CountAudit();
  ASSERT_GT(audit_rows, 0);

  clock.Advance(60'000);
  const FeedStats again = ReplayFeedFiles(
      *store, clock, FeedProvider::kEspn, {Snapshot(1)}, TeamAliases::BuiltIn(),
      problems, [&] { engine.SettleAll(); });
  EXPECT_TRUE(problems.empty());
  EXPECT_EQ(again.unchanged, 3);
  EXPECT_EQ(again.applied, 0);
  EXPECT_EQ(store->CountAudit(), audit_rows);
}

TEST(EspnSnapshotTest, DerivesPeriodsFromScoringPlays) {
  const Result<std::string> text = feeds::ReadFileText(Snapshot(1));
  ASSERT_TRUE(text.ok());
  const FeedSnapshot snapshot = ParseFeedSnapshot(
      FeedProvider::kEspn, "snapshot-0001.json", text.value(), 1'782'800'000);
  ASSERT_TRUE(snapshot.problems.empty());
  ASSERT_EQ(snapshot.updates.size(), 3u);

  const ScoreUpdate& brazil = snapshot.updates[0];
  EXPECT_EQ(brazil.event_id, "760487");
  EXPECT_EQ(brazil.home_names.front(), "Brazil");
  EXPECT_EQ(brazil.away_names.front(), "Japan");
  EXPECT_EQ(brazil.start_time, ParseIso8601("2026-06-29T17:00:00Z").value());
  EXPECT_EQ(brazil.result.status_detail, "STATUS_FULL_TIME");
  EXPECT_EQ(brazil.result.updated_at, 1'782'800'000);
  // Japan scored at 29', before half time.
  EXPECT_EQ(brazil.result.periods.first_half, (Score{0, 1}));

  const ScoreUpdate& germany = snapshot.updates[1];
  EXPECT_EQ(germany.result.status, GameStatus::kFinal);
  EXPECT_EQ(germany.result.status_detail, "STATUS_FINAL_PEN");
  EXPECT_EQ(germany.result.periods.first_half, (Score{0, 1}));
  EXPECT_EQ(germany.result.periods.regulation, (Score{1, 1}));
}

INSTANTIATE_TEST_SUITE_P(Backends, EspnReplayTest, testing::AllBackends(),
                         testing::BackendName);

}  // namespace
}  // namespace parlay
