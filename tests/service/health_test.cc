// GET /health and GET /health/settlement on the real server: every status,
// its HTTP code and the exact JSON.

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>

#include <sstream>
#include <vector>

#include "service/health_routes.h"
#include "service_fixture.h"

namespace parlay {
namespace {

using nlohmann::json;
using testing::kStartIso;
using testing::PollUntil;
using testing::ServiceTest;

class HealthTest : public ServiceTest {};

TEST_P(HealthTest, HealthyHasExactShape) {
  Start(BaseConfig());
  clock_.Advance(45'200);

  Reply reply = Get("/health/settlement");

  EXPECT_EQ(reply.status, 200);
  // The clock has not moved since the start heartbeat, except the 45.2 s.
  json expected = json::parse(R"({
    "status": "healthy", "feature_enabled": true,
    "worker": {"running": true,
               "circuit_breaker": {"open": false, "consecutive_errors": 0,
                                   "opened_at": null}},
    "heartbeat": {"last_beat": "2023-11-14T22:13:20Z",
                  "seconds_since_beat": 45.2,
                  "meta": {"parlays_settled": 0, "parlays_won": 0,
                           "parlays_lost": 0}},
    "timestamp": "2023-11-14T22:14:05Z",
    "other_workers": []})");
  EXPECT_EQ(reply.body, expected) << reply.text;
  // The keys come in the documented order.
  EXPECT_EQ(reply.text.find("{\"status\":"), 0u) << reply.text;
}

TEST_P(HealthTest, ListsOtherWorkersHeartbeats) {
  Start(BaseConfig());
  // Another worker on the same database wrote its heartbeat 90 s ago.
  WorkerHeartbeat other;
  other.worker_id = "host-b-4242";
  other.started_at_ms = clock_.NowMillis() - 600'000;
  other.beat_at_ms = clock_.NowMillis() - 90'000;
  other.cycles = 12;
  other.last_parlays_settled = 7;
  other.last_parlays_won = 2;
  other.last_parlays_lost = 5;
  OpenStore()->WriteHeartbeat(other);

  Reply reply = Get("/health/settlement");
  EXPECT_EQ(reply.status, 200) << reply.text;
  EXPECT_EQ(reply.body["status"], "healthy");
  ASSERT_EQ(reply.body["other_workers"].size(), 1u) << reply.text;
  const json& listed = reply.body["other_workers"][0];
  EXPECT_EQ(listed["worker_id"], "host-b-4242");
  EXPECT_EQ(listed["seconds_since_beat"], 90.0);
  EXPECT_EQ(listed["meta"]["parlays_settled"], 7);
  EXPECT_EQ(listed["meta"]["parlays_won"], 2);
  EXPECT_EQ(listed["meta"]["parlays_lost"], 5);
}

TEST_P(HealthTest, LeavesOutWorkersGoneADay) {
  Start(BaseConfig());
  std::unique_ptr<Store> store = OpenStore();
  for (const auto& [id, age_ms] :
       {std::pair<std::string, int64_t>{"host-d-1", 86'400'000},
        {"host-d-2", 86'400'001}}) {
    WorkerHeartbeat other;
    other.worker_id = id;
    other.started_at_ms = clock_.NowMillis() - age_ms;
    other.beat_at_ms = clock_.NowMillis() - age_ms;
    store->WriteHeartbeat(other);
  }

  Reply reply = Get("/health/settlement");
  ASSERT_EQ(reply.body["other_workers"].size(), 1u) << reply.text;
  EXPECT_EQ(reply.body["other_workers"][0]["worker_id"], "host-d-1");
  EXPECT_EQ(reply.body["other_workers"][0]["seconds_since_beat"], 86400.0);
}

TEST_P(HealthTest, HeartbeatAheadOfClockIsZeroSecondsOld) {
  Start(BaseConfig());
  // Another worker's host clock runs 1.5 s ahead of this one.
  WorkerHeartbeat other;
  other.worker_id = "host-c-77";
  other.started_at_ms = clock_.NowMillis();
  other.beat_at_ms = clock_.NowMillis() + 1'500;
  OpenStore()->WriteHeartbeat(other);

  Reply reply = Get("/health/settlement");
  ASSERT_EQ(reply.body["other_workers"].size(), 1u) << reply.text;
  EXPECT_EQ(reply.body["other_workers"][0]["seconds_since_beat"], 0.0);
  EXPECT_EQ(reply.body["status"], "healthy");
}

TEST_P(HealthTest, LivenessReportsDatabase) {
  Start(BaseConfig());
  Reply reply = Get("/health");
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.body["status"], "ok");
  EXPECT_EQ(reply.body["database"], "ok");

