// Engine tests on a real SQLite database in a temporary directory.

#include "engine/settlement.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "service/failing_store.h"
#include "store/store.h"
#include "support/test_database.h"
#include "support/test_support.h"

namespace parlay {
namespace {

using testing::MakeGame;
using testing::MakeLeg;
using testing::MakeParlay;

class SettlementTest : public ::testing::TestWithParam<testing::Backend> {
 protected:
  void SetUp() override {
    PARLAY_REQUIRE_DATABASE(database_);
    store_ = database_.Open();
  }

  Parlay Load(const std::string& id) {
    std::optional<Parlay> parlay = store_->GetParlay(id);
    if (!parlay) throw std::runtime_error("parlay not found: " + id);
    return *parlay;
  }

  testing::TestDatabase database_{GetParam()};
  testing::ManualClock clock_;
  std::unique_ptr<Store> store_;
};

TEST_P(SettlementTest, ThreeWinningLegsPayExactly) {
  // Home teams win all three games.
  store_->UpsertGames(std::vector<Game>{
      MakeGame("g1", "Kansas City Chiefs", "Detroit Lions", 27, 20),
      MakeGame("g2", "Buffalo Bills", "New York Jets", 30, 10),
      MakeGame("g3", "Dallas Cowboys", "New York Giants", 40, 0),
  });
  store_->InsertParlays(std::vector<Parlay>{MakeParlay(
      "t-1", 1000, "USD",
      {MakeLeg(0, "g1", Market::kMoneyline, Selection::kHome, "", "-110"),
       MakeLeg(1, "g2", Market::kSpread, Selection::kHome, "-4.5", "-110"),
       MakeLeg(2, "g3", Market::kTotal, Selection::kOver, "38.5", "-110")})});

  Engine engine(*store_, clock_);
  SettleSummary summary = engine.SettleAll();

  // -110 is 21/11 decimal; 1000 * 21^3 / 11^3 = 9261000 / 1331 = 6957.9...
  Parlay parlay = Load("t-1");
  EXPECT_EQ(parlay.status, ParlayStatus::kWon);
  ASSERT_TRUE(parlay.payout_minor.has_value());
  EXPECT_EQ(*parlay.payout_minor, 6957);
  EXPECT_EQ(summary.games_graded, 3);
  EXPECT_EQ(summary.legs_settled(), 3);
  EXPECT_EQ(summary.legs[LegStatus::kWon], 3);
  EXPECT_EQ(summary.parlays[ParlayStatus::kWon], 1);
  EXPECT_EQ(summary.staked["USD"], 1000);
  EXPECT_EQ(summary.paid["USD"], 6957);
  for (const Leg& leg : parlay.legs) {
    EXPECT_EQ(leg.status, LegStatus::kWon) << leg.game_id;
    EXPECT_TRUE(leg.settled_at.has_value());
    EXPECT_FALSE(leg.reason.empty());
  }
  EXPECT_EQ(parlay.legs[0].graded_home_score, 27);
  EXPECT_EQ(parlay.legs[0].graded_away_score, 20);
}

TEST_P(SettlementTest, SettleTwiceChangesNothing) {
  store_->UpsertGames(
      std::vector<Game>{MakeGame("g1", "Home Team", "Away Team", 21, 24)});
  store_->InsertParlays(std::vector<Parlay>{
      MakeParlay("t-1", 500, "USD",
                 {MakeLeg(0, "g1", Market::kMoneyline, Selection::kAway, "",
                          "+150")}),
      MakeParlay("t-2", 500, "USD",
                 {MakeLeg(0, "g1", Market::kMoneyline, Selection::kHome, "",
                          "-180")})});
  Engine engine(*store_, clock_);
  SettleSummary first = engine.SettleAll();
  int64_t audit_after_first = store_->CountAudit();
  size_t outbox_after_first = store_->ReadOutbox(0, 1000).size();

  clock_.Advance(60'000);
  SettleSummary second = engine.SettleAll();

  EXPECT_EQ(first.legs_settled(), 2);
  EXPECT_EQ(first.parlays_settled(), 2);
  EXPECT_EQ(second.legs_settled(), 0);
  EXPECT_EQ(second.parlays_settled(), 0);
  EXPECT_EQ(second.games_graded, 0);
  // 2 legs + 2 parlays, each one audit row and one outbox event.
  EXPECT_EQ(audit_after_first, 4);
  EXPECT_EQ(store_->CountAudit(), 4);
  EXPECT_EQ(outbox_after_first, 4u);
  EXPECT_EQ(store_->ReadOutbox(0, 1000).size(), 4u);
  // +150 is 5/2: 500 * 5 / 2 = 1250.
  EXPECT_EQ(Load("t-1").payout_minor, 1250);
  EXPECT_EQ(Load("t-1").settled_at, clock_.NowSeconds() - 60);
  EXPECT_EQ(Load("t-2").status, ParlayStatus::kLost);
  EXPECT_EQ(Load("t-2").payout_minor, 0);
}

TEST_P(SettlementTest, FailureMidBatchLeavesNoTrace) {
  store_->UpsertGames(std::vector<Game>{
      MakeGame("g1", "A Home", "A Away", 10, 3, GameStatus::kFinal, 100),
      MakeGame("g2", "B Home", "B Away", 7, 14, GameStatus::kFinal, 200),
  });
  store_->InsertParlays(std::vector<Parlay>{
      MakeParlay("t-1", 1000, "USD",
                 {MakeLeg(0, "g1", Market::kMoneyline, Selection::kHome, "",
                          "2.00")}),
      MakeParlay("t-2", 1000, "USD",
                 {MakeLeg(0, "g2", Market::kMoneyline, Selection::kHome, "",
                          "2.00")})});

  for (std::string stage : {"legs_written", "parlays_written",
                            "before_commit"}) {
    SCOPED_TRACE(stage);
    SettleOptions options;
    options.batch_games = 2;
    options.fault_hook = [&](std::string_view at,
                             std::span<const std::string> games) {
      bool has_g2 = std::find(games.begin(), games.end(), "g2") != games.end();
      if (at == stage && has_g2) throw std::runtime_error("injected fault");
    };
    Engine engine(*store_, clock_);
    SettleSummary summary = engine.SettleAll(options);

    ASSERT_EQ(summary.failures.size(), 1u);
    EXPECT_EQ(summary.failures[0].game_id, "g2");
    EXPECT_NE(summary.failures[0].error.find("injected fault"),
              std::string::npos);
    Parlay failed = Load("t-2");
    EXPECT_EQ(failed.status, ParlayStatus::kPending);
    EXPECT_EQ(failed.legs[0].status, LegStatus::kPending);
    EXPECT_FALSE(failed.legs[0].settled_at.has_value());
    EXPECT_TRUE(store_->ReadAudit("t-2").empty());
    for (const OutboxEvent& event : store_->ReadOutbox(0, 100)) {
      EXPECT_NE(event.parlay_id, "t-2");
    }
  }
  // g1 settled on the first round, game by game after the batch failed.
  EXPECT_EQ(Load("t-1").status, ParlayStatus::kWon);
  EXPECT_EQ(Load("t-1").payout_minor, 2000);
  EXPECT_EQ(store_->ReadAudit("t-1").size(), 2u);

  // Once the fault clears, g2 settles normally.
  Engine engine(*store_, clock_);
  SettleSummary summary = engine.SettleAll();
  EXPECT_TRUE(summary.failures.empty());
  EXPECT_EQ(Load("t-2").status, ParlayStatus::kLost);
}

// Five final games, g0 to g4 in settle order, each with one single-leg
// parlay t0 to t4 on a home win.
void AddFiveOneLegGames(Store& store) {
  std::vector<Game> games;
  std::vector<Parlay> parlays;
  for (int i = 0; i < 5; ++i) {
    const std::string id = "g" + std::to_string(i);
    games.push_back(MakeGame(id, "H" + id, "A" + id, 2, 1, GameStatus::kFinal,
                             1000 + i));
    parlays.push_back(MakeParlay(
        "t" + std::to_string(i), 100, "USD",
        {MakeLeg(0, id, Market::kMoneyline, Selection::kHome, "", "2.00")}));
  }
  store.UpsertGames(games);
  store.InsertParlays(parlays);
}

TEST_P(SettlementTest, TransactionLegsGroupsBatches) {
  AddFiveOneLegGames(*store_);
  std::vector<std::vector<std::string>> commits;
  SettleOptions options;
  options.batch_games = 1;
  options.transaction_legs = 3;
  options.fault_hook = [&](std::string_view stage,
                           std::span<const std::string> games) {
    if (stage == "committed") commits.emplace_back(games.begin(), games.end());
  };
  Engine engine(*store_, clock_);
  SettleSummary summary = engine.SettleAll(options);

  // One leg per batch: the first transaction commits at its third leg, the
  // second takes what is left.
  ASSERT_EQ(commits.size(), 2u);
  EXPECT_EQ(commits[0], (std::vector<std::string>{"g0", "g1", "g2"}));
  EXPECT_EQ(commits[1], (std::vector<std::string>{"g3", "g4"}));
  EXPECT_EQ(summary.legs_settled(), 5);
  EXPECT_EQ(summary.parlays[ParlayStatus::kWon], 5);
  EXPECT_EQ(summary.paid["USD"], 5 * 200);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(Load("t" + std::to_string(i)).status, ParlayStatus::kWon) << i;
  }
}

TEST_P(SettlementTest, BatchesCommitOneByOneWithoutTransactionLegs) {
  AddFiveOneLegGames(*store_);
  int commits = 0;
  SettleOptions options;
  options.batch_games = 2;
  options.fault_hook = [&](std::string_view stage,
                           std::span<const std::string>) {
    if (stage == "committed") ++commits;
  };
  Engine engine(*store_, clock_);
  EXPECT_EQ(engine.SettleAll(options).legs_settled(), 5);
  EXPECT_EQ(commits, 3);  // g0 g1, g2 g3, g4
}

TEST_P(SettlementTest, FailedTransactionRetriesItsGamesOneByOne) {
  AddFiveOneLegGames(*store_);
  std::vector<std::vector<std::string>> commits;
  SettleOptions options;
  options.batch_games = 1;
  options.transaction_legs = 10;
  options.fault_hook = [&](std::string_view stage,
                           std::span<const std::string> games) {
    if (stage == "legs_written" && games.front() == "g2") {
      throw std::runtime_error("injected fault");
    }
    if (stage == "committed") commits.emplace_back(games.begin(), games.end());
  };
  Engine engine(*store_, clock_);
  SettleSummary summary = engine.SettleAll(options);

  // The fault in g2's batch rolls back g0 and g1 too. They are settled
  // again one per transaction; g2 fails alone, and g3 and g4 follow in a
  // new transaction.
  ASSERT_EQ(summary.failures.size(), 1u);
  EXPECT_EQ(summary.failures[0].game_id, "g2");
  ASSERT_EQ(commits.size(), 3u);
  EXPECT_EQ(commits[0], (std::vector<std::string>{"g0"}));
  EXPECT_EQ(commits[1], (std::vector<std::string>{"g1"}));
  EXPECT_EQ(commits[2], (std::vector<std::string>{"g3", "g4"}));
  EXPECT_EQ(summary.legs_settled(), 4);
  EXPECT_EQ(Load("t2").status, ParlayStatus::kPending);
  EXPECT_TRUE(store_->ReadAudit("t2").empty());
  for (const char* id : {"t0", "t1", "t3", "t4"}) {
    EXPECT_EQ(Load(id).status, ParlayStatus::kWon) << id;
    EXPECT_EQ(store_->ReadAudit(id).size(), 2u) << id;
  }
  EXPECT_EQ(store_->ReadOutbox(0, 100).size(), 8u);
}

TEST_P(SettlementTest, LostLegLosesParlayWhilePending) {
  store_->UpsertGames(std::vector<Game>{
      MakeGame("g1", "Home One", "Away One", 10, 20),
      MakeGame("g2", "Home Two", "Away Two", std::nullopt, std::nullopt,
               GameStatus::kScheduled),
  });
  store_->InsertParlays(std::vector<Parlay>{MakeParlay(
      "t-1", 1000, "USD",
      {MakeLeg(0, "g1", Market::kMoneyline, Selection::kHome, "", "-110"),
       MakeLeg(1, "g2", Market::kMoneyline, Selection::kHome, "", "-110")})});

  Engine engine(*store_, clock_);
  engine.SettleAll();

  Parlay parlay = Load("t-1");
  EXPECT_EQ(parlay.status, ParlayStatus::kLost);
  EXPECT_EQ(parlay.payout_minor, 0);
  EXPECT_EQ(parlay.legs[0].status, LegStatus::kLost);
  EXPECT_EQ(parlay.legs[1].status, LegStatus::kPending);
}

TEST_P(SettlementTest, ParlayWaitsForItsLastGame) {
  store_->UpsertGames(std::vector<Game>{
      MakeGame("g1", "Home One", "Away One", 30, 20),
      MakeGame("g2", "Home Two", "Away Two", std::nullopt, std::nullopt,
               GameStatus::kInProgress),
  });
  store_->InsertParlays(std::vector<Parlay>{MakeParlay(
      "t-1", 1000, "USD",
      {MakeLeg(0, "g1", Market::kMoneyline, Selection::kHome, "", "+100"),
       MakeLeg(1, "g2", Market::kSpread, Selection::kAway, "+3", "+100")})});
  Engine engine(*store_, clock_);

  engine.SettleAll();
  EXPECT_EQ(Load("t-1").status, ParlayStatus::kPending);
  EXPECT_EQ(Load("t-1").legs[0].status, LegStatus::kWon);

  // Away loses by 3 on +3: push, so the parlay pays the first leg only.
  store_->UpsertGames(std::vector<Game>{
      MakeGame("g2", "Home Two", "Away Two", 17, 14)});
  SettleSummary summary = engine.SettleAll();
  EXPECT_EQ(summary.legs[LegStatus::kPush], 1);
  Parlay parlay = Load("t-1");
  EXPECT_EQ(parlay.status, ParlayStatus::kWon);
  EXPECT_EQ(parlay.payout_minor, 2000);  // 1000 * 2 * 1
}

TEST_P(SettlementTest, PendingLegCountFollowsEachGame) {
  store_->UpsertGames(std::vector<Game>{
      MakeGame("g1", "Home One", "Away One", 30, 20),
      MakeGame("g2", "Home Two", "Away Two", std::nullopt, std::nullopt,
               GameStatus::kInProgress),
      MakeGame("g3", "Home Three", "Away Three", std::nullopt, std::nullopt,
               GameStatus::kInProgress),
  });
  store_->InsertParlays(std::vector<Parlay>{MakeParlay(
      "t-1", 1000, "USD",
      {MakeLeg(0, "g1", Market::kMoneyline, Selection::kHome, "", "+100"),
       MakeLeg(1, "g2", Market::kMoneyline, Selection::kHome, "", "+100"),
       MakeLeg(2, "g3", Market::kMoneyline, Selection::kHome, "", "+100")})});
  auto stored_count = [&] {
    std::unique_ptr<Transaction> transaction = store_->Begin();
    std::vector<ParlayLegs> rows =
        transaction->LoadParlayRows(std::vector<std::string>{"t-1"});
    return rows.at(0).pending_legs;
  };
  EXPECT_EQ(stored_count(), 3);
  Engine engine(*store_, clock_);

  engine.SettleAll();
  EXPECT_EQ(stored_count(), 2);

  // A count that is too low (here 0, with two legs pending) is corrected
  // from the legs the next settlement reads.
  {
    std::unique_ptr<Transaction> transaction = store_->Begin();
    std::vector<ParlayLegs> rows =
        transaction->LoadParlayRows(std::vector<std::string>{"t-1"});
    rows.at(0).pending_legs = 0;
    const ParlayLegs* wrong[] = {&rows[0]};
    transaction->SetPendingLegs(wrong);
    transaction->Commit();
  }
  store_->UpsertGames(std::vector<Game>{
      MakeGame("g2", "Home Two", "Away Two", 21, 7)});
  engine.SettleAll();
  EXPECT_EQ(Load("t-1").status, ParlayStatus::kPending);
  EXPECT_EQ(stored_count(), 1);

  store_->UpsertGames(std::vector<Game>{
      MakeGame("g3", "Home Three", "Away Three", 10, 3)});
  engine.SettleAll();
  const Parlay parlay = Load("t-1");
  EXPECT_EQ(parlay.status, ParlayStatus::kWon);
  EXPECT_EQ(parlay.payout_minor, 8000);  // 1000 * 2 * 2 * 2
}

TEST_P(SettlementTest, FinalWithoutScoreNeedsAttention) {
  store_->UpsertGames(std::vector<Game>{
      MakeGame("g1", "Home One", "Away One", 21, std::nullopt)});
  store_->InsertParlays(std::vector<Parlay>{
      MakeParlay("t-1", 1000, "USD",
                 {MakeLeg(0, "g1", Market::kMoneyline, Selection::kHome, "",
                          "-110")})});
  Engine engine(*store_, clock_);
  SettleSummary summary = engine.SettleAll();

  EXPECT_EQ(summary.legs_settled(), 0);
  ASSERT_EQ(summary.games_needing_attention.size(), 1u);
  EXPECT_EQ(summary.games_needing_attention[0], "g1");
  EXPECT_EQ(Load("t-1").legs[0].status, LegStatus::kPending);
  EXPECT_EQ(Load("t-1").status, ParlayStatus::kPending);
}

TEST_P(SettlementTest, VoidGameReturnsStake) {
  store_->UpsertGames(std::vector<Game>{
      MakeGame("g1", "Home One", "Away One", 21, std::nullopt),
      MakeGame("g2", "Home Two", "Away Two", 10, 0),
  });
  store_->InsertParlays(std::vector<Parlay>{
      MakeParlay("t-1", 1234, "USD",
                 {MakeLeg(0, "g1", Market::kMoneyline, Selection::kHome, "",
                          "-110")}),
      MakeParlay("t-2", 1000, "USD",
                 {MakeLeg(0, "g1", Market::kTotal, Selection::kOver, "40.5",
                          "-110"),
                  MakeLeg(1, "g2", Market::kMoneyline, Selection::kHome, "",
                          "+200")})});
  Engine engine(*store_, clock_);
  engine.SettleAll();
  SettleSummary summary = engine.VoidGame("g1", "score feed lost the game");

  EXPECT_EQ(summary.legs[LegStatus::kVoid], 2);
  Parlay single = Load("t-1");
  EXPECT_EQ(single.status, ParlayStatus::kVoid);
  EXPECT_EQ(single.payout_minor, 1234);
  EXPECT_NE(single.legs[0].reason.find("score feed lost the game"),
            std::string::npos)
      << single.legs[0].reason;
  // The void leg drops out: 1000 * 3 (+200) = 3000.
  Parlay parlay = Load("t-2");
  EXPECT_EQ(parlay.status, ParlayStatus::kWon);
  EXPECT_EQ(parlay.payout_minor, 3000);
  EXPECT_EQ(store_->GetGame("g1")->status, GameStatus::kCancelled);
  EXPECT_THROW(engine.VoidGame("no-such-game", "x"), StoreError);
}

TEST_P(SettlementTest, DryRunWritesNothing) {
  store_->UpsertGames(
      std::vector<Game>{MakeGame("g1", "Home One", "Away One", 3, 0)});
  store_->InsertParlays(std::vector<Parlay>{
      MakeParlay("t-1", 1000, "USD",
                 {MakeLeg(0, "g1", Market::kMoneyline, Selection::kHome, "",
                          "-110")})});
  Engine engine(*store_, clock_);
  SettleOptions options;
  options.dry_run = true;
  SettleSummary summary = engine.SettleAll(options);

  EXPECT_EQ(summary.legs_settled(), 1);
  EXPECT_EQ(summary.parlays[ParlayStatus::kWon], 1);
  EXPECT_EQ(Load("t-1").status, ParlayStatus::kPending);
  EXPECT_EQ(store_->CountAudit(), 0);
  EXPECT_TRUE(store_->ReadOutbox(0, 10).empty());
}

// A transaction that cannot begin fails its games one by one, and the
// pass goes on to the end instead of trying the same batch again.
TEST_P(SettlementTest, BeginFailureFailsEachGame) {
  AddFiveOneLegGames(*store_);
  testing::StoreFaults faults;
  testing::FailingStore failing(database_.Open(), faults);
  faults.begin = true;
  SettleOptions options;
  options.batch_games = 2;
  options.transaction_legs = 100;
  SettleSummary summary = Engine(failing, clock_).SettleAll(options);

  ASSERT_EQ(summary.failures.size(), 5u);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(summary.failures[i].game_id, "g" + std::to_string(i));
    EXPECT_NE(summary.failures[i].error.find("database is locked"),
              std::string::npos)
        << summary.failures[i].error;
  }
  EXPECT_EQ(summary.legs_settled(), 0);
  EXPECT_EQ(Load("t0").status, ParlayStatus::kPending);
}

// A parlay whose legs fall in different batches still counts in a dry
// run, as it would in a real pass.
TEST_P(SettlementTest, DryRunCountsParlaysAcrossBatches) {
  store_->UpsertGames(std::vector<Game>{
      MakeGame("g1", "Home One", "Away One", 3, 0, GameStatus::kFinal, 100),
      MakeGame("g2", "Home Two", "Away Two", 0, 3, GameStatus::kFinal, 200)});
  store_->InsertParlays(std::vector<Parlay>{MakeParlay(
      "t-1", 1000, "USD",
      {MakeLeg(0, "g1", Market::kMoneyline, Selection::kHome, "", "2.00"),
       MakeLeg(1, "g2", Market::kMoneyline, Selection::kAway, "", "2.00")})});
  Engine engine(*store_, clock_);
  SettleOptions options;
  options.dry_run = true;
  options.batch_games = 1;
  SettleSummary summary = engine.SettleAll(options);

  EXPECT_EQ(summary.legs_settled(), 2);
  EXPECT_EQ(summary.parlays[ParlayStatus::kWon], 1);
  EXPECT_EQ(summary.paid["USD"], 4000);
  EXPECT_EQ(Load("t-1").status, ParlayStatus::kPending);
  EXPECT_EQ(store_->CountAudit(), 0);
}

TEST_P(SettlementTest, AuditAndOutboxRecordTransitions) {
  store_->UpsertGames(std::vector<Game>{
      MakeGame("g1", "Kansas City Chiefs", "Detroit Lions", 20, 21)});
  store_->InsertParlays(std::vector<Parlay>{
      MakeParlay("t-1", 1000, "USD",
                 {MakeLeg(0, "g1", Market::kSpread, Selection::kAway, "+4.5",
                          "-110")})});
  Engine engine(*store_, clock_);
  engine.SettleAll();

  std::vector<AuditEvent> audit = store_->ReadAudit("t-1");
  ASSERT_EQ(audit.size(), 2u);
  EXPECT_EQ(audit[0].entity, "leg");
  EXPECT_EQ(audit[0].old_status, "PENDING");
  EXPECT_EQ(audit[0].new_status, "WON");
  EXPECT_EQ(audit[0].home_score, 20);
  EXPECT_EQ(audit[0].away_score, 21);
  EXPECT_EQ(audit[0].rules_version, std::string(kRulesVersion));
  EXPECT_EQ(audit[0].at, clock_.NowSeconds());
  EXPECT_EQ(audit[0].game_id, "g1");
  EXPECT_EQ(audit[1].entity, "parlay");
  EXPECT_EQ(audit[1].new_status, "WON");
  EXPECT_EQ(audit[1].payout_minor, 1909);  // 1000 * 21 / 11 = 1909.09
  EXPECT_EQ(audit[1].game_id, "g1");

  std::vector<OutboxEvent> outbox = store_->ReadOutbox(0, 10);
  ASSERT_EQ(outbox.size(), 2u);
  EXPECT_LT(outbox[0].seq, outbox[1].seq);
  EXPECT_EQ(outbox[0].type, "leg_settled");
  EXPECT_EQ(outbox[1].type, "parlay_settled");
  nlohmann::json payload = nlohmann::json::parse(outbox[1].payload);
  EXPECT_EQ(payload["payout"], "19.09");
  EXPECT_EQ(payload["stake"], "10.00");
  EXPECT_EQ(payload["currency"], "USD");
  // Reading after the first event's sequence number returns only the second.
  std::vector<OutboxEvent> rest = store_->ReadOutbox(outbox[0].seq, 10);
  ASSERT_EQ(rest.size(), 1u);
  EXPECT_EQ(rest[0].seq, outbox[1].seq);
}

// The outbox payloads are written by hand; they must be the JSON text that
// nlohmann::json writes for the same object, escapes included.
TEST_P(SettlementTest, OutboxPayloadsAreCanonicalJson) {
  // A quote, a backslash and non-ASCII letters in the team names end up in
  // the leg's reason.
  store_->UpsertGames(std::vector<Game>{
      MakeGame("g1", "Atl\u00e9tico \"A\"", "Back\\slash FC", 2, 1)});
  store_->InsertParlays(std::vector<Parlay>{
      MakeParlay("t-1", 1000, "USD",
                 {MakeLeg(0, "g1", Market::kMoneyline, Selection::kHome, "",
                          "+150")})});
  Engine(*store_, clock_).SettleAll();

  std::vector<OutboxEvent> outbox = store_->ReadOutbox(0, 10);
  ASSERT_EQ(outbox.size(), 2u);
  const nlohmann::json leg = nlohmann::json::parse(outbox[0].payload);
  EXPECT_EQ(outbox[0].payload, leg.dump());
  EXPECT_EQ(leg["game_id"], "g1");
  EXPECT_EQ(leg["leg_index"], 0);
  EXPECT_EQ(leg["home_score"], 2);
  EXPECT_EQ(leg["away_score"], 1);
  EXPECT_EQ(leg["status"], "WON");
  EXPECT_EQ(leg["settled_at"], "2023-11-14T22:13:20Z");
  const std::string reason = leg["reason"];
  EXPECT_NE(reason.find("Atl\u00e9tico \"A\""), std::string::npos) << reason;
  EXPECT_EQ(reason, Load("t-1").legs[0].reason);

  const nlohmann::json parlay = nlohmann::json::parse(outbox[1].payload);
  EXPECT_EQ(outbox[1].payload, parlay.dump());
  EXPECT_EQ(parlay["payout"], "25.00");  // 10.00 at +150
  EXPECT_EQ(parlay["payout_minor"], 2500);
  EXPECT_EQ(parlay["status"], "WON");
}

// A stored name that is not UTF-8 (input checks reject it, but older rows
// or other writers may have it) must not stop the game's settlement.
TEST_P(SettlementTest, InvalidUtf8NameStillSettles) {
  if (GetParam() == testing::Backend::kPostgres) {
    GTEST_SKIP() << "PostgreSQL refuses to store text that is not UTF-8";
  }
  store_->UpsertGames(std::vector<Game>{
      MakeGame("g1", "Bad\xFF\xFEName", "Away One", 3, 1)});
  store_->InsertParlays(std::vector<Parlay>{
      MakeParlay("t-1", 1000, "USD",
                 {MakeLeg(0, "g1", Market::kMoneyline, Selection::kHome, "",
                          "+100")})});
  SettleSummary summary = Engine(*store_, clock_).SettleAll();
  EXPECT_TRUE(summary.failures.empty());
  EXPECT_EQ(Load("t-1").status, ParlayStatus::kWon);

  std::vector<OutboxEvent> outbox = store_->ReadOutbox(0, 10);
  ASSERT_EQ(outbox.size(), 2u);
  const nlohmann::json leg = nlohmann::json::parse(outbox[0].payload);
  const std::string reason = leg["reason"];
  EXPECT_NE(reason.find("Bad\uFFFD\uFFFDName"), std::string::npos) << reason;
}

// A leg lost in a batch settles its parlay without reading the other legs;
// the audit row still counts every leg of the parlay.
TEST_P(SettlementTest, LostParlayAuditCountsEveryLeg) {
  store_->UpsertGames(std::vector<Game>{
      MakeGame("g1", "Home One", "Away One", 10, 20),
      MakeGame("g2", "Home Two", "Away Two", std::nullopt, std::nullopt,
               GameStatus::kScheduled),
      MakeGame("g3", "Home Three", "Away Three", std::nullopt, std::nullopt,
               GameStatus::kScheduled),
  });
  store_->InsertParlays(std::vector<Parlay>{MakeParlay(
      "t-1", 1000, "USD",
      {MakeLeg(0, "g1", Market::kMoneyline, Selection::kHome, "", "-110"),
       MakeLeg(1, "g2", Market::kMoneyline, Selection::kHome, "", "-110"),
       MakeLeg(2, "g3", Market::kMoneyline, Selection::kAway, "", "-110")})});
  SettleSummary summary = Engine(*store_, clock_).SettleAll();
  EXPECT_EQ(summary.parlays[ParlayStatus::kLost], 1);

  std::vector<AuditEvent> audit = store_->ReadAudit("t-1");
  ASSERT_EQ(audit.size(), 2u);
  EXPECT_EQ(audit[1].entity, "parlay");
  EXPECT_EQ(audit[1].new_status, "LOST");
  EXPECT_EQ(audit[1].payout_minor, 0);
  EXPECT_EQ(audit[1].reason, "derived from 3 legs");
  EXPECT_EQ(audit[1].game_id, "g1");
}

// A parlay's audit row names the game that settled it, by the order in
// which a pass settles games (start time, then id): the first game of a
// lost leg, or else the last game of its legs. g2 starts before g1.
TEST_P(SettlementTest, ParlayAuditNamesTheSettlingGame) {
  store_->UpsertGames(std::vector<Game>{
      MakeGame("g1", "Home One", "Away One", 20, 10, GameStatus::kFinal, 2000),
      MakeGame("g2", "Home Two", "Away Two", 10, 20, GameStatus::kFinal, 1000),
      MakeGame("g3", "Home Three", "Away Three", std::nullopt, std::nullopt,
               GameStatus::kScheduled, 3000),
  });
  store_->InsertParlays(std::vector<Parlay>{
      MakeParlay(
          "lost", 1000, "USD",
          {MakeLeg(0, "g1", Market::kMoneyline, Selection::kAway, "", "+100"),
           MakeLeg(1, "g2", Market::kMoneyline, Selection::kHome, "", "+100"),
           MakeLeg(2, "g3", Market::kMoneyline, Selection::kHome, "",
                   "+100")}),
      MakeParlay(
          "won", 1000, "USD",
          {MakeLeg(0, "g1", Market::kMoneyline, Selection::kHome, "", "+100"),
           MakeLeg(1, "g2", Market::kMoneyline, Selection::kAway, "",
                   "+100")}),
      MakeParlay(
          "later", 1000, "USD",
          {MakeLeg(0, "g1", Market::kMoneyline, Selection::kHome, "", "+100"),
           MakeLeg(1, "g3", Market::kMoneyline, Selection::kHome, "",
                   "+100")})});
  Engine engine(*store_, clock_);
  engine.SettleAll();

  std::vector<AuditEvent> lost = store_->ReadAudit("lost");
  ASSERT_EQ(lost.size(), 3u);
  EXPECT_EQ(lost[2].entity, "parlay");
  EXPECT_EQ(lost[2].new_status, "LOST");
  EXPECT_EQ(lost[2].game_id, "g2");
  std::vector<AuditEvent> won = store_->ReadAudit("won");
  ASSERT_EQ(won.size(), 3u);
  EXPECT_EQ(won[2].entity, "parlay");
  EXPECT_EQ(won[2].new_status, "WON");
  EXPECT_EQ(won[2].game_id, "g1");

  store_->UpsertGames(std::vector<Game>{MakeGame(
      "g3", "Home Three", "Away Three", 3, 0, GameStatus::kFinal, 3000)});
  engine.SettleAll();
  std::vector<AuditEvent> later = store_->ReadAudit("later");
  ASSERT_EQ(later.size(), 3u);
  EXPECT_EQ(later[2].entity, "parlay");
  EXPECT_EQ(later[2].new_status, "WON");
  EXPECT_EQ(later[2].game_id, "g3");
  // The lost parlay's last leg settles too, and its row is read with the
  // parlay's others.
  EXPECT_EQ(store_->ReadAudit("lost").size(), 4u);
}

TEST_P(SettlementTest, MaxGamesLimitsOnePass) {
  std::vector<Game> games;
  std::vector<Parlay> parlays;
  for (int i = 0; i < 5; ++i) {
    std::string id = "g" + std::to_string(i);
    games.push_back(MakeGame(id, "H" + id, "A" + id, 1, 0, GameStatus::kFinal,
                             1000 - i));
    parlays.push_back(MakeParlay(
        "t" + std::to_string(i), 100, "USD",
        {MakeLeg(0, id, Market::kMoneyline, Selection::kHome, "", "-110")}));
  }
  store_->UpsertGames(games);
  store_->InsertParlays(parlays);
  Engine engine(*store_, clock_);
  SettleOptions options;
  options.max_games = 2;
  options.batch_games = 1;

  SettleSummary summary = engine.SettleAll(options);

  // Earliest start first: g4 (996) and g3 (997).
  EXPECT_EQ(summary.games_graded, 2);
  EXPECT_EQ(Load("t4").status, ParlayStatus::kWon);
  EXPECT_EQ(Load("t3").status, ParlayStatus::kWon);
  EXPECT_EQ(Load("t0").status, ParlayStatus::kPending);
}

INSTANTIATE_TEST_SUITE_P(Backends, SettlementTest, testing::AllBackends(),
                         testing::BackendName);

}  // namespace
}  // namespace parlay
