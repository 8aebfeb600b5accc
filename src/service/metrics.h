// The service's Prometheus metrics, kept in a prometheus-cpp registry and
// rendered in the text exposition format for GET /metrics. The metric
// names are listed in docs/operations.md; the alerting rules in
// deploy/prometheus/alerts.yml use them.
//
// Thread-safe: prometheus-cpp counters, gauges and histograms are.

#ifndef PARLAY_SERVICE_METRICS_H_
#define PARLAY_SERVICE_METRICS_H_

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <map>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>

#include "engine/settlement.h"
#include "feeds/feed_poller.h"
#include "service/breaker.h"
#include "store/store.h"

namespace parlay::service {

// Values read when /metrics is requested rather than counted as they
// happen.
struct ScrapeValues {
  std::optional<SettlementBacklog> backlog;  // nullopt when the read failed
  std::optional<AttentionCounts> attention;  // nullopt when the read failed
  // Workers whose heartbeat in the database is fresh; nullopt when the
  // read failed.
  std::optional<int64_t> workers_active;
  std::optional<double> heartbeat_age_seconds;  // nullopt before the first
  bool worker_running = false;
  bool feature_enabled = false;
  // Totals of the feed pollers since the start, summed by provider name.
  std::map<std::string, FeedPollerStats> feeds;
};

class ServiceMetrics {
 public:
  ServiceMetrics();

  // Counts what a settlement pass did: legs and parlays settled by result,
  // stakes and payouts of the parlays settled by currency, score
  // corrections by outcome, legs and parlays corrected, and games voided
  // for a postponement.
  void AddSettled(const SettleSummary& summary);
  // Counts games the worker tried to settle.
  void AddGamesAttempted(int64_t games);
  // `type` is "game", "cycle" or "heartbeat".
  void AddError(std::string_view type, int64_t count = 1);
  // `outcome` is "completed", "failed", "disabled" or "skipped".
  void AddCycle(std::string_view outcome, double duration_seconds);
  void SetBreakerState(BreakerState state);
  void AddBreakerTrip();
  void ObserveFinalToSettled(double seconds);
  // `route` is the route's pattern, such as "/v1/parlays/{id}", so that the
  // label's values stay few.
  void AddHttpRequest(std::string_view route, int status,
                      double duration_seconds);
  // Creates the feed counters of `provider` at 0, so that rate() has a
  // sample before the first poll.
  void AddFeedProvider(std::string_view provider);

  // Sets the scrape-time gauges and returns the text exposition.
  std::string Render(const ScrapeValues& values);

 private:
  // Raises the feed counters to the pollers' totals.
  void CountFeeds(const std::map<std::string, FeedPollerStats>& feeds);

  prometheus::Registry registry_;
  prometheus::Family<prometheus::Counter>& legs_settled_;
  prometheus::Family<prometheus::Counter>& parlays_settled_;
  prometheus::Counter& games_attempted_;
  prometheus::Family<prometheus::Counter>& errors_;
  prometheus::Family<prometheus::Counter>& cycles_;
  prometheus::Histogram& cycle_duration_;
  prometheus::Family<prometheus::Gauge>& breaker_state_;
  prometheus::Counter& breaker_trips_;
  prometheus::Gauge& games_awaiting_;
  prometheus::Gauge& pending_legs_;
  prometheus::Gauge& heartbeat_age_;
  prometheus::Histogram& final_to_settled_;
  prometheus::Gauge& worker_running_;
  prometheus::Gauge& feature_enabled_;
  prometheus::Family<prometheus::Counter>& http_requests_;
  prometheus::Family<prometheus::Histogram>& http_duration_;
  prometheus::Family<prometheus::Counter>& corrections_;
  prometheus::Counter& legs_corrected_;
  prometheus::Counter& parlays_corrected_;
  prometheus::Counter& postponed_games_voided_;
  prometheus::Family<prometheus::Counter>& feed_polls_;
  prometheus::Family<prometheus::Counter>& feed_failed_attempts_;
  prometheus::Family<prometheus::Counter>& feed_failed_polls_;
  prometheus::Family<prometheus::Counter>& feed_games_updated_;
  prometheus::Family<prometheus::Gauge>& games_needing_attention_;
  prometheus::Family<prometheus::Counter>& staked_;
  prometheus::Family<prometheus::Counter>& paid_;
  prometheus::Gauge& workers_active_;

  // The request counter and duration histogram of each route and status,
  // keyed by route + ' ' + status, so that a request finds its series
  // under a shared lock instead of the family's mutex and label maps.
  struct HttpSeries {
    prometheus::Counter* requests;
    prometheus::Histogram* duration;
  };
  std::shared_mutex http_series_mutex_;
  std::map<std::string, HttpSeries, std::less<>> http_series_;

  std::mutex feed_mutex_;
  // The pollers' totals already added to the feed counters, by provider.
  std::map<std::string, FeedPollerStats> feeds_counted_;
};

}  // namespace parlay::service

#endif  // PARLAY_SERVICE_METRICS_H_