  faults_.read_heartbeat = true;
  Reply failed = Get("/health");
  EXPECT_EQ(failed.status, 503);
  EXPECT_EQ(failed.body["status"], "error");
  EXPECT_EQ(failed.body["database"], "error");
}

TEST_P(HealthTest, LivenessFailureLogsOnceASecond) {
  Start(BaseConfig());
  std::ostringstream captured;
  auto previous = spdlog::default_logger();
  auto logger = std::make_shared<spdlog::logger>(
      "capture", std::make_shared<spdlog::sinks::ostream_sink_mt>(captured));
  spdlog::set_default_logger(logger);
  faults_.read_heartbeat = true;

  for (int i = 0; i < 5; ++i) EXPECT_EQ(Get("/health").status, 503);
  clock_.Advance(1'000);
  EXPECT_EQ(Get("/health").status, 503);
  spdlog::set_default_logger(previous);

  // The first failure and the one a second later; the second line counts
  // the four failures between them.
  std::vector<std::string> lines;
  std::istringstream text(captured.str());
  for (std::string line; std::getline(text, line);) {
    if (line.find("database liveness check failed") != std::string::npos) {
      lines.push_back(line);
    }
  }
  ASSERT_EQ(lines.size(), 2u) << captured.str();
  EXPECT_NE(lines[0].find("failures_not_logged=0"), std::string::npos)
      << lines[0];
  EXPECT_NE(lines[1].find("failures_not_logged=4"), std::string::npos)
      << lines[1];
}

TEST_P(HealthTest, DisabledWhenFlagOff) {
  service::ServiceConfig config = BaseConfig();
  config.settlement_enabled = false;
  Start(config);

  Reply reply = Get("/health/settlement");
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.body["status"], "disabled");
  EXPECT_EQ(reply.body["feature_enabled"], false);
  EXPECT_EQ(reply.body["worker"]["running"], true);
}

TEST_P(HealthTest, StaleAfterStaleSeconds) {
  Start(BaseConfig());  // stale after 7200 s
  clock_.Advance(7'200'000);
  Reply at_limit = Get("/health/settlement");
  EXPECT_EQ(at_limit.status, 200) << at_limit.text;
  EXPECT_EQ(at_limit.body["status"], "healthy");

  clock_.Advance(1'000);
  Reply reply = Get("/health/settlement");
  EXPECT_EQ(reply.status, 503);
  EXPECT_EQ(reply.body["status"], "stale");
  EXPECT_EQ(reply.body["heartbeat"]["seconds_since_beat"], 7201.0);
  EXPECT_EQ(reply.body["heartbeat"]["last_beat"], kStartIso);

  // A cycle writes a heartbeat and makes it fresh again.
  ASSERT_EQ(Post("/v1/admin/settle", "", Admin()).status, 200);
  Reply fresh = Get("/health/settlement");
  EXPECT_EQ(fresh.status, 200);
  EXPECT_EQ(fresh.body["heartbeat"]["seconds_since_beat"], 0.0);
}

TEST_P(HealthTest, DegradedAfterThreeFailedCycles) {
  Start(BaseConfig());  // breaker threshold 5
  faults_.find_games = true;
  for (int i = 0; i < 3; ++i) {
    Reply settle = Post("/v1/admin/settle", "", Admin());
    EXPECT_EQ(settle.status, 500) << settle.text;
    EXPECT_EQ(settle.body["error"]["code"], "cycle_failed");
  }

  Reply reply = Get("/health/settlement");
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.body["status"], "degraded");
  EXPECT_EQ(reply.body["worker"]["circuit_breaker"]["consecutive_errors"], 3);
  EXPECT_EQ(reply.body["worker"]["circuit_breaker"]["open"], false);
}

TEST_P(HealthTest, CircuitOpenThenHalfOpenThenClosed) {
  service::ServiceConfig config = BaseConfig();
  config.breaker_threshold = 3;
  config.breaker_reset_seconds = 300;
  Start(config);
  faults_.find_games = true;
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(Post("/v1/admin/settle", "", Admin()).status, 500);
  }

  Reply open = Get("/health/settlement");
  EXPECT_EQ(open.status, 503);
  EXPECT_EQ(open.body["status"], "circuit_open");
  EXPECT_EQ(open.body["worker"]["circuit_breaker"]["open"], true);
  EXPECT_EQ(open.body["worker"]["circuit_breaker"]["consecutive_errors"], 3);
  EXPECT_EQ(open.body["worker"]["circuit_breaker"]["opened_at"], kStartIso);
  EXPECT_EQ(Metric("parlay_settlement_breaker_trips_total"), 1);
  EXPECT_EQ(Metric("parlay_settlement_breaker_state{state=\"open\"}"), 1);

