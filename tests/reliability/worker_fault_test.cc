// Storage faults under the running service: SQLite write errors (through a
// failing VFS) and PostgreSQL statement timeouts on locked rows. Failed
// cycles are counted in /metrics and logged with the game ids, the circuit
// breaker opens at its threshold and closes after the reset period once
// the fault clears, and nothing stored before the fault is lost.

#include <gtest/gtest.h>

#include "reliability/fault_data.h"
#include "reliability/faulty_vfs.h"
#include "reliability/process_support.h"
#include "reliability/real_store_service.h"
#include "store/postgres_db.h"

namespace parlay {
namespace {

using reliability::AddWonGames;
using reliability::DatabaseProbe;
using reliability::FaultyVfs;
using reliability::LogCapture;
using service::CycleOutcome;

constexpr int kParlays = 5;

class WorkerFaultTest : public reliability::RealStoreServiceTest {
 protected:
  // Makes every settlement write of g-1002 and g-1003 fail.
  void InjectFault() {
    if (OnPostgres()) {
      holder_ = std::make_unique<PgConnection>(database_.url(),
                                               PgConnectionOptions{});
      holder_->ExecuteScript("BEGIN");
      holder_->Execute(
          "SELECT 1 FROM legs WHERE game_id IN ('g-1002', 'g-1003') FOR "
          "UPDATE");
    } else {
      FaultyVfs::Install().Arm(database_.url(), true, false);
    }
  }

  void ClearFault() {
    if (holder_) {
      holder_->ExecuteScript("ROLLBACK");
      holder_.reset();
    } else {
      FaultyVfs::Install().Disarm();
    }
  }

  std::optional<service::CycleReport> Cycle() {
    return service_->worker().RunCycleNow(std::chrono::seconds(60));
  }

  std::unique_ptr<PgConnection> holder_;
};

TEST_P(WorkerFaultTest, BreakerOpensAndRecovers) {
  if (!OnPostgres()) FaultyVfs::Install();  // before any connection opens
  {
    std::unique_ptr<Store> store = OpenStore();
    AddWonGames(*store, 0, 2, kParlays);
  }
  service::ServiceConfig config = BaseConfig();
  config.breaker_threshold = 2;
  config.breaker_reset_seconds = 60;
  // The worker's PostgreSQL statement timeout is 500 ms. Its first cycle
  // settles g-1000 and g-1001.
  StartWithRealStores(config, [](const std::string& path) {
    return parlay::OpenStore(path, {.statement_timeout_ms = 500});
  });
  {
    std::unique_ptr<Store> store = OpenStore();
    AddWonGames(*store, 2, 2, kParlays);
  }

  LogCapture log;
  InjectFault();
  const double game_errors =
      Metric("parlay_settlement_errors_total{type=\"game\"}");
  std::optional<service::CycleReport> first = Cycle();
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->outcome, CycleOutcome::kFailed) << first->error;
  EXPECT_EQ(first->games_attempted, 2);
  EXPECT_EQ(Metric("parlay_settlement_errors_total{type=\"game\"}"),
            game_errors + 2);
  EXPECT_EQ(Metric("parlay_settlement_errors_total{type=\"cycle\"}"), 1);
  EXPECT_EQ(service_->worker().Status().breaker.consecutive_errors, 1);

  std::optional<service::CycleReport> second = Cycle();
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(second->outcome, CycleOutcome::kFailed);
  EXPECT_EQ(Metric("parlay_settlement_errors_total{type=\"cycle\"}"), 2);
  EXPECT_EQ(Metric("parlay_settlement_breaker_trips_total"), 1);
  Reply open = Get("/health/settlement");
  EXPECT_EQ(open.status, 503) << open.text;
  EXPECT_EQ(open.body["status"], "circuit_open");

  const std::string text = log.text();
  // Without SetUpServiceLogging, events are logged as text lines.
  EXPECT_NE(text.find("games failed to settle"), std::string::npos) << text;
  EXPECT_NE(text.find("game_ids=[\"g-1002\",\"g-1003\"]"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("settlement circuit breaker changed state"),
            std::string::npos)
      << text;

  // Cleared, but the breaker stays open until its reset period passes.
  ClearFault();
  std::optional<service::CycleReport> skipped = Cycle();
  ASSERT_TRUE(skipped.has_value());
  EXPECT_EQ(skipped->outcome, CycleOutcome::kSkipped);
  clock_.Advance(60'000);
  std::optional<service::CycleReport> trial = Cycle();
  ASSERT_TRUE(trial.has_value());
  EXPECT_EQ(trial->outcome, CycleOutcome::kCompleted) << trial->error;
  EXPECT_EQ(trial->summary.parlays_settled(), 2 * kParlays);
  Reply healthy = Get("/health/settlement");
  EXPECT_EQ(healthy.status, 200) << healthy.text;
  EXPECT_EQ(healthy.body["status"], "healthy");
  EXPECT_EQ(Metric("parlay_settlement_breaker_state{state=\"closed\"}"), 1);

  // Everything settled once, the games settled before the fault included.
  DatabaseProbe db(database_.url());
  EXPECT_EQ(db.Count("SELECT COUNT(*) FROM parlays WHERE status = 'WON'"),
            4 * kParlays);
  EXPECT_EQ(db.Count("SELECT COUNT(*) FROM legs WHERE status = 'WON'"),
            4 * kParlays);
  EXPECT_EQ(db.Count("SELECT COUNT(*) FROM settlement_events WHERE entity "
                     "IN ('leg', 'parlay')"),
            2 * 4 * kParlays);
  EXPECT_EQ(db.Count("SELECT COUNT(*) FROM outbox"), 2 * 4 * kParlays);
}

INSTANTIATE_TEST_SUITE_P(Backends, WorkerFaultTest, testing::AllBackends(),
                         testing::BackendName);

}  // namespace
}  // namespace parlay
