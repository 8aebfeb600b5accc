// SQLite store tests on real database files in a temporary directory.

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "store/sqlite_schema.h"
#include "store/store.h"
#include "support/test_database.h"
#include "support/test_support.h"

namespace parlay {
namespace {

class StoreTest : public ::testing::TestWithParam<testing::Backend> {};


using testing::MakeGame;
using testing::MakeLeg;
using testing::MakeParlay;

Parlay OneLegParlay(const std::string& id, const std::string& game_id) {
  return MakeParlay(id, 1000, "USD",
                    {MakeLeg(0, game_id, Market::kSpread, Selection::kAway,
                             "+3.5", "-110")});
}

TEST(SqliteStoreTest, MigratesEmptyFile) {
  testing::TempDir dir;
  std::string path = dir.File("new.db");
  const int latest = SqliteMigrations().back().version;
  {
    std::unique_ptr<Store> store = OpenSqliteStore(path);
    EXPECT_EQ(store->Migrate(), latest);
  }
  // Reopening applies nothing again and keeps the data.
  std::unique_ptr<Store> store = OpenSqliteStore(path);
  store->UpsertGames(std::vector<Game>{MakeGame("g1", "H", "A", 1, 2)});
  EXPECT_EQ(store->Migrate(), latest);
  EXPECT_TRUE(store->GetGame("g1").has_value());

  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* count = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "SELECT COUNT(*) FROM schema_migrations",
                               -1, &count, nullptr),
            SQLITE_OK);
  ASSERT_EQ(sqlite3_step(count), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(count, 0),
            static_cast<int>(SqliteMigrations().size()));
  sqlite3_finalize(count);
  sqlite3_close(db);
}

// Runs `sql` on the file, failing the test on an error.
void ExecuteSql(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* error = nullptr;
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
  const std::string message = error == nullptr ? "" : error;
  sqlite3_free(error);
  sqlite3_close(db);
  ASSERT_EQ(rc, SQLITE_OK) << message;
}

// Returns the SQL that creates the schema as it was at `version`.
std::string SchemaAt(int version) {
  std::string sql =
      "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, "
      "applied_at INTEGER NOT NULL);";
  for (const Migration& migration : SqliteMigrations()) {
    if (migration.version > version) break;
    sql += std::string(migration.sql);
    sql += "INSERT INTO schema_migrations VALUES (" +
           std::to_string(migration.version) + ", 0);";
  }
  return sql;
}

TEST(SqliteStoreTest, UpgradeCountsPendingLegs) {
  testing::TempDir dir;
  const std::string path = dir.File("old.db");
  // A database as the version before the pending-leg count left it: one
  // open parlay with one leg won and two pending, and one lost parlay.
  std::string sql = SchemaAt(5);
  sql +=
      "INSERT INTO games (id, league, home, away, start_time, status, "
      "updated_at) VALUES ('g1', 'NFL', 'H', 'A', 0, 'final', 0), ('g2', "
      "'NFL', 'H', 'A', 0, 'scheduled', 0), ('g3', 'NFL', 'H', 'A', 0, "
      "'scheduled', 0);"
      "INSERT INTO parlays (id, account, stake_minor, currency, placed_at, "
      "status, leg_count) VALUES ('open', 'a', 1000, 'USD', 0, 'PENDING', "
      "3), ('lost', 'a', 1000, 'USD', 0, 'LOST', 2);"
      "INSERT INTO legs (game_id, parlay_id, leg_index, market, selection, "
      "selection_text, odds, odds_numerator, odds_denominator, status) "
      "VALUES ('g1', 'open', 0, 'moneyline', 'home', 'home', '+100', 1, 1, "
      "'WON'), ('g2', 'open', 1, 'moneyline', 'home', 'home', '+100', 1, 1, "
      "'PENDING'), ('g3', 'open', 2, 'moneyline', 'home', 'home', '+100', "
      "1, 1, 'PENDING'), ('g1', 'lost', 0, 'moneyline', 'away', 'away', "
      "'+100', 1, 1, 'LOST'), ('g2', 'lost', 1, 'moneyline', 'home', "
      "'home', '+100', 1, 1, 'PENDING');";
  ExecuteSql(path, sql);

  std::unique_ptr<Store> store = OpenSqliteStore(path);
  EXPECT_EQ(store->Migrate(), SqliteMigrations().back().version);
  std::unique_ptr<Transaction> transaction = store->Begin();
  std::vector<ParlayLegs> rows =
      transaction->LoadParlayRows(std::vector<std::string>{"lost", "open"});
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1].id, "open");
  EXPECT_EQ(rows[1].pending_legs, 2);
  // Settled parlays keep no count.
  EXPECT_EQ(rows[0].pending_legs, 0);
}

