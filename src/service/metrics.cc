#include "service/metrics.h"

#include <prometheus/text_serializer.h>

#include <sstream>

#include "rules/types.h"

namespace parlay::service {
namespace {

using prometheus::BuildCounter;
using prometheus::BuildGauge;
using prometheus::BuildHistogram;
using prometheus::Histogram;

// Cycle and request durations: 5 ms to 2 minutes.
const Histogram::BucketBoundaries kDurationBuckets = {
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120};

// Final score to settled: 100 ms to 1 hour.
const Histogram::BucketBoundaries kLatencyBuckets = {
    0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600};

constexpr LegStatus kLegResults[] = {LegStatus::kWon,     LegStatus::kLost,
                                     LegStatus::kPush,    LegStatus::kVoid,
                                     LegStatus::kHalfWon, LegStatus::kHalfLost};
constexpr ParlayStatus kParlayResults[] = {
    ParlayStatus::kWon, ParlayStatus::kLost, ParlayStatus::kPush,
    ParlayStatus::kVoid};
constexpr BreakerState kBreakerStates[] = {
    BreakerState::kClosed, BreakerState::kOpen, BreakerState::kHalfOpen};

}  // namespace

ServiceMetrics::ServiceMetrics()
    : legs_settled_(BuildCounter()
                        .Name("parlay_legs_settled_total")
                        .Help("Legs settled by the worker, by result")
                        .Register(registry_)),
      parlays_settled_(BuildCounter()
                           .Name("parlay_parlays_settled_total")
                           .Help("Parlays settled by the worker, by result")
                           .Register(registry_)),
      games_attempted_(
          BuildCounter()
              .Name("parlay_settlement_games_total")
              .Help("Games the worker tried to settle, failed ones included")
              .Register(registry_)
              .Add({})),
      errors_(BuildCounter()
                  .Name("parlay_settlement_errors_total")
                  .Help("Settlement errors caught by the worker, by type: "
                        "game (one game rolled back), cycle (a whole cycle "
                        "failed), heartbeat (the heartbeat write failed)")
                  .Register(registry_)),
      cycles_(BuildCounter()
                  .Name("parlay_settlement_cycles_total")
                  .Help("Worker cycles by outcome: completed, failed, "
                        "disabled (flag off) or skipped (breaker open)")
                  .Register(registry_)),
      cycle_duration_(BuildHistogram()
                          .Name("parlay_settlement_cycle_duration_seconds")
                          .Help("Duration of worker cycles that ran")
                          .Register(registry_)
                          .Add({}, kDurationBuckets)),
      breaker_state_(BuildGauge()
                         .Name("parlay_settlement_breaker_state")
                         .Help("1 for the circuit breaker's current state "
                               "(closed, open or half_open), 0 for the others")
                         .Register(registry_)),
      breaker_trips_(BuildCounter()
                         .Name("parlay_settlement_breaker_trips_total")
                         .Help("Times the circuit breaker opened")
                         .Register(registry_)
                         .Add({})),
      games_awaiting_(
          BuildGauge()
              .Name("parlay_settlement_games_awaiting")
              .Help("Gradable games (final with both scores, cancelled, "
                    "abandoned or no contest) with pending legs, read at "
                    "scrape time")
              .Register(registry_)
              .Add({})),
      pending_legs_(BuildGauge()
                        .Name("parlay_settlement_pending_legs")
                        .Help("Legs still pending on any game, read at "
                              "scrape time")
                        .Register(registry_)
                        .Add({})),
      heartbeat_age_(BuildGauge()
                         .Name("parlay_settlement_heartbeat_age_seconds")
                         .Help("Seconds since the worker's last heartbeat")
                         .Register(registry_)
                         .Add({})),
      final_to_settled_(
          BuildHistogram()
              .Name("parlay_settlement_final_to_settled_seconds")
              .Help("Seconds from a final score posted to the API or "
                    "applied by a feed poll to the end of the worker batch "
                    "that processed its game")
              .Register(registry_)
              .Add({}, kLatencyBuckets)),
      worker_running_(BuildGauge()
                          .Name("parlay_settlement_worker_running")
                          .Help("1 while the settlement worker runs")
                          .Register(registry_)
                          .Add({})),
      feature_enabled_(BuildGauge()
                           .Name("parlay_settlement_feature_enabled")
                           .Help("1 when the worker settles (the "
                                 "FEATURE_SETTLEMENT flag or its runtime "
                                 "override)")
                           .Register(registry_)
                           .Add({})),
      http_requests_(BuildCounter()
                         .Name("parlay_http_requests_total")
                         .Help("HTTP requests by route pattern and status")
                         .Register(registry_)),
      http_duration_(BuildHistogram()
                         .Name("parlay_http_request_duration_seconds")
                         .Help("HTTP request duration by route pattern")
                         .Register(registry_)),
      corrections_(BuildCounter()
                       .Name("parlay_settlement_corrections_total")
                       .Help("Score corrections by outcome: applied (settled "
                             "legs re-graded), unchanged (no leg changed) or "
                             "held (outside the correction window, waiting "
                             "for an operator)")
                       .Register(registry_)),
      legs_corrected_(BuildCounter()
                          .Name("parlay_legs_corrected_total")
                          .Help("Settled legs whose status a score "
                                "correction changed")
                          .Register(registry_)
                          .Add({})),
      parlays_corrected_(BuildCounter()
                             .Name("parlay_parlays_corrected_total")
                             .Help("Settled parlays whose outcome a score "
                                   "correction changed")
                             .Register(registry_)
                             .Add({})),
      postponed_games_voided_(
          BuildCounter()
              .Name("parlay_settlement_postponed_games_voided_total")
              .Help("Games whose pending legs were voided because the game "
                    "stayed postponed past SETTLEMENT_POSTPONED_VOID_HOURS")
              .Register(registry_)
              .Add({})),
      feed_polls_(BuildCounter()
                      .Name("parlay_feed_polls_total")
                      .Help("Score feed polls started, by provider")
                      .Register(registry_)),
      feed_failed_attempts_(BuildCounter()
                                .Name("parlay_feed_failed_attempts_total")
                                .Help("Score feed requests that failed (each "
                                      "logged and retried), by provider")
                                .Register(registry_)),
      feed_failed_polls_(BuildCounter()
                             .Name("parlay_feed_failed_polls_total")
                             .Help("Score feed polls that applied nothing "
                                   "because every attempt or the database "
                                   "failed, by provider")
                             .Register(registry_)),
      feed_games_updated_(BuildCounter()
                              .Name("parlay_feed_games_updated_total")
                              .Help("Games whose result a score feed poll "
                                    "wrote, by provider")
                              .Register(registry_)),
      games_needing_attention_(
          BuildGauge()
              .Name("parlay_settlement_games_needing_attention")
              .Help("Games an operator must look at, by reason: "
                    "missing_score (final without both scores, with pending "
                    "legs), correction_held (a score correction after the "
                    "correction window) or unknown_status (a status the "
                    "service does not recognise, with pending legs), read "
                    "at scrape time")
              .Register(registry_)),
      staked_(
          BuildCounter()
              .Name("parlay_parlays_staked_minor_total")
              .Help(
                  "Stakes of the parlays settled (worker and admin routes), in "
                  "minor units (cents for USD), by currency")
              .Register(registry_)),
      paid_(BuildCounter()
                .Name("parlay_parlays_paid_minor_total")
                .Help("Payouts of the parlays settled (worker and admin "
                      "routes), in "
                      "minor units (cents for USD), by currency")
                .Register(registry_)),
      workers_active_(
          BuildGauge()
              .Name("parlay_settlement_workers_active")
              .Help("Settlement workers sharing the database whose last "
                    "heartbeat is at most SETTLEMENT_STALE_SECONDS old, "
                    "this one included, read at scrape time")
              .Register(registry_)
              .Add({})) {
  // Every label value exists from the start, so that rate() has a zero
  // sample before the first event.
  for (LegStatus result : kLegResults) {
    legs_settled_.Add({{"result", std::string(ToString(result))}});
  }
  for (ParlayStatus result : kParlayResults) {
    parlays_settled_.Add({{"result", std::string(ToString(result))}});
  }
  for (const char* type : {"game", "cycle", "heartbeat"}) {
    errors_.Add({{"type", type}});
  }
  for (const char* outcome : {"completed", "failed", "disabled", "skipped"}) {
    cycles_.Add({{"outcome", outcome}});
  }
  for (const char* outcome : {"applied", "unchanged", "held"}) {
    corrections_.Add({{"outcome", outcome}});
  }
  for (const char* reason :
       {"missing_score", "correction_held", "unknown_status"}) {
    games_needing_attention_.Add({{"reason", reason}});
  }
  SetBreakerState(BreakerState::kClosed);
}

void ServiceMetrics::AddSettled(const SettleSummary& summary) {
  for (const auto& [status, count] : summary.legs) {
    legs_settled_.Add({{"result", std::string(ToString(status))}})
        .Increment(static_cast<double>(count));
  }
  for (const auto& [status, count] : summary.parlays) {
    parlays_settled_.Add({{"result", std::string(ToString(status))}})
        .Increment(static_cast<double>(count));
  }
  for (const auto& [currency, amount] : summary.staked) {
    staked_.Add({{"currency", currency}})
        .Increment(static_cast<double>(amount));
  }
  for (const auto& [currency, amount] : summary.paid) {
    paid_.Add({{"currency", currency}}).Increment(static_cast<double>(amount));
  }
  corrections_.Add({{"outcome", "applied"}})
      .Increment(static_cast<double>(summary.corrections_applied));
  corrections_.Add({{"outcome", "unchanged"}})
      .Increment(static_cast<double>(summary.corrections_unchanged));
  corrections_.Add({{"outcome", "held"}})
      .Increment(static_cast<double>(summary.corrections_held));
  legs_corrected_.Increment(static_cast<double>(summary.legs_corrected));
  parlays_corrected_.Increment(static_cast<double>(summary.parlays_corrected));
  postponed_games_voided_.Increment(
      static_cast<double>(summary.postponed_games_voided));
}

void ServiceMetrics::AddGamesAttempted(int64_t games) {
  games_attempted_.Increment(static_cast<double>(games));
}

void ServiceMetrics::AddError(std::string_view type, int64_t count) {
  errors_.Add({{"type", std::string(type)}})
      .Increment(static_cast<double>(count));
}

void ServiceMetrics::AddCycle(std::string_view outcome,
                              double duration_seconds) {
  cycles_.Add({{"outcome", std::string(outcome)}}).Increment();
  if (outcome == "completed" || outcome == "failed") {
    cycle_duration_.Observe(duration_seconds);
  }
}

void ServiceMetrics::SetBreakerState(BreakerState state) {
  for (BreakerState each : kBreakerStates) {
    breaker_state_.Add({{"state", std::string(ToString(each))}})
        .Set(each == state ? 1 : 0);
  }
}

void ServiceMetrics::AddBreakerTrip() { breaker_trips_.Increment(); }

void ServiceMetrics::ObserveFinalToSettled(double seconds) {
  final_to_settled_.Observe(seconds);
}

void ServiceMetrics::AddHttpRequest(std::string_view route, int status,
                                    double duration_seconds) {
  std::string key(route);
  key += ' ';
  key += std::to_string(status);
  HttpSeries series{};
  bool found = false;
  {
    std::shared_lock lock(http_series_mutex_);
    const auto it = http_series_.find(key);
    if (it != http_series_.end()) {
      series = it->second;
      found = true;
    }
  }
  if (!found) {
    std::lock_guard lock(http_series_mutex_);
    // Family::Add returns the existing series when another thread added it.
    series.requests = &http_requests_.Add(
        {{"route", std::string(route)}, {"code", std::to_string(status)}});
    series.duration =
        &http_duration_.Add({{"route", std::string(route)}}, kDurationBuckets);
    http_series_.emplace(std::move(key), series);
  }
  series.requests->Increment();
  series.duration->Observe(duration_seconds);
}

void ServiceMetrics::AddFeedProvider(std::string_view provider) {
  const prometheus::Labels labels = {{"provider", std::string(provider)}};
  feed_polls_.Add(labels);
  feed_failed_attempts_.Add(labels);
  feed_failed_polls_.Add(labels);
  feed_games_updated_.Add(labels);
}

void ServiceMetrics::CountFeeds(
    const std::map<std::string, FeedPollerStats>& feeds) {
  // Concurrent scrapes must not add the same increase twice.
  std::lock_guard lock(feed_mutex_);
  for (const auto& [provider, totals] : feeds) {
    FeedPollerStats& counted = feeds_counted_[provider];
    const prometheus::Labels labels = {{"provider", provider}};
    const auto raise = [](prometheus::Counter& counter, int64_t total,
                          int64_t& added) {
      if (total > added) {
        counter.Increment(static_cast<double>(total - added));
        added = total;
      }
    };
    raise(feed_polls_.Add(labels), totals.polls, counted.polls);
    raise(feed_failed_attempts_.Add(labels), totals.failed_attempts,
          counted.failed_attempts);
    raise(feed_failed_polls_.Add(labels), totals.failed_polls,
          counted.failed_polls);
    raise(feed_games_updated_.Add(labels), totals.feed.applied,
          counted.feed.applied);
  }
}

std::string ServiceMetrics::Render(const ScrapeValues& values) {
  if (values.backlog) {
    games_awaiting_.Set(static_cast<double>(values.backlog->games_awaiting));
    pending_legs_.Set(static_cast<double>(values.backlog->pending_legs));
  }
  if (values.attention) {
    games_needing_attention_.Add({{"reason", "missing_score"}})
        .Set(static_cast<double>(values.attention->missing_score));
    games_needing_attention_.Add({{"reason", "correction_held"}})
        .Set(static_cast<double>(values.attention->correction_held));
    games_needing_attention_.Add({{"reason", "unknown_status"}})
        .Set(static_cast<double>(values.attention->unknown_status));
  }
  if (values.workers_active) {
    workers_active_.Set(static_cast<double>(*values.workers_active));
  }
  if (values.heartbeat_age_seconds) {
    heartbeat_age_.Set(*values.heartbeat_age_seconds);
  }
  worker_running_.Set(values.worker_running ? 1 : 0);
  feature_enabled_.Set(values.feature_enabled ? 1 : 0);
  CountFeeds(values.feeds);

  std::ostringstream out;
  prometheus::TextSerializer().Serialize(out, registry_.Collect());
  return out.str();
}

}  // namespace parlay::service
