// Store::CountGamesNeedingAttention counts each reason for a game in every
// status, with and without pending legs, and agrees with
// FindGamesNeedingAttention.

#include <gtest/gtest.h>

#include "store/store.h"
#include "support/test_database.h"
#include "support/test_support.h"

namespace parlay {
namespace {

using testing::MakeGame;
using testing::MakeLeg;
using testing::MakeParlay;

class AttentionCountTest : public ::testing::TestWithParam<testing::Backend> {};

TEST_P(AttentionCountTest, CountsEachReason) {
  testing::TestDatabase database(GetParam());
  PARLAY_REQUIRE_DATABASE(database);
  std::unique_ptr<Store> store = database.Open();

  struct Case {
    const char* id;
    GameStatus status;
    std::optional<int> home_score;
    std::optional<int> away_score;
    bool pending_leg;
  };
  const Case cases[] = {
      {"final", GameStatus::kFinal, 3, 1, true},
      {"final-no-score", GameStatus::kFinal, std::nullopt, std::nullopt, true},
      {"final-home-only", GameStatus::kFinal, 3, std::nullopt, true},
      {"final-away-only", GameStatus::kFinal, std::nullopt, 2, true},
      {"final-no-score-no-legs", GameStatus::kFinal, std::nullopt, std::nullopt,
       false},
      {"unknown", GameStatus::kUnknown, std::nullopt, std::nullopt, true},
      {"unknown-no-legs", GameStatus::kUnknown, std::nullopt, std::nullopt,
       false},
      {"scheduled", GameStatus::kScheduled, std::nullopt, std::nullopt, true},
      {"in-progress", GameStatus::kInProgress, 1, 1, true},
      {"postponed", GameStatus::kPostponed, std::nullopt, std::nullopt, true},
      {"cancelled", GameStatus::kCancelled, std::nullopt, std::nullopt, true},
      {"held", GameStatus::kFinal, 2, 0, false},
  };
  std::vector<Game> games;
  std::vector<Parlay> parlays;
  for (const Case& c : cases) {
    games.push_back(MakeGame(c.id, std::string("Home ") + c.id,
                             std::string("Away ") + c.id, c.home_score,
                             c.away_score, c.status));
    if (c.pending_leg) {
      parlays.push_back(MakeParlay(std::string("p-") + c.id, 100, "USD",
                                   {MakeLeg(0, c.id, Market::kMoneyline,
                                            Selection::kHome, "", "-110")}));
    }
  }
  store->UpsertGames(games);
  store->InsertParlays(parlays);

  // No game is flagged for an operator yet.
  AttentionCounts counts = store->CountGamesNeedingAttention();
  EXPECT_EQ(counts.correction_held, 0);

  {
    std::unique_ptr<Transaction> transaction = store->Begin();
    transaction->SetGameAttention("held", "result changed outside the window");
    transaction->Commit();
  }

  // Counted by hand from the table above.
  counts = store->CountGamesNeedingAttention();
  EXPECT_EQ(counts.missing_score, 3);
  EXPECT_EQ(counts.correction_held, 1);
  EXPECT_EQ(counts.unknown_status, 1);

  // FindGamesNeedingAttention lists the first two reasons, and no game
  // here has both.
  EXPECT_EQ(static_cast<int64_t>(store->FindGamesNeedingAttention().size()),
            counts.missing_score + counts.correction_held);

  // Clearing the flag removes the game from the count.
  {
    std::unique_ptr<Transaction> transaction = store->Begin();
    transaction->SetGameAttention("held", "");
    transaction->Commit();
  }
  EXPECT_EQ(store->CountGamesNeedingAttention().correction_held, 0);
}

TEST_P(AttentionCountTest, EmptyDatabaseCountsZero) {
  testing::TestDatabase database(GetParam());
  PARLAY_REQUIRE_DATABASE(database);
  std::unique_ptr<Store> store = database.Open();

  const AttentionCounts counts = store->CountGamesNeedingAttention();
  EXPECT_EQ(counts.missing_score, 0);
  EXPECT_EQ(counts.correction_held, 0);
  EXPECT_EQ(counts.unknown_status, 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, AttentionCountTest, testing::AllBackends(),
                         testing::BackendName);

}  // namespace
}  // namespace parlay