TEST(SqliteStoreTest, UpgradeKeepsAuditRowsWithoutGame) {
  testing::TempDir dir;
  const std::string path = dir.File("old.db");
  // Before audit rows were indexed by game, a parlay's row had no game.
  std::string sql = SchemaAt(6);
  sql +=
      "INSERT INTO legs (game_id, parlay_id, leg_index, market, selection, "
      "selection_text, odds, odds_numerator, odds_denominator, status) "
      "VALUES ('g1', 'p1', 0, 'moneyline', 'home', 'home', '+100', 1, 1, "
      "'WON'), ('g1', 'p2', 0, 'moneyline', 'away', 'away', '+100', 1, 1, "
      "'LOST');"
      "INSERT INTO settlement_events (entity, parlay_id, leg_index, "
      "game_id, old_status, new_status, reason, at, rules_version) VALUES "
      "('leg', 'p1', 0, 'g1', 'PENDING', 'WON', 'leg p1', 1, 'r'), "
      "('leg', 'p2', 0, 'g1', 'PENDING', 'LOST', 'leg p2', 1, 'r'), "
      "('parlay', 'p2', -1, '', 'PENDING', 'LOST', 'parlay p2', 1, 'r'), "
      "('parlay', 'p1', -1, '', 'PENDING', 'WON', 'parlay p1', 1, 'r');";
  ExecuteSql(path, sql);

  std::unique_ptr<Store> store = OpenSqliteStore(path);
  EXPECT_EQ(store->Migrate(), SqliteMigrations().back().version);
  std::vector<AuditEvent> audit = store->ReadAudit("p1");
  ASSERT_EQ(audit.size(), 2u);
  EXPECT_EQ(audit[0].reason, "leg p1");
  EXPECT_EQ(audit[1].reason, "parlay p1");
  EXPECT_LT(audit[0].id, audit[1].id);
}

TEST(SqliteStoreTest, UpgradeKeepsStoredOutboxPayloads) {
  testing::TempDir dir;
  const std::string path = dir.File("old.db");
  // Before events referred to audit rows, each stored its payload.
  std::string sql = SchemaAt(7);
  sql +=
      "INSERT INTO settlement_events (entity, parlay_id, leg_index, "
      "game_id, old_status, new_status, reason, at, rules_version) VALUES "
      "('leg', 'p1', 0, 'g1', 'PENDING', 'WON', 'leg p1', 1, 'r');"
      "INSERT INTO outbox (type, parlay_id, leg_index, payload, created_at) "
      "VALUES ('leg_settled', 'p1', 0, '{\"status\":\"WON\"}', 1);";
  ExecuteSql(path, sql);

  std::unique_ptr<Store> store = OpenSqliteStore(path);
  EXPECT_EQ(store->Migrate(), SqliteMigrations().back().version);
  std::vector<OutboxEvent> read = store->ReadOutbox(0, 10);
  ASSERT_EQ(read.size(), 1u);
  EXPECT_EQ(read[0].payload, "{\"status\":\"WON\"}");
  EXPECT_EQ(read[0].event_id, 0);

  // New audit rows are numbered after the old one.
  std::vector<AuditEvent> events(1);
  events[0].entity = "parlay";
  events[0].parlay_id = "p1";
  events[0].old_status = "PENDING";
  events[0].new_status = "WON";
  events[0].reason = "parlay p1";
  events[0].rules_version = "r";
  std::unique_ptr<Transaction> transaction = store->Begin();
  transaction->AppendAudit(events);
  transaction->Commit();
  EXPECT_EQ(events[0].id, 2);
}

