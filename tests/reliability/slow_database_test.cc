// Health endpoints while the database is slow. A transaction of the test
// holds locks: the worker waits for them, and on PostgreSQL a lock on the
// heartbeat table blocks the health reads too. Both health routes must
// respond before a probe's timeout, and the worker must finish its work once
// the locks are released.
//
// On SQLite in WAL mode readers never wait for a writer, so only the
// worker waits there.

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "reliability/fault_data.h"
#include "reliability/process_support.h"
#include "reliability/real_store_service.h"
#include "service/heartbeat_cache.h"
#include "store/postgres_db.h"

namespace parlay {
namespace {

using reliability::AddWonGames;
using reliability::DatabaseProbe;
using reliability::GameIds;
using testing::PollUntil;

// The timeout of the probe: a health check that takes longer counts as
// failed, whatever its response.
constexpr int kProbeTimeoutSeconds = 3;

class SlowDatabaseTest : public reliability::RealStoreServiceTest {
 protected:
  // Holds, until Release(), the write lock of the SQLite database, or on
  // PostgreSQL row locks on every leg and, with `block_reads`, a lock on
  // worker_heartbeats that blocks its readers.
  void HoldLocks(bool block_reads) {
    if (OnPostgres()) {
      postgres_ = std::make_unique<PgConnection>(database_.url(),
                                                 PgConnectionOptions{});
      postgres_->ExecuteScript("BEGIN");
      postgres_->Execute("SELECT 1 FROM legs FOR UPDATE");
      if (block_reads) {
        postgres_->ExecuteScript(
            "LOCK TABLE worker_heartbeats IN ACCESS EXCLUSIVE MODE");
      }
      return;
    }
    ASSERT_EQ(sqlite3_open(database_.url().c_str(), &sqlite_), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(sqlite_,
                           "BEGIN EXCLUSIVE; UPDATE worker_heartbeats SET "
                           "cycles = cycles",
                           nullptr, nullptr, nullptr),
              SQLITE_OK)
        << sqlite3_errmsg(sqlite_);
  }

  void Release() {
    if (postgres_) {
      postgres_->ExecuteScript("ROLLBACK");
      postgres_.reset();
    }
    if (sqlite_ != nullptr) {
      sqlite3_exec(sqlite_, "ROLLBACK", nullptr, nullptr, nullptr);
      sqlite3_close(sqlite_);
      sqlite_ = nullptr;
    }
  }

  void TearDown() override { Release(); }

  // Sends GET `path` with the probe's timeout. No response fails the test.
  Reply Probe(const std::string& path) {
    httplib::Client client("127.0.0.1", service_->port());
    client.set_connection_timeout(kProbeTimeoutSeconds, 0);
    client.set_read_timeout(kProbeTimeoutSeconds, 0);
    return ToReply(client.Get(path));
  }

  std::unique_ptr<PgConnection> postgres_;
  sqlite3* sqlite_ = nullptr;
};

TEST_P(SlowDatabaseTest, HealthRespondsWhileWorkerWaits) {
  StartWithRealStores(BaseConfig());
  {
    std::unique_ptr<Store> store = OpenStore();
    AddWonGames(*store, 0, 3, 5);
  }
  HoldLocks(false);
  // The worker's cycle starts at once and waits for the locks.
  const std::vector<std::string> games = GameIds(0, 3);
  service_->worker().NotifyFinalGames(games);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));

  for (int i = 0; i < 3; ++i) {
    Reply health = Probe("/health");
    EXPECT_EQ(health.status, 200) << health.text;
    Reply settlement = Probe("/health/settlement");
    EXPECT_EQ(settlement.status, 200) << settlement.text;
    EXPECT_EQ(settlement.body["status"], "healthy") << settlement.text;
  }
  DatabaseProbe db(database_.url());
  EXPECT_EQ(db.Count("SELECT COUNT(*) FROM legs WHERE status = 'PENDING'"),
            15)
      << "the worker did not wait for the locks";

  Release();
  EXPECT_TRUE(PollUntil([&] {
    return db.Count("SELECT COUNT(*) FROM parlays WHERE status = 'WON'") ==
           15;
  }));
  EXPECT_EQ(db.Count("SELECT COUNT(*) FROM outbox"), 30);
}

// Only PostgreSQL can block readers (see the file comment).
class BlockedReadsTest : public SlowDatabaseTest {};

TEST_P(BlockedReadsTest, HealthRespondsWhileReadsBlock) {
  StartWithRealStores(BaseConfig());
  HoldLocks(true);

  for (int i = 0; i < 3; ++i) {
    Reply health = Probe("/health");
    EXPECT_EQ(health.status, 503) << health.text;
    EXPECT_EQ(health.body["database"], "error") << health.text;
    Reply settlement = Probe("/health/settlement");
    EXPECT_EQ(settlement.status, 503) << settlement.text;
    EXPECT_EQ(settlement.body["status"], "error") << settlement.text;
  }

  Release();
  Reply health = Probe("/health");
  EXPECT_EQ(health.status, 200) << health.text;
  // The failed heartbeat read serves the settlement route for a second.
  clock_.Advance(service::kHeartbeatReadMaxAgeMs + 1);
  Reply settlement = Probe("/health/settlement");
  EXPECT_EQ(settlement.status, 200) << settlement.text;
  EXPECT_EQ(settlement.body["status"], "healthy") << settlement.text;
}

INSTANTIATE_TEST_SUITE_P(Backends, SlowDatabaseTest, testing::AllBackends(),
                         testing::BackendName);
INSTANTIATE_TEST_SUITE_P(Backends, BlockedReadsTest,
                         ::testing::Values(testing::Backend::kPostgres),
                         testing::BackendName);

}  // namespace
}  // namespace parlay
