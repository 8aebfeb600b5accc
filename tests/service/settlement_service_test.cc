// The settlement worker inside the running service: event-driven
// settlement, metrics, the feature flag and its audit row, and the order in
// which a backlog is settled.

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "engine/settlement.h"
#include "service_fixture.h"
#include "store/postgres_db.h"

namespace parlay {
namespace {

using nlohmann::json;
using testing::MakeGame;
using testing::MakeLeg;
using testing::MakeParlay;
using testing::PollUntil;
using testing::ServiceTest;

constexpr char kFinalGame[] =
    R"({"id": "2023-09-07-DET-KC", "league": "NFL",
        "home": "Kansas City Chiefs", "away": "Detroit Lions",
        "start_time": "2023-09-08T00:20:00Z", "status": "final",
        "home_score": 20, "away_score": 21,
        "updated_at": "2023-09-08T03:30:00Z"})";

constexpr char kScheduledGame[] =
    R"({"id": "2023-09-07-DET-KC", "league": "NFL",
        "home": "Kansas City Chiefs", "away": "Detroit Lions",
        "start_time": "2023-09-08T00:20:00Z", "status": "scheduled"})";

// 10.00 on the away team at +150: Detroit won 21-20, so it pays 25.00.
constexpr char kAwayParlay[] =
    R"({"id": "t-1", "account": "a-42", "stake": "10.00", "currency": "USD",
        "legs": [{"game": "2023-09-07-DET-KC", "market": "moneyline",
                  "selection": "away", "odds": "+150"}]})";

class SettlementServiceTest : public ServiceTest {
 protected:
  std::string ParlayStatus(const std::string& id) {
    Reply reply = Get("/v1/parlays/" + id);
    return reply.body.value("status", "");
  }

  double GamesNeedingAttention(const std::string& reason) {
    return Metric("parlay_settlement_games_needing_attention{reason=\"" +
                  reason + "\"}");
  }
};

TEST_P(SettlementServiceTest, FinalGameSettlesWithoutSweep) {
  Start(BaseConfig());  // the sweep runs once an hour
  ASSERT_EQ(Post("/v1/games", kScheduledGame).status, 200);
  ASSERT_EQ(Post("/v1/parlays", kAwayParlay).status, 201);
  const int64_t cycles_before = service_->worker().Status().cycles;

  ASSERT_EQ(Post("/v1/games", kFinalGame).status, 200);

  ASSERT_TRUE(PollUntil([&] { return ParlayStatus("t-1") == "WON"; }));
  Reply parlay = Get("/v1/parlays/t-1");
  EXPECT_EQ(parlay.body["payout"], "25.00");
  EXPECT_EQ(parlay.body["audit"].size(), 2u);  // leg and parlay
  // The posted game woke exactly one cycle.
  EXPECT_EQ(service_->worker().Status().cycles, cycles_before + 1);
}