TEST(SqliteStoreTest, ExtraConnectionDoesNotCreateMissingFile) {
  testing::TempDir dir;
  const std::string path = dir.File("moved.db");
  try {
    OpenStore(path, {.migrate = false});
    FAIL() << "opened a database that does not exist";
  } catch (const StoreError& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find(path), std::string::npos) << message;
    EXPECT_NE(message.find("check that the database still exists"),
              std::string::npos)
        << message;
  }
  EXPECT_FALSE(std::filesystem::exists(path));

  // The connection that migrates creates it, and then the others open it.
  { std::unique_ptr<Store> first = OpenStore(path); }
  std::unique_ptr<Store> extra = OpenStore(path, {.migrate = false});
  EXPECT_TRUE(extra->ListHeartbeats().empty());
}

TEST(SqliteStoreTest, RefusesNewerSchema) {
  testing::TempDir dir;
  const std::string path = dir.File("newer.db");
  const int latest = SqliteMigrations().back().version;
  { std::unique_ptr<Store> store = OpenSqliteStore(path); }
  ExecuteSql(path, "INSERT INTO schema_migrations VALUES (" +
                       std::to_string(latest + 1) + ", 0)");
  try {
    OpenSqliteStore(path);
    FAIL() << "opened a database with a newer schema";
  } catch (const StoreError& error) {
    EXPECT_NE(std::string(error.what()).find(
                  "schema version " + std::to_string(latest + 1) +
                  " is newer than this parlay-settler supports"),
              std::string::npos)
        << error.what();
  }
}

TEST(SqliteStoreTest, RejectsUnwritablePath) {
  EXPECT_THROW(OpenSqliteStore("/nonexistent-dir/x/y.db"), StoreError);
}

TEST_P(StoreTest, GameRoundTrip) {
  testing::TestDatabase database(GetParam());
  PARLAY_REQUIRE_DATABASE(database);
  std::unique_ptr<Store> store = database.Open();
  Game game = MakeGame("2023-09-07-DET-KC", "Kansas City Chiefs",
                       "Detroit Lions", 20, 21, GameStatus::kFinal,
                       1694132400);
  game.period_scores = R"({"q1":[0,7]})";
  game.updated_at = 1694143800;
  store->UpsertGames(std::vector<Game>{game});

  std::optional<Game> read = store->GetGame("2023-09-07-DET-KC");
  ASSERT_TRUE(read.has_value());
  EXPECT_EQ(read->home, "Kansas City Chiefs");
  EXPECT_EQ(read->away, "Detroit Lions");
  EXPECT_EQ(read->home_score, 20);
  EXPECT_EQ(read->away_score, 21);
  EXPECT_EQ(read->start_time, 1694132400);
  EXPECT_EQ(read->updated_at, 1694143800);
  EXPECT_EQ(read->status, GameStatus::kFinal);
  EXPECT_EQ(read->period_scores, R"({"q1":[0,7]})");
  EXPECT_FALSE(store->GetGame("missing").has_value());

  // An upsert replaces the row.
  game.home_score = std::nullopt;
  game.status = GameStatus::kSuspended;
  store->UpsertGames(std::vector<Game>{game});
  read = store->GetGame("2023-09-07-DET-KC");
  EXPECT_FALSE(read->home_score.has_value());
  EXPECT_EQ(read->status, GameStatus::kSuspended);
  EXPECT_EQ(store->ListGames(GameStatus::kFinal).size(), 0u);
  EXPECT_EQ(store->ListGames(std::nullopt).size(), 1u);
}

TEST_P(StoreTest, DuplicateParlayWritesNothing) {
  testing::TestDatabase database(GetParam());
  PARLAY_REQUIRE_DATABASE(database);
  std::unique_ptr<Store> store = database.Open();
  store->UpsertGames(std::vector<Game>{MakeGame("g1", "H", "A", 1, 2)});
  store->InsertParlays(std::vector<Parlay>{OneLegParlay("t-1", "g1")});

  std::vector<Parlay> batch = {OneLegParlay("t-2", "g1"),
                               OneLegParlay("t-1", "g1")};
  try {
    store->InsertParlays(batch);
    FAIL() << "duplicate id accepted";
  } catch (const StoreError& error) {
    EXPECT_NE(std::string(error.what()).find("t-1"), std::string::npos)
        << error.what();
  }
  EXPECT_FALSE(store->GetParlay("t-2").has_value());
  std::vector<std::string> ids = {"t-1", "t-2", "t-3"};
  EXPECT_EQ(store->ExistingParlayIds(ids), std::vector<std::string>{"t-1"});
}