  // Open: cycles are skipped until the reset period has passed.
  clock_.Advance(299'000);
  Reply skipped = Post("/v1/admin/settle", "", Admin());
  EXPECT_EQ(skipped.status, 503);
  EXPECT_EQ(skipped.body["error"]["code"], "circuit_open");
  EXPECT_EQ(Metric("parlay_settlement_cycles_total{outcome=\"skipped\"}"), 1);

  // Half-open: one trial cycle, which fails and opens the breaker again.
  clock_.Advance(1'000);
  EXPECT_EQ(Post("/v1/admin/settle", "", Admin()).status, 500);
  Reply reopened = Get("/health/settlement");
  EXPECT_EQ(reopened.body["status"], "circuit_open");
  EXPECT_EQ(reopened.body["worker"]["circuit_breaker"]["opened_at"],
            "2023-11-14T22:18:20Z");  // 300 s after the start
  EXPECT_EQ(Metric("parlay_settlement_breaker_trips_total"), 2);

  // The next trial succeeds and closes it.
  faults_.find_games = false;
  clock_.Advance(300'000);
  EXPECT_EQ(Post("/v1/admin/settle", "", Admin()).status, 200);
  Reply closed = Get("/health/settlement");
  EXPECT_EQ(closed.status, 200);
  EXPECT_EQ(closed.body["status"], "healthy");
  EXPECT_EQ(closed.body["worker"]["circuit_breaker"]["open"], false);
  EXPECT_EQ(closed.body["worker"]["circuit_breaker"]["consecutive_errors"], 0);
  EXPECT_EQ(closed.body["worker"]["circuit_breaker"]["opened_at"], nullptr);
  EXPECT_EQ(Metric("parlay_settlement_breaker_state{state=\"closed\"}"), 1);
  // Three failures opened it and the first trial failed; a skipped cycle
  // is no error.
  EXPECT_EQ(Metric("parlay_settlement_errors_total{type=\"cycle\"}"), 4);
}

TEST_P(HealthTest, StoppedWhenWorkerStops) {
  Start(BaseConfig());
  // The response of this same millisecond must not be reused for the
  // stopped worker.
  ASSERT_EQ(Get("/health/settlement").body["status"], "healthy");
  service_->worker().RequestStop();
  service_->worker().Join();

  Reply reply = Get("/health/settlement");
  EXPECT_EQ(reply.status, 503);
  EXPECT_EQ(reply.body["status"], "stopped");
  EXPECT_EQ(reply.body["worker"]["running"], false);
  EXPECT_EQ(Metric("parlay_settlement_worker_running"), 0);
}

TEST_P(HealthTest, ErrorWhenHeartbeatReadFails) {
  Start(BaseConfig());
  faults_.read_heartbeat = true;

  Reply reply = Get("/health/settlement");
  EXPECT_EQ(reply.status, 503);
  EXPECT_EQ(reply.body["status"], "error");
  EXPECT_NE(reply.body["message"].get<std::string>().find(
                "reading the heartbeat failed"),
            std::string::npos)
      << reply.text;
  EXPECT_EQ(reply.body["heartbeat"]["last_beat"], nullptr);
}

TEST_P(HealthTest, AnswersWhileWriteLockIsHeld) {
  Start(BaseConfig());
  std::unique_ptr<Store> other = OpenStore();
  other->UpsertGames(std::vector<Game>{
      testing::MakeGame("g-lock", "Home Team", "Away Team", std::nullopt,
                        std::nullopt, GameStatus::kScheduled)});

  // A write transaction holds the database's write lock, as a settlement
  // batch does, until `transaction` is destroyed.
  std::unique_ptr<Transaction> transaction = other->Begin();
  transaction->VoidGame("g-lock", "holding the lock", 0);

  Reply health = Get("/health/settlement");
  EXPECT_EQ(health.status, 200) << health.text;
  EXPECT_EQ(health.body["status"], "healthy");
  Reply game = Get("/v1/games/g-lock");
  EXPECT_EQ(game.status, 200) << game.text;
  EXPECT_EQ(game.body["status"], "scheduled");  // the write is not committed
  EXPECT_GE(Metric("parlay_settlement_pending_legs"), 0);
}

TEST_P(HealthTest, OneHeartbeatReadServesASecond) {
  Start(BaseConfig());
  Reply first = Get("/health/settlement");
  ASSERT_EQ(first.status, 200) << first.text;

  // Another worker's heartbeat and a failing database show up once the
  // last read is more than a second old, not before.
  WorkerHeartbeat other;
  other.worker_id = "host-b-4242";
  other.started_at_ms = clock_.NowMillis();
  other.beat_at_ms = clock_.NowMillis();
  OpenStore()->WriteHeartbeat(other);
  faults_.read_heartbeat = true;
  clock_.Advance(1'000);
  Reply reused = Get("/health/settlement");
  EXPECT_EQ(reused.status, 200) << reused.text;
  EXPECT_EQ(reused.body["other_workers"].size(), 0u) << reused.text;
  // The age is worked out at the request, not at the read.
  EXPECT_EQ(reused.body["heartbeat"]["seconds_since_beat"], 1.0);

  clock_.Advance(1);
  Reply failed = Get("/health/settlement");
  EXPECT_EQ(failed.status, 503) << failed.text;
  EXPECT_EQ(failed.body["status"], "error");

  faults_.read_heartbeat = false;
  clock_.Advance(1'001);
  Reply listed = Get("/health/settlement");
  EXPECT_EQ(listed.status, 200) << listed.text;
  ASSERT_EQ(listed.body["other_workers"].size(), 1u) << listed.text;
  EXPECT_EQ(listed.body["other_workers"][0]["worker_id"], "host-b-4242");
}

TEST_P(HealthTest, OwnHeartbeatShowsAtOnce) {
  Start(BaseConfig());
  Reply before = Get("/health/settlement");
  ASSERT_EQ(before.status, 200) << before.text;
  ASSERT_EQ(before.body["heartbeat"]["meta"]["parlays_settled"], 0);
  std::unique_ptr<Store> store = OpenStore();
  store->UpsertGames(std::vector<Game>{testing::MakeGame(
      "g-now", "Home Team", "Away Team", 20, 10, GameStatus::kFinal)});
  store->InsertParlays(std::vector<Parlay>{testing::MakeParlay(
      "p-now", 1000, "USD",
      {testing::MakeLeg(0, "g-now", Market::kMoneyline, Selection::kHome, "",
                        "-110")})});

  // The cycle's heartbeat is read again even though the clock has not
  // moved since the last read.
  ASSERT_EQ(Post("/v1/admin/settle", "", Admin()).status, 200);
  Reply after = Get("/health/settlement");
  EXPECT_EQ(after.status, 200) << after.text;
  EXPECT_EQ(after.body["heartbeat"]["meta"]["parlays_settled"], 1)
      << after.text;
  EXPECT_EQ(after.body["heartbeat"]["meta"]["parlays_won"], 1);
}

// The status precedence, without a server.
TEST(SettlementHealthTest, FirstMatchingStatusWins) {
  service::WorkerStatus worker;
  worker.running = true;
  worker.enabled = true;
  WorkerHeartbeat beat;
  beat.beat_at_ms = 1'000'000;
  const int64_t now = beat.beat_at_ms + 10'000;

  struct Case {
    const char* name;
    bool enabled;
    service::BreakerState breaker;
    bool running;
    int errors;
    int64_t age_ms;
    bool failed;
    const char* status;
    int code;
  };
  using service::BreakerState;
  const Case cases[] = {
      {"check failed", true, BreakerState::kClosed, true, 0, 0, true, "error",
       503},
      {"open beats check failed", true, BreakerState::kOpen, true, 5, 0, true,
       "circuit_open", 503},
      {"check failed beats stopped", true, BreakerState::kClosed, false, 0, 0,
       true, "error", 503},
      {"flag off beats open", false, BreakerState::kOpen, false, 9, 0, false,
       "disabled", 200},
      {"open", true, BreakerState::kOpen, true, 5, 0, false, "circuit_open",
       503},
      {"half-open", true, BreakerState::kHalfOpen, true, 5, 0, false,
       "circuit_open", 503},
      {"stopped beats stale", true, BreakerState::kClosed, false, 0, 700'000,
       false, "stopped", 503},
      {"stale beats degraded", true, BreakerState::kClosed, true, 4, 600'001,
       false, "stale", 503},
      {"degraded", true, BreakerState::kClosed, true, 3, 0, false, "degraded",
       200},
      {"two errors", true, BreakerState::kClosed, true, 2, 0, false, "healthy",
       200},
  };
  for (const Case& c : cases) {
    worker.enabled = c.enabled;
    worker.running = c.running;
    worker.breaker.state = c.breaker;
    worker.breaker.consecutive_errors = c.errors;
    WorkerHeartbeat aged = beat;
    aged.beat_at_ms = now - c.age_ms;
    std::optional<std::string> error;
    if (c.failed) error = "boom";
    service::SettlementHealth health =
        service::EvaluateSettlementHealth(worker, aged, error, now, 600);
    EXPECT_EQ(health.status, c.status) << c.name;
    EXPECT_EQ(health.http_status, c.code) << c.name;
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, HealthTest, testing::AllBackends(),
                         testing::BackendName);

}  // namespace
}  // namespace parlay
