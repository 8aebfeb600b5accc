// The score feed pollers of `serve`: one FeedPoller thread per configured
// feed (FEED_POLL_URLS). A poll that makes games final or void wakes the
// settlement worker for them, as POST /v1/games does. A failing feed is
// logged and counted by the poller and never stops the service.

#ifndef PARLAY_SERVICE_FEED_POLLERS_H_
#define PARLAY_SERVICE_FEED_POLLERS_H_

#include <functional>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "feeds/feed_poller.h"
#include "service/worker.h"
#include "store/store.h"
#include "util/time.h"

namespace parlay::service {

// Thread-safety: Start and Stop are called from the owning thread, and
// StatsByProvider from any thread.
class FeedPollers {
 public:
  // `open_store` opens the Store connection of one poller's thread.
  // `worker` must outlive this object.
  FeedPollers(const std::vector<FeedPollerConfig>& configs,
              const TeamAliases& aliases,
              std::function<std::unique_ptr<Store>()> open_store,
              const Clock& clock, SettlementWorker& worker);
  ~FeedPollers();  // stops
  FeedPollers(const FeedPollers&) = delete;
  FeedPollers& operator=(const FeedPollers&) = delete;

  // Starts every poller's thread; each polls at once.
  void Start();

  // Asks every poller to stop, then waits for all of them. A request in
  // flight is given up to its poller's timeout. Safe to call more than
  // once.
  void Stop();

  // The pollers' counters since they were created, summed by provider
  // name ("espn", "odds-api", ...).
  std::map<std::string, FeedPollerStats> StatsByProvider() const;

 private:
  // Wakes the worker for the games a poll made final or void.
  void WakeWorker(const FeedPollerConfig& config,
                  std::span<const Game> results_changed);

  SettlementWorker& worker_;
  std::vector<std::unique_ptr<FeedPoller>> pollers_;
};

}  // namespace parlay::service

#endif  // PARLAY_SERVICE_FEED_POLLERS_H_