TEST_P(StoreTest, ParlayRoundTripKeepsLegTerms) {
  testing::TestDatabase database(GetParam());
  PARLAY_REQUIRE_DATABASE(database);
  std::unique_ptr<Store> store = database.Open();
  store->UpsertGames(std::vector<Game>{MakeGame("g1", "H", "A", 1, 2),
                                       MakeGame("g2", "H2", "A2", 1, 2)});
  Parlay parlay = MakeParlay(
      "t-1", 12345, "JPY",
      {MakeLeg(0, "g2", Market::kTotal, Selection::kUnder, "47.25", "1.91"),
       MakeLeg(1, "g1", Market::kMoneyline3Way, Selection::kDraw, "",
               "+250")});
  parlay.placed_at = 1700000000;
  store->InsertParlays(std::vector<Parlay>{parlay});

  std::optional<Parlay> read = store->GetParlay("t-1");
  ASSERT_TRUE(read.has_value());
  EXPECT_EQ(read->stake_minor, 12345);
  EXPECT_EQ(read->currency, "JPY");
  EXPECT_EQ(read->placed_at, 1700000000);
  EXPECT_EQ(read->status, ParlayStatus::kPending);
  EXPECT_FALSE(read->payout_minor.has_value());
  ASSERT_EQ(read->legs.size(), 2u);
  EXPECT_EQ(read->legs[0].game_id, "g2");
  EXPECT_EQ(read->legs[0].market, Market::kTotal);
  EXPECT_EQ(read->legs[0].selection, Selection::kUnder);
  ASSERT_TRUE(read->legs[0].line.has_value());
  EXPECT_EQ(read->legs[0].line->quarters, 189);  // 47.25 * 4
  EXPECT_EQ(read->legs[0].odds.text, "1.91");
  EXPECT_EQ(read->legs[0].odds.numerator, 191);
  EXPECT_EQ(read->legs[0].odds.denominator, 100);
  EXPECT_EQ(read->legs[1].market, Market::kMoneyline3Way);
  EXPECT_EQ(read->legs[1].selection, Selection::kDraw);
  EXPECT_FALSE(read->legs[1].line.has_value());
}

TEST_P(StoreTest, ListParlaysPagesByCursor) {
  testing::TestDatabase database(GetParam());
  PARLAY_REQUIRE_DATABASE(database);
  std::unique_ptr<Store> store = database.Open();
  store->UpsertGames(std::vector<Game>{MakeGame("g1", "H", "A", 1, 2)});
  std::vector<Parlay> parlays;
  for (const char* id : {"p-c", "p-a", "p-e", "p-b", "p-d"}) {
    parlays.push_back(OneLegParlay(id, "g1"));
  }
  parlays[1].account = "other";
  store->InsertParlays(parlays);

  ParlayQuery query;
  query.limit = 2;
  std::vector<Parlay> page = store->ListParlays(query);
  ASSERT_EQ(page.size(), 2u);
  EXPECT_EQ(page[0].id, "p-a");
  EXPECT_EQ(page[1].id, "p-b");
  EXPECT_EQ(page[0].legs.size(), 1u);
  query.after_id = page[1].id;
  page = store->ListParlays(query);
  ASSERT_EQ(page.size(), 2u);
  EXPECT_EQ(page[0].id, "p-c");
  EXPECT_EQ(page[1].id, "p-d");

  ParlayQuery by_account;
  by_account.account = "other";
  page = store->ListParlays(by_account);
  ASSERT_EQ(page.size(), 1u);
  EXPECT_EQ(page[0].id, "p-a");

  ParlayQuery by_status;
  by_status.status = ParlayStatus::kWon;
  EXPECT_TRUE(store->ListParlays(by_status).empty());
}

