// PostgreSQL-specific behaviour: URL selection, concurrent migrations,
// reconnects and statement timeouts, on the test server.

#include <gtest/gtest.h>

#include <thread>

#include "store/postgres_db.h"
#include "store/store.h"
#include "support/test_database.h"
#include "support/test_support.h"

namespace parlay {
namespace {

using testing::Backend;
using testing::MakeGame;

TEST(OpenStoreTest, SelectsBackendByUrl) {
  testing::TempDir dir;
  std::unique_ptr<Store> by_path = OpenStore(dir.File("plain.db"));
  by_path->UpsertGames(std::vector<Game>{MakeGame("g1", "H", "A", 1, 0)});
  EXPECT_TRUE(std::filesystem::exists(dir.File("plain.db")));

  std::unique_ptr<Store> by_url = OpenStore("sqlite://" + dir.File("url.db"));
  EXPECT_TRUE(std::filesystem::exists(dir.File("url.db")));

  EXPECT_TRUE(IsPostgresUrl("postgresql://u@127.0.0.1:5432/db"));
  EXPECT_TRUE(IsPostgresUrl("postgres://u@127.0.0.1/db"));
  EXPECT_FALSE(IsPostgresUrl("sqlite:///tmp/x.db"));
  try {
    OpenStore("mysql://u@127.0.0.1/db");
    FAIL() << "mysql URL accepted";
  } catch (const StoreError& error) {
    EXPECT_NE(std::string(error.what()).find("mysql://"), std::string::npos)
        << error.what();
  }
}

TEST(OpenStoreTest, RedactsPasswordInUrl) {
  EXPECT_EQ(RedactDatabaseUrl("postgresql://app:s3cret@db:5432/x"),
            "postgresql://app:***@db:5432/x");
  EXPECT_EQ(RedactDatabaseUrl("postgresql://app@db/x"),
            "postgresql://app@db/x");
}

TEST(PostgresStoreTest, ConcurrentStartsMigrateOnce) {
  testing::TestDatabase database(Backend::kPostgres);
  PARLAY_REQUIRE_DATABASE(database);
  // Four processes starting at once would each open and migrate; threads
  // with their own connections race the same way.
  std::vector<std::thread> starts;
  std::atomic<int> failures{0};
  for (int i = 0; i < 4; ++i) {
    starts.emplace_back([&] {
      try {
        database.Open();
      } catch (const StoreError&) {
        ++failures;
      }
    });
  }
  for (std::thread& start : starts) start.join();
  EXPECT_EQ(failures.load(), 0);

  PgConnection check(database.url(), PgConnectionOptions{});
  PgResult rows = check.Execute(
      "SELECT COUNT(*), MAX(version) FROM schema_migrations");
  EXPECT_EQ(rows.Int(0, 0), rows.Int(0, 1))
      << "every migration recorded exactly once";
  EXPECT_EQ(rows.Int(0, 1), database.Open()->Migrate());
}

TEST(PostgresStoreTest, ReconnectsAfterConnectionDrop) {
  testing::TestDatabase database(Backend::kPostgres);
  PARLAY_REQUIRE_DATABASE(database);
  std::unique_ptr<Store> store = database.Open();
  store->UpsertGames(std::vector<Game>{MakeGame("g1", "H", "A", 1, 0)});

  // The server ends every other session on the database, as a restart or
  // a failover would.
  PgConnection admin(database.url(), PgConnectionOptions{});
  admin.Execute(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE "
      "datname = current_database() AND pid <> pg_backend_pid()");

  // The first call after the drop reconnects with backoff and succeeds.
  std::optional<Game> game = store->GetGame("g1");
  ASSERT_TRUE(game.has_value());
  EXPECT_EQ(game->home_score, 1);
}

TEST(PostgresStoreTest, StatementTimeoutFailsSlowStatement) {
  testing::TestDatabase database(Backend::kPostgres);
  PARLAY_REQUIRE_DATABASE(database);
  PgConnectionOptions options;
  options.statement_timeout_ms = 100;
  PgConnection connection(database.url(), options);
  try {
    connection.Execute("SELECT pg_sleep(2)");
    FAIL() << "slow statement not cancelled";
  } catch (const StoreError& error) {
    // 57014 is PostgreSQL's query_canceled.
    EXPECT_NE(std::string(error.what()).find("57014"), std::string::npos)
        << error.what();
  }
  // The connection stays usable.
  EXPECT_EQ(connection.Execute("SELECT 1").Int(0, 0), 1);
}

TEST(PostgresStoreTest, ClaimSkipsGamesHeldByAnotherWorker) {
  testing::TestDatabase database(Backend::kPostgres);
  PARLAY_REQUIRE_DATABASE(database);
  std::unique_ptr<Store> first = database.Open();
  std::unique_ptr<Store> second = database.Open();
  first->UpsertGames(std::vector<Game>{MakeGame("g1", "H", "A", 1, 0),
                                       MakeGame("g2", "H", "A", 1, 0)});
  const std::vector<std::string> both = {"g1", "g2"};

  std::unique_ptr<Transaction> holder = first->Begin();
  const std::vector<std::string> g1 = {"g1"};
  EXPECT_EQ(holder->ClaimGames(g1), g1);
  std::unique_ptr<Transaction> other = second->Begin();
  EXPECT_EQ(other->ClaimGames(both), std::vector<std::string>{"g2"});
  holder.reset();  // rolls back, releasing g1
  std::unique_ptr<Transaction> later = first->Begin();
  EXPECT_EQ(later->ClaimGames(g1), g1);
}

}  // namespace
}  // namespace parlay