TEST_P(SettlementServiceTest, MetricsAfterSettlement) {
  Start(BaseConfig());
  ASSERT_EQ(Post("/v1/games", kScheduledGame).status, 200);
  ASSERT_EQ(Post("/v1/parlays", kAwayParlay).status, 201);
  ASSERT_EQ(Post("/v1/games", kFinalGame).status, 200);
  ASSERT_TRUE(PollUntil([&] { return ParlayStatus("t-1") == "WON"; }));
  // The heartbeat follows the settlement in the same cycle.
  ASSERT_TRUE(PollUntil([&] {
    return Get("/health/settlement")
               .body["heartbeat"]["meta"]["parlays_settled"] == 1;
  }));

  EXPECT_EQ(Metric("parlay_legs_settled_total{result=\"WON\"}"), 1);
  EXPECT_EQ(Metric("parlay_legs_settled_total{result=\"LOST\"}"), 0);
  EXPECT_EQ(Metric("parlay_parlays_settled_total{result=\"WON\"}"), 1);
  EXPECT_EQ(Metric("parlay_parlays_settled_total{result=\"LOST\"}"), 0);
  EXPECT_EQ(Metric("parlay_settlement_errors_total{type=\"game\"}"), 0);
  EXPECT_EQ(Metric("parlay_settlement_final_to_settled_seconds_count"), 1);
  EXPECT_EQ(Metric("parlay_settlement_games_awaiting"), 0);
  EXPECT_EQ(Metric("parlay_settlement_pending_legs"), 0);
  EXPECT_EQ(Metric("parlay_settlement_feature_enabled"), 1);
  EXPECT_EQ(Metric("parlay_settlement_worker_running"), 1);
  EXPECT_EQ(
      Metric("parlay_http_requests_total{code=\"200\",route=\"/v1/games\"}"),
      2);
  EXPECT_EQ(
      Metric("parlay_http_requests_total{code=\"201\",route=\"/v1/parlays\"}"),
      1);
  EXPECT_GE(Metric("parlay_settlement_cycle_duration_seconds_count"), 1);
  // 10.00 staked at +150 pays 25.00.
  EXPECT_EQ(Metric("parlay_parlays_staked_minor_total{currency=\"USD\"}"),
            1000);
  EXPECT_EQ(Metric("parlay_parlays_paid_minor_total{currency=\"USD\"}"), 2500);
  EXPECT_EQ(Metric("parlay_settlement_workers_active"), 1);
  EXPECT_EQ(GamesNeedingAttention("missing_score"), 0);

  Reply health = Get("/health/settlement");
  EXPECT_EQ(health.body["heartbeat"]["meta"]["parlays_won"], 1);
  EXPECT_EQ(health.body["heartbeat"]["meta"]["parlays_lost"], 0);
}

TEST_P(SettlementServiceTest, MetricsCountFinalGameWithoutScore) {
  Start(BaseConfig());
  ASSERT_EQ(Post("/v1/games", kScheduledGame).status, 200);
  ASSERT_EQ(Post("/v1/parlays", kAwayParlay).status, 201);
  constexpr char kFinalWithoutScore[] =
      R"({"id": "2023-09-07-DET-KC", "league": "NFL",
          "home": "Kansas City Chiefs", "away": "Detroit Lions",
          "start_time": "2023-09-08T00:20:00Z", "status": "final"})";
  ASSERT_EQ(Post("/v1/games", kFinalWithoutScore).status, 200);

  EXPECT_EQ(GamesNeedingAttention("missing_score"), 1);
  EXPECT_EQ(GamesNeedingAttention("correction_held"), 0);
  EXPECT_EQ(GamesNeedingAttention("unknown_status"), 0);

  // The final score arrives: the leg settles and the game leaves the count.
  ASSERT_EQ(Post("/v1/games", kFinalGame).status, 200);
  ASSERT_TRUE(PollUntil([&] { return ParlayStatus("t-1") == "WON"; }));
  EXPECT_EQ(GamesNeedingAttention("missing_score"), 0);
}