TEST_P(StoreTest, FindsGradableGamesWithPendingLegsOldestFirst) {
  testing::TestDatabase database(GetParam());
  PARLAY_REQUIRE_DATABASE(database);
  std::unique_ptr<Store> store = database.Open();
  store->UpsertGames(std::vector<Game>{
      MakeGame("late", "H", "A", 1, 0, GameStatus::kFinal, 300),
      MakeGame("early", "H", "A", 1, 0, GameStatus::kFinal, 100),
      MakeGame("cancelled", "H", "A", std::nullopt, std::nullopt,
               GameStatus::kCancelled, 200),
      MakeGame("no-score", "H", "A", 1, std::nullopt, GameStatus::kFinal,
               50),
      MakeGame("live", "H", "A", 1, 0, GameStatus::kInProgress, 10),
      MakeGame("no-legs", "H", "A", 1, 0, GameStatus::kFinal, 20),
  });
  store->InsertParlays(std::vector<Parlay>{
      OneLegParlay("t1", "late"), OneLegParlay("t2", "early"),
      OneLegParlay("t3", "cancelled"), OneLegParlay("t4", "no-score"),
      OneLegParlay("t5", "live")});

  std::vector<std::string> expected = {"early", "cancelled", "late"};
  EXPECT_EQ(store->FindGamesToSettle(10), expected);
  EXPECT_EQ(store->FindGamesToSettle(1), std::vector<std::string>{"early"});
  std::vector<Game> attention = store->FindGamesNeedingAttention();
  ASSERT_EQ(attention.size(), 1u);
  EXPECT_EQ(attention[0].id, "no-score");
}

TEST_P(StoreTest, TransactionRollsBackWithoutCommit) {
  testing::TestDatabase database(GetParam());
  PARLAY_REQUIRE_DATABASE(database);
  std::unique_ptr<Store> store = database.Open();
  store->UpsertGames(std::vector<Game>{MakeGame("g1", "H", "A", 1, 2)});
  store->InsertParlays(std::vector<Parlay>{OneLegParlay("t-1", "g1")});
  {
    std::unique_ptr<Transaction> transaction = store->Begin();
    LegUpdate update;
    update.game_id = "g1";
    update.parlay_id = "t-1";
    update.index = 0;
    update.status = LegStatus::kWon;
    std::vector<bool> changed =
        transaction->SettleLegs(std::vector<LegUpdate>{update});
    ASSERT_EQ(changed.size(), 1u);
    EXPECT_TRUE(changed[0]);
    // A second update of the same leg inside the transaction is a no-op.
    changed = transaction->SettleLegs(std::vector<LegUpdate>{update});
    EXPECT_FALSE(changed[0]);
  }
  EXPECT_EQ(store->GetParlay("t-1")->legs[0].status, LegStatus::kPending);
}

TEST_P(StoreTest, SettleLegsReportsEachLegOfLargeBatches) {
  testing::TestDatabase database(GetParam());
  PARLAY_REQUIRE_DATABASE(database);
  std::unique_ptr<Store> store = database.Open();
  // 150 one-leg parlays over three games: more legs than one multi-row
  // statement takes, plus a remainder.
  const std::vector<std::string> games = {"g-a", "g-b", "g-c"};
  std::vector<Game> game_rows;
  for (const std::string& game : games) {
    game_rows.push_back(MakeGame(game, "H", "A", 1, 2));
  }
  store->UpsertGames(game_rows);
  std::vector<Parlay> parlays;
  for (int i = 0; i < 150; ++i) {
    parlays.push_back(
        OneLegParlay("t-" + std::to_string(i), games[i % games.size()]));
  }
  store->InsertParlays(parlays);

  auto update_for = [&](int i, LegStatus status) {
    LegUpdate update;
    update.game_id = games[i % games.size()];
    update.parlay_id = "t-" + std::to_string(i);
    update.status = status;
    update.reason = "reason " + std::to_string(i);
    update.home_score = 1;
    update.away_score = 2;
    update.settled_at = 1000 + i;
    return update;
  };
  std::unique_ptr<Transaction> transaction = store->Begin();
  // Every seventh leg is settled first, so the big batch must skip it.
  std::vector<LegUpdate> first;
  for (int i = 0; i < 150; i += 7) first.push_back(update_for(i, LegStatus::kLost));
  std::vector<bool> changed = transaction->SettleLegs(first);
  EXPECT_EQ(std::count(changed.begin(), changed.end(), true),
            static_cast<long>(first.size()));

  // The batch lists legs from last to first, with one unknown leg in the
  // middle.
  std::vector<LegUpdate> batch;
  for (int i = 149; i >= 0; --i) {
    batch.push_back(update_for(i, LegStatus::kWon));
    if (i == 75) {
      LegUpdate unknown = update_for(i, LegStatus::kWon);
      unknown.parlay_id = "no-such-parlay";
      batch.push_back(unknown);
    }
  }
  changed = transaction->SettleLegs(batch);
  ASSERT_EQ(changed.size(), batch.size());
  for (size_t k = 0; k < batch.size(); ++k) {
    const std::string& id = batch[k].parlay_id;
    const bool settled_before =
        id != "no-such-parlay" && std::stoi(id.substr(2)) % 7 == 0;
    EXPECT_EQ(changed[k], id != "no-such-parlay" && !settled_before)
        << "update " << k << " for " << id;
  }
  transaction->Commit();

  for (int i = 0; i < 150; ++i) {
    const std::optional<Parlay> parlay =
        store->GetParlay("t-" + std::to_string(i));
    ASSERT_TRUE(parlay.has_value());
    const Leg& leg = parlay->legs[0];
    EXPECT_EQ(leg.status, i % 7 == 0 ? LegStatus::kLost : LegStatus::kWon)
        << "leg of t-" << i;
    EXPECT_EQ(leg.reason, "reason " + std::to_string(i));
    EXPECT_EQ(leg.settled_at, 1000 + i);
    EXPECT_EQ(leg.graded_away_score, 2);
  }
}

