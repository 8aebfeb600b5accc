// What a feed snapshot reports back to its caller: the games whose result
// it changed, the poller settings parsed from FEED_POLL_URLS, and polls
// that a database failure ends.

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "feeds/feed_poller.h"
#include "feeds/score_feed.h"
#include "store/store.h"
#include "support/test_database.h"
#include "support/test_support.h"

namespace parlay {
namespace {

using nlohmann::json;

int64_t At(const char* iso) { return ParseIso8601(iso).value(); }

// The Odds API event of Detroit Lions at Kansas City Chiefs.
std::string LionsAtChiefs(bool completed, const char* chiefs, const char* lions,
                          const char* last_update) {
  const json event = {{"id", "e912"},
                      {"sport_key", "americanfootball_nfl"},
                      {"commence_time", "2025-09-07T17:00:00Z"},
                      {"completed", completed},
                      {"home_team", "Kansas City Chiefs"},
                      {"away_team", "Detroit Lions"},
                      {"scores",
                       {{{"name", "Detroit Lions"}, {"score", lions}},
                        {{"name", "Kansas City Chiefs"}, {"score", chiefs}}}},
                      {"last_update", last_update}};
  return json::array({event}).dump();
}

class ResultsChangedTest : public ::testing::TestWithParam<testing::Backend> {
 protected:
  ResultsChangedTest() : clock_(At("2025-09-08T12:00:00Z") * 1000) {}

  void SetUp() override {
    PARLAY_REQUIRE_DATABASE(database_);
    store_ = database_.Open();
    Game game;
    game.id = "2025-09-07-DET-KC";
    game.league = "NFL";
    game.sport = "american_football";
    game.home = "Kansas City Chiefs";
    game.away = "Detroit Lions";
    game.start_time = At("2025-09-07T17:00:00Z");
    game.updated_at = At("2025-09-06T17:00:00Z");
    store_->UpsertGames(std::vector<Game>{game});
  }

  // Applies one Odds API snapshot and returns the games it reports.
  std::vector<Game> Apply(const std::string& text) {
    const FeedSnapshot snapshot = ParseFeedSnapshot(
        FeedProvider::kOddsApi, "scores.json", text, clock_.NowSeconds());
    std::vector<Game> changed;
    ApplyFeedSnapshot(*store_, clock_, FeedProvider::kOddsApi, snapshot,
                      aliases_, &changed);
    return changed;
  }

  testing::TempDir dir_;
  testing::ManualClock clock_;
  testing::TestDatabase database_{GetParam()};
  std::unique_ptr<Store> store_;
  TeamAliases aliases_ = TeamAliases::BuiltIn();
};

TEST_P(ResultsChangedTest, ReportsEachChangedResultOnce) {
  const std::vector<Game> live =
      Apply(LionsAtChiefs(false, "7", "3", "2025-09-07T18:00:00Z"));
  ASSERT_EQ(live.size(), 1u);
  EXPECT_EQ(live[0].id, "2025-09-07-DET-KC");
  EXPECT_EQ(live[0].status, GameStatus::kInProgress);

  const std::vector<Game> final_score =
      Apply(LionsAtChiefs(true, "20", "21", "2025-09-07T20:30:00Z"));
  ASSERT_EQ(final_score.size(), 1u);
  EXPECT_EQ(final_score[0].status, GameStatus::kFinal);
  EXPECT_EQ(final_score[0].home_score, 20);
  EXPECT_EQ(final_score[0].away_score, 21);

  // A repeat with a later update time moves updated_at only.
  EXPECT_TRUE(
      Apply(LionsAtChiefs(true, "20", "21", "2025-09-07T20:45:00Z")).empty());
  EXPECT_EQ(store_->GetGame("2025-09-07-DET-KC")->updated_at,
            At("2025-09-07T20:45:00Z"));
  // An older update is ignored.
  EXPECT_TRUE(
      Apply(LionsAtChiefs(true, "27", "21", "2025-09-07T19:00:00Z")).empty());

  // A score correction is a changed result.
  const std::vector<Game> corrected =
      Apply(LionsAtChiefs(true, "21", "21", "2025-09-07T21:00:00Z"));
  ASSERT_EQ(corrected.size(), 1u);
  EXPECT_EQ(corrected[0].home_score, 21);
}

TEST(ParseFeedPollUrlsTest, EntriesTakeDefaults) {
  FeedPollerConfig defaults;
  defaults.interval = std::chrono::seconds(15);
  defaults.timeout = std::chrono::seconds(4);
  defaults.max_attempts = 2;
  Result<std::vector<FeedPollerConfig>> configs = ParseFeedPollUrls(
      " espn=http://127.0.0.1:9000/a\tgames-csv=https://127.0.0.1/b.csv ",
      defaults);
  ASSERT_TRUE(configs.ok()) << configs.error();
  ASSERT_EQ(configs.value().size(), 2u);
  EXPECT_EQ(configs.value()[0].provider, FeedProvider::kEspn);
  EXPECT_EQ(configs.value()[0].url, "http://127.0.0.1:9000/a");
  EXPECT_EQ(configs.value()[1].provider, FeedProvider::kGamesCsv);
  EXPECT_EQ(configs.value()[1].url, "https://127.0.0.1/b.csv");
  for (const FeedPollerConfig& config : configs.value()) {
    EXPECT_EQ(config.interval, std::chrono::seconds(15));
    EXPECT_EQ(config.timeout, std::chrono::seconds(4));
    EXPECT_EQ(config.max_attempts, 2);
  }
  EXPECT_TRUE(ParseFeedPollUrls("", defaults).value().empty());
}

TEST(ParseFeedPollUrlsTest, InvalidEntryNamedWithSecretsMasked) {
  Result<std::vector<FeedPollerConfig>> configs = ParseFeedPollUrls(
      "espn=http://127.0.0.1:9000/a odds=http://127.0.0.1:9/s?apiKey=hunter2",
      FeedPollerConfig{});
  ASSERT_FALSE(configs.ok());
  EXPECT_EQ(configs.error(),
            "entry \"odds=http://127.0.0.1:9/s?apiKey=***\": expected "
            "provider=URL with a provider of odds-api, espn, games-csv or "
            "games-json and an http:// or https:// URL");
}

TEST(FeedPollerDatabaseTest, FailedOpenCountsAsFailedPoll) {
  testing::ManualClock clock;
  FeedPollerConfig config;
  config.provider = FeedProvider::kEspn;
  // Never requested: opening the store fails first.
  config.url = "http://127.0.0.1:9/scoreboard";
  config.interval = std::chrono::milliseconds(10);
  std::atomic<int> opens{0};
  FeedPoller poller(
      config,
      [&]() -> std::unique_ptr<Store> {
        ++opens;
        throw StoreError("cannot open the database (test)");
      },
      clock, TeamAliases::BuiltIn());
  poller.Start();
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (poller.stats().failed_polls < 2 &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  poller.Stop();
  const FeedPollerStats stats = poller.stats();
  EXPECT_GE(stats.failed_polls, 2);
  EXPECT_EQ(stats.polls, stats.failed_polls);
  EXPECT_EQ(stats.polls, opens.load());
  EXPECT_EQ(stats.failed_attempts, 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, ResultsChangedTest, testing::AllBackends(),
                         testing::BackendName);

}  // namespace
}  // namespace parlay
