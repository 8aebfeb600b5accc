// The settlement worker with a backlog: a game that becomes final while
// the worker settles older games goes ahead of the rest of the backlog.

#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "service/metrics.h"
#include "service/worker.h"
#include "support/test_database.h"
#include "support/test_support.h"

namespace parlay {
namespace {

using testing::Backend;
using testing::MakeGame;
using testing::MakeLeg;
using testing::MakeParlay;

class WorkerOrderTest : public ::testing::TestWithParam<Backend> {};

// One parlay per game: 10.00 on the home team at +100, so a home win
// pays 20.00.
Parlay HomeParlay(const std::string& game_id) {
  return MakeParlay(
      "p-" + game_id, 1000, "USD",
      {MakeLeg(0, game_id, Market::kMoneyline, Selection::kHome, "", "+100")});
}

TEST_P(WorkerOrderTest, FinalGameSettlesAheadOfBacklog) {
  testing::TestDatabase database(GetParam());
  PARLAY_REQUIRE_DATABASE(database);
  std::unique_ptr<Store> setup = database.Open();
  const std::vector<std::string> backlog = {"old-0", "old-1", "old-2", "old-3"};
  std::vector<Game> games;
  std::vector<Parlay> parlays;
  for (size_t i = 0; i < backlog.size(); ++i) {
    games.push_back(MakeGame(backlog[i], "Home", "Away", 24, 17,
                             GameStatus::kFinal, 1000 + int64_t(i)));
    parlays.push_back(HomeParlay(backlog[i]));
  }
  games.push_back(MakeGame("late", "Home", "Away", std::nullopt, std::nullopt,
                           GameStatus::kScheduled, 2000));
  parlays.push_back(HomeParlay("late"));
  setup->UpsertGames(games);
  setup->InsertParlays(parlays);

  testing::ManualClock clock;
  service::ServiceMetrics metrics;
  service::WorkerOptions options;
  options.worker_id = "worker-order-test";
  options.enabled = true;
  options.interval = std::chrono::hours(1);
  options.batch_games = 1;
  // The worker calls this hook on its thread before each backlog batch.
  // The first time, the hook makes "late" final and wakes the worker, as
  // POST /v1/games does, while the four backlog games are still pending.
  std::unique_ptr<Store> poster = database.Open();
  service::SettlementWorker* worker_in_hook = nullptr;
  int hook_calls = 0;
  options.api_writes_in_flight = [&] {
    if (++hook_calls == 1) {
      poster->UpsertGames(std::vector<Game>{
          MakeGame("late", "Home", "Away", 24, 17, GameStatus::kFinal, 2000)});
      const std::vector<std::string> late = {"late"};
      worker_in_hook->NotifyFinalGames(late);
    }
    return false;
  };
  service::SettlementWorker worker(options, database.Open(), clock, metrics);
  worker_in_hook = &worker;
  worker.Start();
  // A cycle that starts after this call ends after the first one, which
  // settles the backlog.
  ASSERT_TRUE(worker.RunCycleNow(std::chrono::seconds(60)).has_value());
  worker.RequestStop();
  worker.Join();

  ASSERT_GE(hook_calls, 1);
  std::map<std::string, int64_t> settled_seq;
  for (const OutboxEvent& event : setup->ReadOutbox(0, 1000)) {
    if (event.type == "parlay_settled") {
      settled_seq[event.parlay_id] = event.seq;
    }
  }
  ASSERT_EQ(settled_seq.size(), 5u);
  for (const std::string& id : backlog) {
    EXPECT_LT(settled_seq["p-late"], settled_seq["p-" + id]) << id;
  }
  for (const Parlay& placed : parlays) {
    const std::optional<Parlay> parlay = setup->GetParlay(placed.id);
    ASSERT_TRUE(parlay.has_value()) << placed.id;
    EXPECT_EQ(parlay->status, ParlayStatus::kWon) << placed.id;
    EXPECT_EQ(parlay->payout_minor, 2000) << placed.id;
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, WorkerOrderTest, testing::AllBackends(),
                         testing::BackendName);

}  // namespace
}  // namespace parlay