TEST_P(StoreTest, LoadLegsFillsOnlyTheGivenParlays) {
  testing::TestDatabase database(GetParam());
  PARLAY_REQUIRE_DATABASE(database);
  std::unique_ptr<Store> store = database.Open();
  store->UpsertGames(std::vector<Game>{MakeGame("g1", "H", "A", 1, 2),
                                       MakeGame("g2", "H", "A", 3, 4)});
  // Leg 1 is on the game whose id sorts first, so rows stored by game
  // come back out of leg order unless the read orders them.
  store->InsertParlays(std::vector<Parlay>{
      MakeParlay("p1", 1000, "USD",
                 {MakeLeg(0, "g2", Market::kMoneyline, Selection::kHome, "",
                          "+150"),
                  MakeLeg(1, "g1", Market::kTotal, Selection::kOver, "44.5",
                          "-110")}),
      OneLegParlay("p2", "g1")});

  std::unique_ptr<Transaction> transaction = store->Begin();
  std::vector<ParlayLegs> rows =
      transaction->LoadParlayRows(std::vector<std::string>{"p1", "p2"});
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_TRUE(rows[0].legs.empty());
  EXPECT_EQ(rows[0].leg_count, 2);
  std::vector<ParlayLegs*> selected = {&rows[0]};
  transaction->LoadLegs(selected);
  ASSERT_EQ(rows[0].legs.size(), 2u);
  EXPECT_EQ(rows[0].legs[0].odds.text, "+150");
  EXPECT_EQ(rows[0].legs[1].odds.text, "-110");
  EXPECT_TRUE(rows[1].legs.empty());
  transaction->LoadLegs({});

  std::vector<ParlayLegs> with_legs =
      transaction->LoadParlays(std::vector<std::string>{"p2", "missing"});
  ASSERT_EQ(with_legs.size(), 1u);
  EXPECT_EQ(with_legs[0].id, "p2");
  ASSERT_EQ(with_legs[0].legs.size(), 1u);
  EXPECT_EQ(with_legs[0].legs[0].odds.text, "-110");
}

TEST_P(StoreTest, TwoConnectionsShareOneDatabase) {
  testing::TestDatabase database(GetParam());
  PARLAY_REQUIRE_DATABASE(database);
  std::unique_ptr<Store> first = database.Open();
  std::unique_ptr<Store> second = database.Open();
  first->UpsertGames(std::vector<Game>{MakeGame("g1", "H", "A", 1, 2)});
  EXPECT_TRUE(second->GetGame("g1").has_value());
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreTest, testing::AllBackends(),
                         testing::BackendName);

}  // namespace
}  // namespace parlay
