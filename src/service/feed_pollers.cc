#include "service/feed_pollers.h"

#include "service/logging.h"

namespace parlay::service {
namespace {

// Game ids listed in one log line.
constexpr size_t kMaxLoggedGames = 20;

}  // namespace

FeedPollers::FeedPollers(const std::vector<FeedPollerConfig>& configs,
                         const TeamAliases& aliases,
                         std::function<std::unique_ptr<Store>()> open_store,
                         const Clock& clock, SettlementWorker& worker)
    : worker_(worker) {
  for (const FeedPollerConfig& config : configs) {
    pollers_.push_back(std::make_unique<FeedPoller>(
        config, open_store, clock, aliases,
        [this, config](Store&, std::span<const Game> results_changed) {
          WakeWorker(config, results_changed);
        }));
  }
}

FeedPollers::~FeedPollers() { Stop(); }

void FeedPollers::Start() {
  for (const std::unique_ptr<FeedPoller>& poller : pollers_) poller->Start();
}

void FeedPollers::Stop() {
  // Every poller is asked first, so that their requests in flight finish
  // side by side rather than one after another.
  for (const std::unique_ptr<FeedPoller>& poller : pollers_) {
    poller->RequestStop();
  }
  for (const std::unique_ptr<FeedPoller>& poller : pollers_) poller->Stop();
}

std::map<std::string, FeedPollerStats> FeedPollers::StatsByProvider() const {
  std::map<std::string, FeedPollerStats> totals;
  for (const std::unique_ptr<FeedPoller>& poller : pollers_) {
    const FeedPollerStats stats = poller->stats();
    FeedPollerStats& total =
        totals[std::string(ToString(poller->config().provider))];
    total.polls += stats.polls;
    total.failed_attempts += stats.failed_attempts;
    total.failed_polls += stats.failed_polls;
    total.feed.Add(stats.feed);
  }
  return totals;
}

void FeedPollers::WakeWorker(const FeedPollerConfig& config,
                             std::span<const Game> results_changed) {
  std::vector<std::string> game_ids;
  for (const Game& game : results_changed) {
    if (IsFinalOrVoid(game.status)) game_ids.push_back(game.id);
  }
  if (game_ids.empty()) return;
  worker_.NotifyFinalGames(game_ids);

  nlohmann::ordered_json logged = nlohmann::ordered_json::array();
  for (size_t i = 0; i < game_ids.size() && i < kMaxLoggedGames; ++i) {
    logged.push_back(game_ids[i]);
  }
  LogEvent(spdlog::level::info, "feed_games_final",
           "score feed made games final or void; the worker settles them now",
           {{"provider", ToString(config.provider)},
            {"url", RedactUrl(config.url)},
            {"games", game_ids.size()},
            {"game_ids", logged}});
}

}  // namespace parlay::service
