// PostgreSQL faults during settlement: the worker's connection terminated
// by the server in the middle of a batch, and a statement timeout on rows
// another transaction holds. The batch rolls back, the failed games are
// reported with their ids, and the next pass settles them exactly once.
// A stopped server is covered by tests/outage.

#include <gtest/gtest.h>

#include <algorithm>

#include "engine/settlement.h"
#include "reliability/fault_data.h"
#include "reliability/process_support.h"
#include "store/postgres_db.h"
#include "support/test_database.h"
#include "support/test_support.h"

namespace parlay {
namespace {

using reliability::AddWonGames;
using reliability::GameIds;
using reliability::LogCapture;
using testing::Backend;
using testing::TestDatabase;

int64_t Count(PgConnection& db, const std::string& sql) {
  return db.Execute(sql).Int(0, 0);
}

// Every leg and parlay settled WON with one audit row and one outbox event
// each.
void ExpectAllSettledOnce(PgConnection& db, int64_t parlays) {
  EXPECT_EQ(Count(db, "SELECT COUNT(*) FROM legs WHERE status = 'WON'"),
            parlays);
  EXPECT_EQ(Count(db, "SELECT COUNT(*) FROM parlays WHERE status = 'WON'"),
            parlays);
  EXPECT_EQ(Count(db, "SELECT COUNT(*) FROM settlement_events"), 2 * parlays);
  EXPECT_EQ(Count(db, "SELECT COUNT(DISTINCT (entity, parlay_id, "
                      "leg_index)) FROM settlement_events"),
            2 * parlays);
  EXPECT_EQ(Count(db, "SELECT COUNT(*) FROM outbox"), 2 * parlays);
  EXPECT_EQ(Count(db, "SELECT COUNT(DISTINCT (type, parlay_id, leg_index)) "
                      "FROM outbox"),
            2 * parlays);
}

TEST(PostgresFaultTest, TerminatedConnectionMidBatch) {
  TestDatabase database(Backend::kPostgres);
  PARLAY_REQUIRE_DATABASE(database);
  constexpr int kParlays = 20;
  std::unique_ptr<Store> store = database.Open();
  AddWonGames(*store, 0, 6, kParlays);
  PgConnection admin(database.url(), PgConnectionOptions{});
  testing::ManualClock clock;
  Engine engine(*store, clock);

  // The server ends the engine's connection after the batch wrote its legs
  // and parlays, before its audit rows: twice, so the first game's retry
  // fails too.
  int terminated = 0;
  SettleOptions options;
  options.batch_games = 3;
  options.fault_hook = [&](std::string_view stage,
                           std::span<const std::string>) {
    if (stage != "parlays_written" || terminated >= 2) return;
    ++terminated;
    admin.Execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE "
        "datname = current_database() AND pid <> pg_backend_pid()");
  };
  LogCapture log;
  SettleSummary summary = engine.SettleGames(GameIds(0, 6), options);

  EXPECT_EQ(terminated, 2);
  ASSERT_EQ(summary.failures.size(), 1u);
  EXPECT_EQ(summary.failures.front().game_id, "g-1000");
  EXPECT_NE(log.text().find("game_id=g-1000"), std::string::npos)
      << log.text();
  EXPECT_EQ(summary.parlays_settled(), 5 * kParlays);
  // Nothing of g-1000 was kept, and nothing else is missing.
  EXPECT_EQ(Count(admin, "SELECT COUNT(*) FROM legs WHERE game_id = "
                         "'g-1000' AND status = 'PENDING'"),
            kParlays);
  EXPECT_EQ(Count(admin, "SELECT COUNT(*) FROM settlement_events"),
            2 * 5 * kParlays);
  EXPECT_EQ(Count(admin, "SELECT COUNT(*) FROM outbox"), 2 * 5 * kParlays);

  // The next pass, on the reconnected store, settles it.
  SettleSummary next = engine.SettleAll();
  EXPECT_TRUE(next.failures.empty());
  EXPECT_EQ(next.parlays_settled(), kParlays);
  ExpectAllSettledOnce(admin, 6 * kParlays);
}

TEST(PostgresFaultTest, StatementTimeoutOnLockedLegs) {
  TestDatabase database(Backend::kPostgres);
  PARLAY_REQUIRE_DATABASE(database);
  constexpr int kParlays = 20;
  {
    std::unique_ptr<Store> setup = database.Open();
    AddWonGames(*setup, 0, 6, kParlays);
  }
  PostgresOptions short_timeout;
  short_timeout.statement_timeout_ms = 500;
  std::unique_ptr<Store> store =
      OpenPostgresStore(database.url(), short_timeout);
  testing::ManualClock clock;
  Engine engine(*store, clock);

  // Another transaction locks g-1003's legs, so updating them waits until
  // the statement timeout cancels the update.
  PgConnection holder(database.url(), PgConnectionOptions{});
  holder.ExecuteScript("BEGIN");
  holder.Execute("SELECT 1 FROM legs WHERE game_id = 'g-1003' FOR UPDATE");

  LogCapture log;
  SettleOptions options;
  options.batch_games = 3;
  SettleSummary summary = engine.SettleGames(GameIds(0, 6), options);
  ASSERT_EQ(summary.failures.size(), 1u);
  EXPECT_EQ(summary.failures.front().game_id, "g-1003");
  EXPECT_NE(summary.failures.front().error.find("statement timeout"),
            std::string::npos)
      << summary.failures.front().error;
  EXPECT_NE(log.text().find("game_id=g-1003"), std::string::npos)
      << log.text();
  EXPECT_EQ(summary.parlays_settled(), 5 * kParlays);

  PgConnection check(database.url(), PgConnectionOptions{});
  EXPECT_EQ(Count(check, "SELECT COUNT(*) FROM legs WHERE game_id = "
                         "'g-1003' AND status = 'PENDING'"),
            kParlays);
  EXPECT_EQ(Count(check, "SELECT COUNT(*) FROM settlement_events WHERE "
                         "game_id = 'g-1003'"),
            0);

  holder.ExecuteScript("ROLLBACK");
  SettleSummary next = engine.SettleAll();
  EXPECT_TRUE(next.failures.empty());
  EXPECT_EQ(next.parlays_settled(), kParlays);
  ExpectAllSettledOnce(check, 6 * kParlays);
}

}  // namespace
}  // namespace parlay