TEST_P(SettlementServiceTest, FlagOffSettlesNothingUntilFlipped) {
  service::ServiceConfig config = BaseConfig();
  config.settlement_enabled = false;
  Start(config);
  ASSERT_EQ(Post("/v1/games", kScheduledGame).status, 200);
  ASSERT_EQ(Post("/v1/parlays", kAwayParlay).status, 201);
  ASSERT_EQ(Post("/v1/games", kFinalGame).status, 200);

  // A cycle runs and settles nothing.
  std::optional<service::CycleReport> report =
      service_->worker().RunCycleNow(std::chrono::seconds(30));
  ASSERT_TRUE(report.has_value());
  EXPECT_EQ(report->outcome, service::CycleOutcome::kDisabled);
  EXPECT_EQ(ParlayStatus("t-1"), "PENDING");
  Reply settle = Post("/v1/admin/settle", "", Admin());
  EXPECT_EQ(settle.status, 409);
  EXPECT_EQ(settle.body["error"]["code"], "settlement_disabled");
  EXPECT_EQ(Metric("parlay_settlement_feature_enabled"), 0);
  EXPECT_EQ(Metric("parlay_parlays_settled_total{result=\"WON\"}"), 0);

  Reply flipped =
      Post("/v1/admin/settlement",
           R"({"enabled": true, "reason": "rollout step 1"})", Admin());
  ASSERT_EQ(flipped.status, 200) << flipped.text;
  EXPECT_EQ(flipped.body["feature_enabled"], true);
  EXPECT_EQ(flipped.body["previous"], false);
  EXPECT_EQ(flipped.body["changed"], true);

  // Switching on runs a cycle at once.
  ASSERT_TRUE(PollUntil([&] { return ParlayStatus("t-1") == "WON"; }));
  EXPECT_EQ(Get("/health/settlement").body["status"], "healthy");

  // Setting the same value again changes nothing and writes no audit row.
  Reply same = Post("/v1/admin/settlement", R"({"enabled": true})", Admin());
  EXPECT_EQ(same.body["changed"], false);

  std::unique_ptr<Store> store = OpenStore();
  std::vector<AuditEvent> flips = store->ReadAudit("");
  ASSERT_EQ(flips.size(), 1u);
  EXPECT_EQ(flips[0].entity, "settlement_flag");
  EXPECT_EQ(flips[0].old_status, "disabled");
  EXPECT_EQ(flips[0].new_status, "enabled");
  EXPECT_EQ(flips[0].reason, "rollout step 1");
  EXPECT_EQ(flips[0].at, testing::kStartMillis / 1000);

  Reply off = Post("/v1/admin/settlement", R"({"enabled": false})", Admin());
  EXPECT_EQ(off.body["changed"], true);
  EXPECT_EQ(Get("/health/settlement").body["status"], "disabled");
  EXPECT_EQ(store->ReadAudit("").size(), 2u);
}

