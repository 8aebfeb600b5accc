// Audit rows and outbox events go in many to a statement (SQLite) or by
// COPY (PostgreSQL). Every field must come back as written, in order, for
// batches that fill several statements and leave a remainder.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "store/store.h"
#include "support/test_database.h"
#include "support/test_support.h"

namespace parlay {
namespace {

using testing::MakeGame;
using testing::MakeLeg;
using testing::MakeParlay;

// Text that COPY's format and SQL quoting would get wrong if not escaped.
const std::string kAwkward = "tab\there\\back \"quote\" 'single'\nline\rend \\N é";

class EventAppendTest : public ::testing::TestWithParam<testing::Backend> {};

TEST_P(EventAppendTest, AuditRowsComeBackInOrder) {
  testing::TestDatabase database(GetParam());
  PARLAY_REQUIRE_DATABASE(database);
  std::unique_ptr<Store> store = database.Open();
  // A parlay's rows are read under the games of its legs.
  store->UpsertGames(std::vector<Game>{MakeGame("g-0", "H0", "A0", std::nullopt,
                                                std::nullopt),
                                       MakeGame("g-1", "H1", "A1", std::nullopt,
                                                std::nullopt),
                                       MakeGame("g-2", "H2", "A2", std::nullopt,
                                                std::nullopt)});
  store->InsertParlays(std::vector<Parlay>{MakeParlay(
      "p-1", 1000, "USD",
      {MakeLeg(0, "g-0", Market::kMoneyline, Selection::kHome, "", "+100"),
       MakeLeg(1, "g-1", Market::kMoneyline, Selection::kHome, "", "+100"),
       MakeLeg(2, "g-2", Market::kMoneyline, Selection::kHome, "",
               "+100")})});

  // 64 rows to a statement on SQLite: two full statements and a rest.
  // Leg rows name a game, and parlay rows alternate between a game and
  // none.
  constexpr int kEvents = 64 * 2 + 3;
  std::vector<AuditEvent> events;
  for (int i = 0; i < kEvents; ++i) {
    AuditEvent event;
    event.entity = i % 2 == 0 ? "leg" : "parlay";
    event.parlay_id = "p-1";
    event.leg_index = i % 2 == 0 ? i % 3 : -1;
    event.game_id = i % 4 == 3 ? "" : "g-" + std::to_string(i % 3);
    event.old_status = "PENDING";
    event.new_status = i % 3 == 0 ? "WON" : "LOST";
    if (i % 2 == 1) event.payout_minor = int64_t{1} << 40 | i;
    if (i % 5 != 0) {
      event.home_score = i;
      event.away_score = 100 - i;
    }
    event.reason = kAwkward + " #" + std::to_string(i);
    event.at = 1'700'000'000 + i;
    event.rules_version = "7";
    events.push_back(event);
  }
  // Another parlay's row under the same game is not p-1's.
  std::vector<AuditEvent> written = events;
  written.insert(written.begin() + 5, events[0]);
  written[5].parlay_id = "p-2";
  std::unique_ptr<Transaction> transaction = store->Begin();
  transaction->AppendAudit(written);
  transaction->Commit();

  std::vector<AuditEvent> read = store->ReadAudit("p-1");
  ASSERT_EQ(read.size(), events.size());
  EXPECT_EQ(store->CountAudit(), kEvents + 1);
  for (size_t i = 0; i < read.size(); ++i) {
    SCOPED_TRACE(i);
    if (i > 0) {
      EXPECT_LT(read[i - 1].id, read[i].id);
    }
    // AppendAudit set the ids the rows were stored with.
    EXPECT_EQ(read[i].id, written[i < 5 ? i : i + 1].id);
    EXPECT_EQ(read[i].entity, events[i].entity);
    EXPECT_EQ(read[i].leg_index, events[i].leg_index);
    EXPECT_EQ(read[i].game_id, events[i].game_id);
    EXPECT_EQ(read[i].old_status, events[i].old_status);
    EXPECT_EQ(read[i].new_status, events[i].new_status);
    EXPECT_EQ(read[i].payout_minor, events[i].payout_minor);
    EXPECT_EQ(read[i].home_score, events[i].home_score);
    EXPECT_EQ(read[i].away_score, events[i].away_score);
    EXPECT_EQ(read[i].reason, events[i].reason);
    EXPECT_EQ(read[i].at, events[i].at);
    EXPECT_EQ(read[i].rules_version, events[i].rules_version);
  }
}

TEST_P(EventAppendTest, OutboxEventsComeBackInOrder) {
  testing::TestDatabase database(GetParam());
  PARLAY_REQUIRE_DATABASE(database);
  std::unique_ptr<Store> store = database.Open();

  constexpr int kEvents = 64 + 1;
  std::vector<OutboxEvent> events;
  for (int i = 0; i < kEvents; ++i) {
    events.push_back({0, i % 2 == 0 ? "leg_settled" : "parlay_settled",
                      "p-" + std::to_string(i), i % 2 == 0 ? i : -1,
                      "{\"reason\":\"a\\\\b\\n\\t\",\"n\":" + std::to_string(i) +
                          ",\"raw\":\"" + kAwkward + "\"}",
                      1'700'000'000 + i});
  }
  // Two transactions: the second batch numbers after the first.
  std::unique_ptr<Transaction> first = store->Begin();
  first->AppendOutbox(std::span<const OutboxEvent>(events).first(1));
  first->Commit();
  std::unique_ptr<Transaction> rest = store->Begin();
  rest->AppendOutbox(std::span<const OutboxEvent>(events).subspan(1));
  rest->Commit();

  std::vector<OutboxEvent> read = store->ReadOutbox(0, 1000);
  ASSERT_EQ(read.size(), events.size());
  for (size_t i = 0; i < read.size(); ++i) {
    SCOPED_TRACE(i);
    if (i > 0) {
      EXPECT_LT(read[i - 1].seq, read[i].seq);
    }
    EXPECT_EQ(read[i].type, events[i].type);
    EXPECT_EQ(read[i].parlay_id, events[i].parlay_id);
    EXPECT_EQ(read[i].leg_index, events[i].leg_index);
    EXPECT_EQ(read[i].payload, events[i].payload);
    EXPECT_EQ(read[i].created_at, events[i].created_at);
  }
}

TEST_P(EventAppendTest, AuditIdsIncreaseAcrossTransactions) {
  testing::TestDatabase database(GetParam());
  PARLAY_REQUIRE_DATABASE(database);
  std::unique_ptr<Store> store = database.Open();
  AuditEvent event;
  event.entity = "parlay";
  event.parlay_id = "p-1";
  event.old_status = "PENDING";
  event.new_status = "LOST";
  event.reason = "r";
  event.rules_version = "1";

  std::vector<AuditEvent> first(2, event);
  std::vector<AuditEvent> second(3, event);
  std::unique_ptr<Transaction> transaction = store->Begin();
  transaction->AppendAudit(first);
  transaction->Commit();
  transaction = store->Begin();
  transaction->AppendAudit(second);
  transaction->Commit();

  std::vector<int64_t> ids;
  for (const AuditEvent& appended : first) ids.push_back(appended.id);
  for (const AuditEvent& appended : second) ids.push_back(appended.id);
  EXPECT_GT(ids[0], 0);
  for (size_t i = 1; i < ids.size(); ++i) {
    EXPECT_LT(ids[i - 1], ids[i]) << i;
  }
  EXPECT_EQ(store->CountAudit(), 5);
}

// Settled events written with an event_id get their payload from the audit
// row and the parlay when read. The expected text is built here from the
// values written, with nlohmann::json.
TEST_P(EventAppendTest, OutboxBuildsPayloadFromAuditRow) {
  testing::TestDatabase database(GetParam());
  PARLAY_REQUIRE_DATABASE(database);
  std::unique_ptr<Store> store = database.Open();
  store->UpsertGames(std::vector<Game>{
      MakeGame("g-0", "H0", "A0", std::nullopt, std::nullopt)});
  store->InsertParlays(std::vector<Parlay>{MakeParlay(
      "p-1", 1234, "USD",
      {MakeLeg(0, "g-0", Market::kMoneyline, Selection::kHome, "", "+100")})});

  std::vector<AuditEvent> audit(2);
  audit[0].entity = "leg";
  audit[0].parlay_id = "p-1";
  audit[0].leg_index = 0;
  audit[0].game_id = "g-0";
  audit[0].old_status = "PENDING";
  audit[0].new_status = "WON";
  audit[0].home_score = 3;
  audit[0].away_score = 1;
  audit[0].reason = kAwkward;
  audit[0].at = 1'700'000'000;
  audit[0].rules_version = "1";
  audit[1] = audit[0];
  audit[1].entity = "parlay";
  audit[1].leg_index = -1;
  audit[1].payout_minor = 2468;
  audit[1].home_score.reset();
  audit[1].away_score.reset();
  audit[1].reason = "derived from 1 leg";
  std::unique_ptr<Transaction> transaction = store->Begin();
  transaction->AppendAudit(audit);
  transaction->AppendOutbox(std::vector<OutboxEvent>{
      {0, "leg_settled", "p-1", 0, "", 1'700'000'000, audit[0].id},
      {0, "parlay_settled", "p-1", -1, "", 1'700'000'000, audit[1].id}});
  transaction->Commit();

  const nlohmann::json leg = {
      {"away_score", 1},       {"game_id", "g-0"},
      {"home_score", 3},       {"leg_index", 0},
      {"parlay_id", "p-1"},    {"reason", kAwkward},
      {"settled_at", "2023-11-14T22:13:20Z"}, {"status", "WON"}};
  const nlohmann::json parlay = {
      {"currency", "USD"},    {"parlay_id", "p-1"},
      {"payout", "24.68"},    {"payout_minor", 2468},
      {"settled_at", "2023-11-14T22:13:20Z"}, {"stake", "12.34"},
      {"status", "WON"}};
  std::vector<OutboxEvent> read = store->ReadOutbox(0, 10);
  ASSERT_EQ(read.size(), 2u);
  EXPECT_EQ(read[0].payload, leg.dump());
  EXPECT_EQ(read[0].event_id, audit[0].id);
  EXPECT_EQ(read[1].payload, parlay.dump());
  EXPECT_EQ(read[1].event_id, audit[1].id);
}

// An event whose audit row is gone ends the page before it, and a read
// that starts at it fails.
TEST_P(EventAppendTest, OutboxEventWithoutAuditRowFails) {
  testing::TestDatabase database(GetParam());
  PARLAY_REQUIRE_DATABASE(database);
  std::unique_ptr<Store> store = database.Open();
  std::unique_ptr<Transaction> transaction = store->Begin();
  transaction->AppendOutbox(std::vector<OutboxEvent>{
      {0, "leg_corrected", "p-1", 0, "{}", 1'700'000'000},
      {0, "leg_settled", "p-1", 0, "", 1'700'000'000, 424242},
      {0, "leg_corrected", "p-1", 0, "{}", 1'700'000'000}});
  transaction->Commit();

  const std::vector<OutboxEvent> page = store->ReadOutbox(0, 10);
  ASSERT_EQ(page.size(), 1u);
  EXPECT_EQ(page[0].type, "leg_corrected");
  try {
    store->ReadOutbox(page[0].seq, 10);
    FAIL() << "read an event whose audit row is missing";
  } catch (const CorruptDataError& error) {
    EXPECT_NE(std::string(error.what()).find("refers to audit row 424242, "
                                             "which is missing"),
              std::string::npos)
        << error.what();
  }
}

// A read that stops at a broken event must not leave its statement open:
// on SQLite that would keep the connection's read snapshot, and its later
// reads would miss rows committed since.
TEST_P(EventAppendTest, BrokenOutboxReadKeepsReadsCurrent) {
  testing::TestDatabase database(GetParam());
  PARLAY_REQUIRE_DATABASE(database);
  std::unique_ptr<Store> store = database.Open();
  std::unique_ptr<Transaction> transaction = store->Begin();
  transaction->AppendOutbox(std::vector<OutboxEvent>{
      {0, "leg_corrected", "p-1", 0, "{}", 1'700'000'000},
      {0, "leg_settled", "p-1", 0, "", 1'700'000'000, 424242}});
  transaction->Commit();

  EXPECT_EQ(store->ReadOutbox(0, 10).size(), 1u);  // ends before the broken
  std::unique_ptr<Store> other = database.Open();
  other->UpsertGames(std::vector<Game>{
      testing::MakeGame("g-after", "Home Team", "Away Team", 3, 1)});
  EXPECT_TRUE(store->GetGame("g-after").has_value());

  EXPECT_THROW(store->ReadOutbox(1, 10), CorruptDataError);
  other->UpsertGames(std::vector<Game>{
      testing::MakeGame("g-later", "Home Team", "Away Team", 0, 2)});
  EXPECT_TRUE(store->GetGame("g-later").has_value());
}

INSTANTIATE_TEST_SUITE_P(Backends, EventAppendTest, testing::AllBackends(),
                         testing::BackendName);

}  // namespace
}  // namespace parlay
