// Score corrections in the engine: the audit keeps both settlements, a
// parlay can go back to PENDING, re-grades are conditional, and operator
// re-settlement. The data-driven cases are in tests/scenarios.

#include <gtest/gtest.h>

#include <cstdlib>
#include <nlohmann/json.hpp>

#include "engine/settlement.h"
#include "store/store.h"
#include "support/test_database.h"
#include "support/test_support.h"

namespace parlay {
namespace {

using testing::MakeGame;
using testing::MakeLeg;
using testing::MakeParlay;

class CorrectionsTest : public ::testing::TestWithParam<testing::Backend> {
 protected:
  CorrectionsTest() : clock_(1'700'000'000'000) {}

  void SetUp() override {
    PARLAY_REQUIRE_DATABASE(database_);
    store_ = database_.Open();
    engine_ = std::make_unique<Engine>(*store_, clock_);
  }

  // Writes g1's result as a feed would, an hour later each time.
  void Correct(int home, int away, GameStatus status = GameStatus::kFinal) {
    clock_.Advance(3'600'000);
    Game game = *store_->GetGame("g1");
    game.status = status;
    game.home_score = home;
    game.away_score = away;
    game.updated_at = clock_.NowSeconds();
    std::unique_ptr<Transaction> transaction = store_->Begin();
    const Game games[] = {game};
    transaction->WriteGameResults(games);
    transaction->Commit();
  }