// Adds `count` final games starting one hour apart, the oldest first, each
// with a one-leg parlay "p-<n>" on the home team when `with_parlay` holds.
void AddFinalGames(Store& store, int first, int count, bool with_parlay) {
  std::vector<Game> games;
  std::vector<Parlay> parlays;
  for (int n = first; n < first + count; ++n) {
    const std::string id = "g-" + std::to_string(1000 + n);
    games.push_back(MakeGame(id, "Home " + std::to_string(n),
                             "Away " + std::to_string(n), 24, 17,
                             GameStatus::kFinal, 1'600'000'000 + n * 3600));
    if (with_parlay) {
      parlays.push_back(MakeParlay(
          "p-" + std::to_string(1000 + n), 1000, "USD",
          {MakeLeg(0, id, Market::kMoneyline, Selection::kHome, "", "-110")}));
    }
  }
  store.UpsertGames(games);
  if (!parlays.empty()) store.InsertParlays(parlays);
}

TEST_P(SettlementServiceTest, NewestPendingGamesSettleInOneCycle) {
  {
    // The 100 oldest games have only settled legs; the newest 50 have the
    // pending ones.
    std::unique_ptr<Store> store = OpenStore();
    AddFinalGames(*store, 0, 100, true);
    testing::ManualClock clock;
    Engine(*store, clock).SettleAll();
    AddFinalGames(*store, 100, 50, true);
  }
  service::ServiceConfig config = BaseConfig();
  config.max_games_per_cycle = 100;
  Start(config);

  std::unique_ptr<Store> store = OpenStore();
  ASSERT_TRUE(PollUntil([&] {
    std::optional<WorkerHeartbeat> beat = store->ReadHeartbeat("test-worker");
    return beat && beat->total_parlays_settled == 50;
  }));
  std::optional<WorkerHeartbeat> beat = store->ReadHeartbeat("test-worker");
  // The first cycle settled all 50; the fixture's second found nothing.
  EXPECT_LE(beat->cycles, 2);
  EXPECT_EQ(store->CountBacklog().pending_legs, 0);
}

TEST_P(SettlementServiceTest, BacklogSettlesOldestFirstAcrossCycles) {
  {
    std::unique_ptr<Store> store = OpenStore();
    AddFinalGames(*store, 0, 150, true);
  }
  service::ServiceConfig config = BaseConfig();
  config.max_games_per_cycle = 100;
  config.settlement_enabled = false;
  Start(config);
  const int64_t cycles_before_flip = service_->worker().Status().cycles;

  // Switching on runs cycle after cycle while each one fills its limit.
  ASSERT_EQ(
      Post("/v1/admin/settlement", R"({"enabled": true})", Admin()).status,
      200);
  std::unique_ptr<Store> store = OpenStore();
  ASSERT_TRUE(PollUntil([&] {
    std::optional<WorkerHeartbeat> beat = store->ReadHeartbeat("test-worker");
    return beat && beat->total_parlays_settled == 150;
  }));
  std::optional<WorkerHeartbeat> beat = store->ReadHeartbeat("test-worker");
  EXPECT_EQ(beat->cycles, cycles_before_flip + 2);
  EXPECT_EQ(beat->last_parlays_settled, 50);

  // The outbox shows the order: every leg of the 100 oldest games comes
  // before any leg of the newest 50.
  std::vector<OutboxEvent> events = store->ReadOutbox(0, 1000);
  int64_t last_old = 0;
  int64_t first_new = std::numeric_limits<int64_t>::max();
  for (const OutboxEvent& event : events) {
    if (event.type != "leg_settled") continue;
    const int n = std::stoi(event.parlay_id.substr(2)) - 1000;
    if (n < 100) last_old = std::max(last_old, event.seq);
    if (n >= 100) first_new = std::min(first_new, event.seq);
  }
  EXPECT_LT(last_old, first_new);
}

TEST_P(SettlementServiceTest, FailingGameLoggedAndOthersSettle) {
  {
    std::unique_ptr<Store> store = OpenStore();
    AddFinalGames(*store, 0, 3, true);
  }
  // A trigger makes every update of the middle game's legs fail.
  if (OnPostgres()) {
    PgConnection db(database_.url(), PgConnectionOptions{});
    db.ExecuteScript(
        "CREATE FUNCTION fail_g1001() RETURNS trigger AS $$ BEGIN RAISE "
        "EXCEPTION 'injected failure'; END $$ LANGUAGE plpgsql; CREATE "
        "TRIGGER fail_g1001 BEFORE UPDATE ON legs FOR EACH ROW WHEN "
        "(OLD.game_id = 'g-1001') EXECUTE FUNCTION fail_g1001()");
  } else {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(database_.url().c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db,
                           "CREATE TRIGGER fail_g1001 BEFORE UPDATE ON legs "
                           "WHEN OLD.game_id = 'g-1001' BEGIN SELECT "
                           "RAISE(ABORT, 'injected failure'); END",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(db);
  }

  // The first cycle settles g-1000 and g-1002 and rolls back g-1001.
  Start(BaseConfig());
  EXPECT_EQ(ParlayStatus("p-1000"), "WON");
  EXPECT_EQ(ParlayStatus("p-1001"), "PENDING");
  EXPECT_EQ(ParlayStatus("p-1002"), "WON");
  const double game_errors =
      Metric("parlay_settlement_errors_total{type=\"game\"}");
  const double cycle_errors =
      Metric("parlay_settlement_errors_total{type=\"cycle\"}");
  const int consecutive =
      service_->worker().Status().breaker.consecutive_errors;
  EXPECT_GE(game_errors, 1);

  // A cycle with only g-1001 left fails as a whole.
  std::optional<service::CycleReport> report =
      service_->worker().RunCycleNow(std::chrono::seconds(30));
  ASSERT_TRUE(report.has_value());
  EXPECT_EQ(report->outcome, service::CycleOutcome::kFailed);
  EXPECT_EQ(report->games_attempted, 1);
  EXPECT_NE(report->error.find("every game of the cycle failed"),
            std::string::npos)
      << report->error;
  EXPECT_EQ(Metric("parlay_settlement_errors_total{type=\"game\"}"),
            game_errors + 1);
  EXPECT_EQ(Metric("parlay_settlement_errors_total{type=\"cycle\"}"),
            cycle_errors + 1);
  EXPECT_EQ(service_->worker().Status().breaker.consecutive_errors,
            consecutive + 1);
  EXPECT_EQ(ParlayStatus("p-1001"), "PENDING");
  EXPECT_TRUE(service_->worker().Status().running);
}

INSTANTIATE_TEST_SUITE_P(Backends, SettlementServiceTest, testing::AllBackends(),
                         testing::BackendName);

}  // namespace
}  // namespace parlay
