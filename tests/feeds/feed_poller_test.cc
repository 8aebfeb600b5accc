// FeedPoller against a local HTTP server on 127.0.0.1 that answers slowly,
// with HTTP 500, with garbage and then correctly.

#include "feeds/feed_poller.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "feeds/import_internal.h"
#include "store/store.h"
#include "support/test_database.h"
#include "support/test_support.h"

namespace parlay {
namespace {

using std::chrono::milliseconds;

std::string SnapshotText() {
  return feeds::ReadFileText(std::string(PARLAY_SOURCE_DIR) +
                             "/data/espn-soccer/snapshot-0001.json")
      .value();
}

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

// A scoreboard server whose answers are scripted per request: "slow"
// sleeps past the client's timeout, "500" fails, "garbage" returns a body
// that is not JSON, and "ok" returns the recorded snapshot. After the
// script runs out it keeps answering "ok".
class ScriptedServer {
 public:
  explicit ScriptedServer(std::vector<std::string> script)
      : script_(std::move(script)), body_(SnapshotText()) {
    server_.Get("/scoreboard", [this](const httplib::Request&,
                                      httplib::Response& response) {
      const size_t call = calls_++;
      const std::string step = call < script_.size() ? script_[call] : "ok";
      if (step == "slow") {
        std::this_thread::sleep_for(milliseconds(700));
        response.set_content(body_, "application/json");
      } else if (step == "500") {
        response.status = 500;
        response.set_content("internal error", "text/plain");
      } else if (step == "garbage") {
        response.set_content("<html>maintenance</html>", "text/html");
      } else {
        response.set_content(body_, "application/json");
      }
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    // The socket accepts connections once bound; is_running() turns true
    // when the accept loop starts.
    while (!server_.is_running()) std::this_thread::sleep_for(milliseconds(1));
  }

  ~ScriptedServer() {
    server_.stop();
    thread_.join();
  }

  std::string url() const {
    return "http://127.0.0.1:" + std::to_string(port_) + "/scoreboard";
  }
  size_t calls() const { return calls_; }

 private:
  std::vector<std::string> script_;
  std::string body_;
  httplib::Server server_;
  int port_ = 0;
  std::atomic<size_t> calls_{0};
  std::thread thread_;
};

class FeedPollerTest : public ::testing::TestWithParam<testing::Backend> {
 protected:
  FeedPollerTest()
      : clock_(ParseIso8601("2026-06-30T04:00:00Z").value() * 1000),
        path_(database_.url()) {}

  void SetUp() override {
    PARLAY_REQUIRE_DATABASE(database_);
    store_ = database_.Open();
    store_->UpsertGames(std::vector<Game>{
        Match("bra-jpn", "Brazil", "Japan", "2026-06-29T17:00:00Z"),
        Match("ger-par", "Germany", "Paraguay", "2026-06-29T20:30:00Z"),
        Match("ned-mar", "Netherlands", "Morocco", "2026-06-30T01:00:00Z")});
  }

  FeedPollerConfig Config(const std::string& url, int attempts) {
    FeedPollerConfig config;
    config.provider = FeedProvider::kEspn;
    config.url = url;
    config.interval = milliseconds(50);
    config.timeout = milliseconds(300);
    config.max_attempts = attempts;
    config.first_backoff = milliseconds(10);
    return config;
  }

  std::function<std::unique_ptr<Store>()> Opener() {
    return [this] { return OpenStore(path_); };
  }

  testing::TestDatabase database_{GetParam()};
  testing::TempDir dir_;
  testing::ManualClock clock_;
  std::string path_;
  std::unique_ptr<Store> store_;
};

TEST_P(FeedPollerTest, RetriesSlowErrorAndGarbageThenApplies) {
  ScriptedServer server({"slow", "500", "garbage", "ok"});
  FeedPoller poller(Config(server.url(), 4), Opener(), clock_,
                    TeamAliases::BuiltIn());
  EXPECT_TRUE(poller.PollOnce(*store_));
  const FeedPollerStats stats = poller.stats();
  EXPECT_EQ(stats.polls, 1);
  EXPECT_EQ(stats.failed_attempts, 3);
  EXPECT_EQ(stats.failed_polls, 0);
  EXPECT_EQ(stats.feed.snapshots, 1);
  EXPECT_EQ(stats.feed.snapshots_rejected, 1);  // the garbage body
  EXPECT_EQ(stats.feed.applied, 3);
  EXPECT_EQ(server.calls(), 4u);
  EXPECT_EQ(store_->GetGame("ger-par")->status, GameStatus::kFinal);
  EXPECT_EQ(store_->GetGame("ger-par")->shootout, (Score{3, 4}));
}

TEST_P(FeedPollerTest, FailedPollLeavesStoreAndPollerUsable) {
  ScriptedServer server({"500", "500", "ok"});
  FeedPoller poller(Config(server.url(), 2), Opener(), clock_,
                    TeamAliases::BuiltIn());
  EXPECT_FALSE(poller.PollOnce(*store_));
  EXPECT_EQ(poller.stats().failed_polls, 1);
  EXPECT_EQ(store_->GetGame("bra-jpn")->status, GameStatus::kScheduled);
  // The next poll succeeds.
  EXPECT_TRUE(poller.PollOnce(*store_));
  EXPECT_EQ(store_->GetGame("bra-jpn")->status, GameStatus::kFinal);
}

TEST_P(FeedPollerTest, SilentServerTimesOutEachAttempt) {
  // A socket that is bound but never served: connections wait in its
  // backlog and every read times out.
  httplib::Server silent;
  const int port = silent.bind_to_any_port("127.0.0.1");
  FeedPoller poller(
      Config("http://127.0.0.1:" + std::to_string(port) + "/scoreboard", 3),
      Opener(), clock_, TeamAliases::BuiltIn());
  EXPECT_FALSE(poller.PollOnce(*store_));
  EXPECT_EQ(poller.stats().failed_attempts, 3);
  EXPECT_EQ(poller.stats().failed_polls, 1);
  EXPECT_EQ(store_->GetGame("bra-jpn")->status, GameStatus::kScheduled);
}

TEST_P(FeedPollerTest, BackgroundThreadPollsUntilStopped) {
  ScriptedServer server({"500"});
  std::atomic<int> applied{0};
  FeedPoller poller(Config(server.url(), 3), Opener(), clock_,
                    TeamAliases::BuiltIn(),
                    [&](Store&, std::span<const Game>) { ++applied; });
  poller.Start();
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (applied < 2 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(milliseconds(10));
  }
  const auto stop_started = std::chrono::steady_clock::now();
  poller.Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - stop_started,
            std::chrono::seconds(2));
  EXPECT_GE(applied.load(), 2);
  EXPECT_GE(poller.stats().polls, 2);
  EXPECT_EQ(poller.stats().failed_attempts, 1);
  EXPECT_EQ(store_->GetGame("ned-mar")->status, GameStatus::kFinal);
}

TEST(RedactUrlTest, MasksSecretParameters) {
  EXPECT_EQ(RedactUrl("http://127.0.0.1:9/v4/sports/soccer_epl/scores?"
                      "apiKey=abc123&daysFrom=1"),
            "http://127.0.0.1:9/v4/sports/soccer_epl/scores?apiKey=***&"
            "daysFrom=1");
  EXPECT_EQ(RedactUrl("http://127.0.0.1:9/scoreboard"),
            "http://127.0.0.1:9/scoreboard");
}

TEST(FeedPollerConfigTest, ReadsEnvironment) {
  setenv("FEED_POLL_URLS",
         "espn=http://127.0.0.1:9000/a odds-api=http://127.0.0.1:9001/b", 1);
  setenv("FEED_POLL_INTERVAL_SECONDS", "30", 1);
  const std::vector<FeedPollerConfig> configs =
      FeedPollerConfigsFromEnvironment();
  ASSERT_EQ(configs.size(), 2u);
  EXPECT_EQ(configs[0].provider, FeedProvider::kEspn);
  EXPECT_EQ(configs[1].provider, FeedProvider::kOddsApi);
  EXPECT_EQ(configs[1].url, "http://127.0.0.1:9001/b");
  EXPECT_EQ(configs[0].interval, std::chrono::seconds(30));

  setenv("FEED_POLL_URLS", "scores=http://127.0.0.1:9000/a", 1);
  EXPECT_THROW(FeedPollerConfigsFromEnvironment(), std::invalid_argument);
  setenv("FEED_POLL_URLS", "espn=http://127.0.0.1:9000/a", 1);
  setenv("FEED_POLL_INTERVAL_SECONDS", "0", 1);
  EXPECT_THROW(FeedPollerConfigsFromEnvironment(), std::invalid_argument);
  unsetenv("FEED_POLL_URLS");
  unsetenv("FEED_POLL_INTERVAL_SECONDS");
  EXPECT_TRUE(FeedPollerConfigsFromEnvironment().empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, FeedPollerTest, testing::AllBackends(),
                         testing::BackendName);

}  // namespace
}  // namespace parlay
