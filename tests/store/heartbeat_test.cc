// The worker heartbeat row and the settlement backlog counts of the SQLite
// store.

#include <gtest/gtest.h>

#include "engine/settlement.h"
#include "store/store.h"
#include "support/test_database.h"
#include "support/test_support.h"

namespace parlay {
namespace {

class HeartbeatTest : public ::testing::TestWithParam<testing::Backend> {};


using testing::MakeGame;
using testing::MakeLeg;
using testing::MakeParlay;

TEST_P(HeartbeatTest, WriteReplacesRow) {
  testing::TestDatabase database(GetParam());
  PARLAY_REQUIRE_DATABASE(database);
  std::unique_ptr<Store> store = database.Open();
  EXPECT_FALSE(store->ReadHeartbeat("w-1").has_value());

  WorkerHeartbeat beat;
  beat.worker_id = "w-1";
  beat.started_at_ms = 1'000;
  beat.beat_at_ms = 2'000;
  beat.cycles = 3;
  beat.last_parlays_settled = 4;
  beat.last_parlays_won = 1;
  beat.last_parlays_lost = 2;
  beat.total_parlays_settled = 40;
  beat.total_parlays_won = 10;
  beat.total_parlays_lost = 20;
  beat.total_legs_settled = 99;
  store->WriteHeartbeat(beat);
  beat.beat_at_ms = 5'000;
  beat.cycles = 4;
  store->WriteHeartbeat(beat);

  std::optional<WorkerHeartbeat> read = store->ReadHeartbeat("w-1");
  ASSERT_TRUE(read.has_value());
  EXPECT_EQ(read->beat_at_ms, 5'000);
  EXPECT_EQ(read->cycles, 4);
  EXPECT_EQ(read->started_at_ms, 1'000);
  EXPECT_EQ(read->last_parlays_settled, 4);
  EXPECT_EQ(read->last_parlays_won, 1);
  EXPECT_EQ(read->last_parlays_lost, 2);
  EXPECT_EQ(read->total_parlays_settled, 40);
  EXPECT_EQ(read->total_parlays_won, 10);
  EXPECT_EQ(read->total_parlays_lost, 20);
  EXPECT_EQ(read->total_legs_settled, 99);
  EXPECT_FALSE(store->ReadHeartbeat("w-2").has_value());
}

TEST_P(HeartbeatTest, BacklogCountsGradableGamesAndPendingLegs) {
  testing::TestDatabase database(GetParam());
  PARLAY_REQUIRE_DATABASE(database);
  std::unique_ptr<Store> store = database.Open();
  store->UpsertGames(std::vector<Game>{
      MakeGame("final", "H1", "A1", 3, 1),
      MakeGame("no-score", "H2", "A2", std::nullopt, std::nullopt),
      MakeGame("later", "H3", "A3", std::nullopt, std::nullopt,
               GameStatus::kScheduled),
  });
  store->InsertParlays(std::vector<Parlay>{
      MakeParlay("p-1", 100, "USD",
                 {MakeLeg(0, "final", Market::kMoneyline, Selection::kHome, "",
                          "-110"),
                  MakeLeg(1, "later", Market::kMoneyline, Selection::kHome, "",
                          "-110")}),
      MakeParlay("p-2", 100, "USD",
                 {MakeLeg(0, "no-score", Market::kMoneyline, Selection::kAway,
                          "", "+120")}),
  });
  // Only "final" is gradable; three legs are pending.
  SettlementBacklog before = store->CountBacklog();
  EXPECT_EQ(before.games_awaiting, 1);
  EXPECT_EQ(before.pending_legs, 3);

  testing::ManualClock clock;
  Engine(*store, clock).SettleAll();
  SettlementBacklog after = store->CountBacklog();
  EXPECT_EQ(after.games_awaiting, 0);
  EXPECT_EQ(after.pending_legs, 2);
}

INSTANTIATE_TEST_SUITE_P(Backends, HeartbeatTest, testing::AllBackends(),
                         testing::BackendName);

}  // namespace
}  // namespace parlay