  testing::TestDatabase database_{GetParam()};
  testing::ManualClock clock_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<Engine> engine_;
};

TEST_P(CorrectionsTest, AuditKeepsBothSettlements) {
  store_->UpsertGames(std::vector<Game>{MakeGame("g1", "Home", "Away", 2, 1)});
  store_->InsertParlays(std::vector<Parlay>{MakeParlay(
      "t-1", 1000, "USD",
      {MakeLeg(0, "g1", Market::kMoneyline, Selection::kHome, "", "+100")})});
  engine_->SettleAll();
  Correct(1, 2);
  const SettleSummary summary = engine_->SettleAll();
  EXPECT_EQ(summary.corrections_applied, 1);

  const std::vector<AuditEvent> audit = store_->ReadAudit("t-1");
  ASSERT_EQ(audit.size(), 4u);
  EXPECT_EQ(audit[0].entity, "leg");
  EXPECT_EQ(audit[0].new_status, "WON");
  EXPECT_EQ(audit[1].entity, "parlay");
  EXPECT_EQ(audit[1].payout_minor, 2000);
  EXPECT_EQ(audit[2].entity, "leg");
  EXPECT_EQ(audit[2].old_status, "WON");
  EXPECT_EQ(audit[2].new_status, "LOST");
  EXPECT_EQ(audit[2].home_score, 1);
  EXPECT_EQ(audit[3].entity, "parlay");
  EXPECT_EQ(audit[3].old_status, "WON");
  EXPECT_EQ(audit[3].new_status, "LOST");
  EXPECT_EQ(audit[3].payout_minor, 0);
  EXPECT_EQ(audit[3].game_id, "g1");
  EXPECT_EQ(audit[3].reason,
            "score correction on game g1: payout 20.00 -> 0.00 USD");
}

TEST_P(CorrectionsTest, LostParlayReopensWhenLostLegWins) {
  store_->UpsertGames(
      std::vector<Game>{MakeGame("g1", "Home", "Away", 1, 2),
                        MakeGame("g2", "Home 2", "Away 2", std::nullopt,
                                 std::nullopt, GameStatus::kInProgress)});
  store_->InsertParlays(std::vector<Parlay>{MakeParlay(
      "t-1", 1000, "USD",
      {MakeLeg(0, "g1", Market::kMoneyline, Selection::kHome, "", "+100"),
       MakeLeg(1, "g2", Market::kMoneyline, Selection::kHome, "", "+100")})});
  engine_->SettleAll();
  ASSERT_EQ(store_->GetParlay("t-1")->status, ParlayStatus::kLost);

  Correct(3, 2);
  engine_->SettleAll();
  const Parlay parlay = *store_->GetParlay("t-1");
  EXPECT_EQ(parlay.status, ParlayStatus::kPending);
  EXPECT_FALSE(parlay.payout_minor.has_value());
  EXPECT_FALSE(parlay.settled_at.has_value());
  EXPECT_EQ(parlay.legs[0].status, LegStatus::kWon);

  const std::vector<OutboxEvent> outbox = store_->ReadOutbox(0, 100);
  const OutboxEvent& last = outbox.back();
  EXPECT_EQ(last.type, "parlay_corrected");
  const nlohmann::json payload = nlohmann::json::parse(last.payload);
  EXPECT_EQ(payload["old_status"], "LOST");
  EXPECT_EQ(payload["status"], "PENDING");
  EXPECT_EQ(payload["old_payout_minor"], 0);
  EXPECT_TRUE(payload["payout_minor"].is_null());
  const std::vector<AuditEvent> audit = store_->ReadAudit("t-1");
  ASSERT_FALSE(audit.empty());
  EXPECT_EQ(audit.back().new_status, "PENDING");
  EXPECT_EQ(audit.back().reason,
            "score correction on game g1: payout 0.00 USD -> none");

  // The reopened parlay settles with its last leg.
  Game g2 = *store_->GetGame("g2");
  g2.status = GameStatus::kFinal;
  g2.home_score = 24;
  g2.away_score = 10;
  store_->UpsertGames(std::vector<Game>{g2});
  engine_->SettleAll();
  const Parlay settled = *store_->GetParlay("t-1");
  EXPECT_EQ(settled.status, ParlayStatus::kWon);
  EXPECT_EQ(settled.payout_minor, 4000);  // 1000 * 2 * 2
}

TEST_P(CorrectionsTest, CorrectionSkipsLegChangedSinceRead) {
  store_->UpsertGames(std::vector<Game>{MakeGame("g1", "Home", "Away", 2, 1)});
  store_->InsertParlays(std::vector<Parlay>{MakeParlay(
      "t-1", 1000, "USD",
      {MakeLeg(0, "g1", Market::kMoneyline, Selection::kHome, "", "+100")})});
  engine_->SettleAll();

  std::unique_ptr<Transaction> transaction = store_->Begin();
  const std::string ids[] = {"g1"};
  std::vector<SettledLeg> legs = transaction->LoadSettledLegs(ids);
  ASSERT_EQ(legs.size(), 1u);
  LegCorrection stale;
  stale.old_leg = legs[0];
  stale.old_leg.home_score = 3;  // not the scores the leg was graded on
  stale.status = LegStatus::kLost;
  LegCorrection current = stale;
  current.old_leg = legs[0];
  const LegCorrection corrections[] = {stale, current};
  EXPECT_EQ(transaction->CorrectLegs(corrections),
            (std::vector<bool>{false, true}));
}

TEST_P(CorrectionsTest, CancelledAfterSettlementVoidsLegsInWindow) {
  store_->UpsertGames(std::vector<Game>{MakeGame("g1", "Home", "Away", 2, 1)});
  store_->InsertParlays(std::vector<Parlay>{MakeParlay(
      "t-1", 1000, "USD",
      {MakeLeg(0, "g1", Market::kMoneyline, Selection::kHome, "", "+150")})});
  engine_->SettleAll();
  ASSERT_EQ(store_->GetParlay("t-1")->payout_minor, 2500);
  Correct(2, 1, GameStatus::kNoContest);
  engine_->SettleAll();
  const Parlay parlay = *store_->GetParlay("t-1");
  EXPECT_EQ(parlay.status, ParlayStatus::kVoid);
  EXPECT_EQ(parlay.payout_minor, 1000);
  EXPECT_EQ(parlay.legs[0].status, LegStatus::kVoid);
}

TEST_P(CorrectionsTest, DryRunLeavesCorrectionsForLater) {
  store_->UpsertGames(std::vector<Game>{MakeGame("g1", "Home", "Away", 2, 1)});
  store_->InsertParlays(std::vector<Parlay>{MakeParlay(
      "t-1", 1000, "USD",
      {MakeLeg(0, "g1", Market::kMoneyline, Selection::kHome, "", "+100")})});
  engine_->SettleAll();
  Correct(1, 2);
  SettleOptions dry_run;
  dry_run.dry_run = true;
  EXPECT_EQ(engine_->SettleAll(dry_run).corrections_applied, 0);
  EXPECT_EQ(store_->GetParlay("t-1")->status, ParlayStatus::kWon);
  EXPECT_EQ(engine_->SettleAll().corrections_applied, 1);
  EXPECT_EQ(store_->GetParlay("t-1")->status, ParlayStatus::kLost);
}

TEST_P(CorrectionsTest, ResettleUnknownGameThrows) {
  EXPECT_THROW(engine_->ResettleGame("nope"), StoreError);
}

TEST_P(CorrectionsTest, ResettleWithoutChangeIsNoOp) {
  store_->UpsertGames(std::vector<Game>{MakeGame("g1", "Home", "Away", 2, 1)});
  store_->InsertParlays(std::vector<Parlay>{MakeParlay(
      "t-1", 1000, "USD",
      {MakeLeg(0, "g1", Market::kMoneyline, Selection::kHome, "", "+100")})});
  engine_->SettleAll();
  const int64_t audit_rows = store_->CountAudit();
  const SettleSummary summary = engine_->ResettleGame("g1");
  EXPECT_EQ(summary.legs_corrected, 0);
  EXPECT_EQ(store_->CountAudit(), audit_rows);
}

INSTANTIATE_TEST_SUITE_P(Backends, CorrectionsTest, testing::AllBackends(),
                         testing::BackendName);

TEST(LifecyclePolicyTest, ReadsEnvironment) {
  unsetenv("SETTLEMENT_POSTPONED_VOID_HOURS");
  unsetenv("SETTLEMENT_CORRECTION_WINDOW_HOURS");
  EXPECT_EQ(LifecyclePolicyFromEnvironment().postponed_void_seconds, 48 * 3600);
  EXPECT_EQ(LifecyclePolicyFromEnvironment().correction_window_seconds,
            72 * 3600);
  setenv("SETTLEMENT_POSTPONED_VOID_HOURS", "0", 1);
  setenv("SETTLEMENT_CORRECTION_WINDOW_HOURS", "24", 1);
  EXPECT_EQ(LifecyclePolicyFromEnvironment().postponed_void_seconds, 0);
  EXPECT_EQ(LifecyclePolicyFromEnvironment().correction_window_seconds,
            24 * 3600);
  setenv("SETTLEMENT_POSTPONED_VOID_HOURS", "two days", 1);
  EXPECT_THROW(LifecyclePolicyFromEnvironment(), std::invalid_argument);
  setenv("SETTLEMENT_POSTPONED_VOID_HOURS", "-1", 1);
  EXPECT_THROW(LifecyclePolicyFromEnvironment(), std::invalid_argument);
  unsetenv("SETTLEMENT_POSTPONED_VOID_HOURS");
  unsetenv("SETTLEMENT_CORRECTION_WINDOW_HOURS");
}

}  // namespace
}  // namespace parlay
