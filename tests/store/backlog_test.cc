// Store::CountBacklog counts exactly the games FindGamesToSettle returns,
// for a game in every status.

#include <gtest/gtest.h>

#include <algorithm>

#include "engine/settlement.h"
#include "store/store.h"
#include "support/test_database.h"
#include "support/test_support.h"

namespace parlay {
namespace {

using testing::MakeGame;
using testing::MakeLeg;
using testing::MakeParlay;

class BacklogTest : public ::testing::TestWithParam<testing::Backend> {};

TEST_P(BacklogTest, CountMatchesGamesToSettle) {
  testing::TestDatabase database(GetParam());
  PARLAY_REQUIRE_DATABASE(database);
  std::unique_ptr<Store> store = database.Open();

  struct Case {
    const char* id;
    GameStatus status;
    std::optional<int> home_score;
    std::optional<int> away_score;
  };
  const Case cases[] = {
      {"final", GameStatus::kFinal, 3, 1},
      {"final-no-score", GameStatus::kFinal, std::nullopt, std::nullopt},
      {"final-one-score", GameStatus::kFinal, 3, std::nullopt},
      {"cancelled", GameStatus::kCancelled, std::nullopt, std::nullopt},
      {"abandoned", GameStatus::kAbandoned, 1, 0},
      {"no-contest", GameStatus::kNoContest, std::nullopt, std::nullopt},
      {"scheduled", GameStatus::kScheduled, std::nullopt, std::nullopt},
      {"in-progress", GameStatus::kInProgress, 1, 1},
      {"suspended", GameStatus::kSuspended, 0, 0},
      {"postponed", GameStatus::kPostponed, std::nullopt, std::nullopt},
      {"unknown", GameStatus::kUnknown, std::nullopt, std::nullopt},
      {"settled", GameStatus::kFinal, 2, 0},
  };
  std::vector<Game> games;
  std::vector<Parlay> parlays;
  for (const Case& c : cases) {
    games.push_back(MakeGame(c.id, std::string("Home ") + c.id,
                             std::string("Away ") + c.id, c.home_score,
                             c.away_score, c.status));
    parlays.push_back(MakeParlay(
        std::string("p-") + c.id, 100, "USD",
        {MakeLeg(0, c.id, Market::kMoneyline, Selection::kHome, "", "-110")}));
  }
  store->UpsertGames(games);
  store->InsertParlays(parlays);
  // "settled" has no pending leg left.
  testing::ManualClock clock;
  const std::string settled[] = {"settled"};
  ASSERT_EQ(Engine(*store, clock).SettleGames(settled).legs_settled(), 1);

  // Gradable with a pending leg: final with both scores, and the three
  // void statuses.
  std::vector<std::string> found = store->FindGamesToSettle(1000);
  std::sort(found.begin(), found.end());
  EXPECT_EQ(found, (std::vector<std::string>{"abandoned", "cancelled", "final",
                                             "no-contest"}));
  const SettlementBacklog backlog = store->CountBacklog();
  EXPECT_EQ(backlog.games_awaiting, 4);
  EXPECT_EQ(backlog.pending_legs, 11);
}

INSTANTIATE_TEST_SUITE_P(Backends, BacklogTest, testing::AllBackends(),
                         testing::BackendName);

}  // namespace
}  // namespace parlay
