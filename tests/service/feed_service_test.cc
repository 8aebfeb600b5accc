// Score feed pollers inside the running service, configured through the
// environment. They poll a local server on 127.0.0.1 that serves a recorded
// ESPN snapshot. A game the feed makes final is settled without waiting for
// the sweep, and a failing feed is counted without stopping anything.

#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "feeds/import_internal.h"
#include "service_fixture.h"

namespace parlay {
namespace {

using nlohmann::json;
using testing::MakeLeg;
using testing::MakeParlay;
using testing::PollUntil;
using testing::ServiceTest;

// A scoreboard server on 127.0.0.1. /scoreboard responds 503 until
// set_ready(true), then returns data/espn-soccer/snapshot-0001.json. The
// Odds API path always responds 500.
class FeedServer {
 public:
  FeedServer()
      : snapshot_(feeds::ReadFileText(std::string(PARLAY_SOURCE_DIR) +
                                      "/data/espn-soccer/snapshot-0001.json")
                      .value()) {
    server_.Get("/scoreboard",
                [this](const httplib::Request&, httplib::Response& response) {
                  if (!ready_) {
                    response.status = 503;
                    response.set_content("not yet", "text/plain");
                    return;
                  }
                  response.set_content(snapshot_, "application/json");
                });
    server_.Get("/v4/sports/soccer_fifa_world_cup/scores",
                [](const httplib::Request&, httplib::Response& response) {
                  response.status = 500;
                  response.set_content("internal error", "text/plain");
                });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }

  ~FeedServer() {
    server_.stop();
    thread_.join();
  }

  void set_ready(bool ready) { ready_ = ready; }

  std::string Url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }

 private:
  std::string snapshot_;
  std::atomic<bool> ready_{false};
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
};

Game Match(const std::string& id, const std::string& home,
           const std::string& away, const char* start) {
  Game game;
  game.id = id;
  game.league = "FIFA World Cup";
  game.home = home;
  game.away = away;
  game.start_time = ParseIso8601(start).value();
  game.updated_at = ParseIso8601("2026-06-01T00:00:00Z").value();
  return game;
}

class FeedServiceTest : public ServiceTest {
 protected:
  void SetUp() override {
    ServiceTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    // The morning after the matches of snapshot-0001.
    clock_.Set(ParseIso8601("2026-06-30T04:00:00Z").value() * 1000);
    std::unique_ptr<Store> store = OpenStore();
    store->UpsertGames(std::vector<Game>{
        Match("bra-jpn", "Brazil", "Japan", "2026-06-29T17:00:00Z"),
        Match("ger-par", "Germany", "Paraguay", "2026-06-29T20:30:00Z"),
        Match("ned-mar", "Netherlands", "Morocco", "2026-06-30T01:00:00Z")});
    // 10.00 on Brazil to win in 90 minutes at +110.
    store->InsertParlays(std::vector<Parlay>{
        MakeParlay("p-bra", 1000, "USD",
                   {MakeLeg(0, "bra-jpn", Market::kMoneyline3Way,
                            Selection::kHome, "", "+110")})});
  }

  // The pollers stop before the server they poll goes away.
  void TearDown() override {
    if (service_) service_->Stop();
  }

  FeedServer server_;
};

TEST_P(FeedServiceTest, PolledFinalGameSettlesWithoutSweep) {
  // The sweep runs once an hour; the feeds are polled every second.
  Start(ConfigFromEnvironment(
      {{"FEED_POLL_URLS",
        "espn=" + server_.Url("/scoreboard") + " odds-api=" +
            server_.Url("/v4/sports/soccer_fifa_world_cup/scores"
                        "?apiKey=test-secret")},
       {"FEED_POLL_INTERVAL_SECONDS", "1"},
       {"FEED_POLL_TIMEOUT_SECONDS", "2"},
       {"FEED_POLL_MAX_ATTEMPTS", "1"}}));
  EXPECT_EQ(Get("/v1/parlays/p-bra").body["status"], "PENDING");
  const int64_t cycles_before = service_->worker().Status().cycles;

  server_.set_ready(true);

  // Brazil beat Japan 2-1 at full time: 10.00 * 2.10 = 21.00.
  ASSERT_TRUE(PollUntil(
      [&] { return Get("/v1/parlays/p-bra").body["status"] == "WON"; }));
  const json parlay = Get("/v1/parlays/p-bra").body;
  EXPECT_EQ(parlay["payout"], "21.00");
  EXPECT_EQ(parlay["legs"][0]["home_score"], 2);
  EXPECT_EQ(parlay["legs"][0]["away_score"], 1);
  // The poll woke exactly one cycle.
  EXPECT_EQ(service_->worker().Status().cycles, cycles_before + 1);
  const json game = Get("/v1/games/bra-jpn").body;
  EXPECT_EQ(game["status"], "final");
  EXPECT_EQ(game["home_score"], 2);
  EXPECT_EQ(game["away_score"], 1);

  // The snapshot made three games final, and each one's latency from the
  // poll to its settlement was measured.
  EXPECT_EQ(Metric("parlay_feed_games_updated_total{provider=\"espn\"}"), 3);
  EXPECT_GE(Metric("parlay_feed_polls_total{provider=\"espn\"}"), 1);
  EXPECT_TRUE(PollUntil([&] {
    return Metric("parlay_settlement_final_to_settled_seconds_count") == 3;
  }));

  // The Odds API feed fails every poll; it is counted by provider, and the
  // service stays healthy.
  ASSERT_TRUE(PollUntil([&] {
    return Metric("parlay_feed_failed_polls_total{provider=\"odds-api\"}") >= 1;
  }));
  EXPECT_GE(Metric("parlay_feed_failed_attempts_total{provider=\"odds-api\"}"),
            1);
  EXPECT_EQ(Metric("parlay_feed_games_updated_total{provider=\"odds-api\"}"),
            0);
  EXPECT_EQ(Get("/health/settlement").body["status"], "healthy");
  EXPECT_EQ(Get("/health").status, 200);

  // Stopping the service stops the pollers without waiting for an
  // interval.
  const auto stop_started = std::chrono::steady_clock::now();
  service_->Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - stop_started,
            std::chrono::seconds(5));
}

TEST_P(FeedServiceTest, NoPollersWithoutFeedUrls) {
  server_.set_ready(true);
  Start(ConfigFromEnvironment({}));
  EXPECT_EQ(Metric("parlay_feed_polls_total{provider=\"espn\"}"), -1);
  std::optional<service::CycleReport> report =
      service_->worker().RunCycleNow(std::chrono::seconds(30));
  ASSERT_TRUE(report.has_value());
  EXPECT_EQ(Get("/v1/parlays/p-bra").body["status"], "PENDING");
}

INSTANTIATE_TEST_SUITE_P(Backends, FeedServiceTest, testing::AllBackends(),
                         testing::BackendName);

}  // namespace
}  // namespace parlay
