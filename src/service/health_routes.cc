#include "service/health_routes.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "service/logging.h"
#include "util/time.h"

namespace parlay::service {
namespace {

using nlohmann::ordered_json;

// Other workers whose last heartbeat is older than this are left out of
// other_workers. Worker ids contain the process id, so every restart adds a
// row to the heartbeat table, and the list would otherwise keep each
// process that ever ran.
constexpr int64_t kOtherWorkerHorizonMs = 24 * 3600 * 1000;

// The prefix of the message of /health/settlement, and of its log line,
// when reading the heartbeats failed.
constexpr char kHeartbeatReadFailed[] = "reading the heartbeat failed: ";

// Returns the age of a heartbeat in seconds, rounded to tenths. A heartbeat
// stamped later than now (another worker's host clock ahead of this one)
// counts as 0 s old.
double SecondsSinceBeat(int64_t beat_at_ms, int64_t now_ms) {
  const int64_t age_ms = std::max<int64_t>(0, now_ms - beat_at_ms);
  return std::round(static_cast<double>(age_ms) / 100.0) / 10.0;
}

ordered_json MillisToIso(std::optional<int64_t> millis) {
  if (!millis) return nullptr;
  return FormatIso8601(*millis / 1000);
}

// Reads the games needing attention and the workers with a fresh
// heartbeat for /metrics. On a failed read the gauges keep their last
// values, as the backlog gauges do.
void ReadAttentionAndWorkers(RouteContext& context, ScrapeValues& values) {
  try {
    auto store = context.read_stores.Acquire();
    values.attention = store->CountGamesNeedingAttention();
    const int64_t now_ms = context.clock.NowMillis();
    const int64_t stale_ms =
        static_cast<int64_t>(context.config.stale_seconds) * 1000;
    int64_t workers = 0;
    for (const WorkerHeartbeat& beat : store->ListHeartbeats()) {
      if (now_ms - beat.beat_at_ms <= stale_ms) workers++;
    }
    values.workers_active = workers;
  } catch (const std::exception& error) {
    LogEvent(spdlog::level::warn, "metrics_attention_failed",
             "counting the games needing attention and the active workers "
             "for /metrics failed",
             {{"error", error.what()}});
  }
}

// One /health/settlement response and everything it was built from. The
// body depends only on these. Requests arriving in the same millisecond
// with the same worker state and heartbeat read get the same bytes, which
// under load spares most of them building and serializing the JSON.
struct SettlementResponse {
  std::shared_ptr<const HeartbeatRead> read;
  WorkerStatus worker;
  int64_t now_ms = 0;
  int http_status = 200;
  std::string body;
};

bool SameInputs(const SettlementResponse& built, const HeartbeatRead& read,
                const WorkerStatus& worker, int64_t now_ms) {
  const BreakerSnapshot& then = built.worker.breaker;
  const BreakerSnapshot& now = worker.breaker;
  return built.read.get() == &read && built.now_ms == now_ms &&
         built.worker.enabled == worker.enabled &&
         built.worker.running == worker.running && then.state == now.state &&
         then.consecutive_errors == now.consecutive_errors &&
         then.opened_at_ms == now.opened_at_ms;
}

// The last /health/settlement response built, shared by the route's
// requests. Thread-safe.
class LastSettlementResponse {
 public:
  // The last response when it was built from the same inputs, or null.
  std::shared_ptr<const SettlementResponse> Find(const HeartbeatRead& read,
                                                 const WorkerStatus& worker,
                                                 int64_t now_ms) {
    std::lock_guard lock(mutex_);
    if (last_ != nullptr && SameInputs(*last_, read, worker, now_ms)) {
      return last_;
    }
    return nullptr;
  }

  void Keep(std::shared_ptr<const SettlementResponse> built) {
    std::lock_guard lock(mutex_);
    last_ = std::move(built);
  }

 private:
  std::mutex mutex_;
  std::shared_ptr<const SettlementResponse> last_;  // guarded by mutex_
};

std::shared_ptr<const SettlementResponse> BuildSettlementResponse(
    RouteContext& context, const WorkerStatus& worker,
    std::shared_ptr<const HeartbeatRead> read, int64_t now_ms) {
  std::optional<WorkerHeartbeat> beat;
  std::vector<const WorkerHeartbeat*> others;
  for (const WorkerHeartbeat& stored : read->beats) {
    if (stored.worker_id == context.worker.id()) {
      beat = stored;
    } else if (now_ms - stored.beat_at_ms <= kOtherWorkerHorizonMs) {
      others.push_back(&stored);
    }
  }
  std::optional<std::string> error;
  if (read->error) error = kHeartbeatReadFailed + *read->error;
  SettlementHealth health = EvaluateSettlementHealth(
      worker, beat, error, now_ms, context.config.stale_seconds);
  // Workers sharing the database, each as its own heartbeat reports it.
  ordered_json other_workers = ordered_json::array();
  for (const WorkerHeartbeat* other : others) {
    other_workers.push_back(
        {{"worker_id", other->worker_id},
         {"last_beat", MillisToIso(other->beat_at_ms)},
         {"seconds_since_beat",
          SecondsSinceBeat(other->beat_at_ms, now_ms)},
         {"meta",
          {{"parlays_settled", other->last_parlays_settled},
           {"parlays_won", other->last_parlays_won},
           {"parlays_lost", other->last_parlays_lost}}}});
  }
  health.body["other_workers"] = other_workers;

  auto built = std::make_shared<SettlementResponse>();
  built->read = std::move(read);
  built->worker = worker;
  built->now_ms = now_ms;
  built->http_status = health.http_status;
  built->body = health.body.dump();
  return built;
}

// A limit of one log line a second for a failure that every request meets.
// Without it, a probe polling hard during a database outage would write a
// line per request. Thread-safe.
class FailureLogLimit {
 public:
  // Returns true when a line may be written at now_ms, and then sets
  // `not_logged` to the failures since the last line that were not logged.
  bool Allow(int64_t now_ms, int64_t& not_logged) {
    std::lock_guard lock(mutex_);
    if (last_logged_ms_ && now_ms >= *last_logged_ms_ &&
        now_ms - *last_logged_ms_ < 1000) {
      ++not_logged_;
      return false;
    }
    not_logged = not_logged_;
    not_logged_ = 0;
    last_logged_ms_ = now_ms;
    return true;
  }

 private:
  std::mutex mutex_;
  std::optional<int64_t> last_logged_ms_;  // guarded by mutex_
  int64_t not_logged_ = 0;                 // guarded by mutex_
};

}  // namespace

SettlementHealth EvaluateSettlementHealth(
    const WorkerStatus& worker, const std::optional<WorkerHeartbeat>& beat,
    const std::optional<std::string>& error, int64_t now_ms,
    int stale_seconds) {
  const BreakerSnapshot& breaker = worker.breaker;
  const bool breaker_open = breaker.state != BreakerState::kClosed;
  std::optional<double> age_seconds;
  if (beat) {
    age_seconds = SecondsSinceBeat(beat->beat_at_ms, now_ms);
  }

  // The flag and the breaker are known without the database, so they win
  // over a failed heartbeat read: during a database outage that opened the
  // breaker, the status is circuit_open, with the read error as message.
  SettlementHealth health;
  if (!worker.enabled) {
    health = {"disabled", 200, {}};
  } else if (breaker_open) {
    health = {"circuit_open", 503, {}};
  } else if (error) {
    health = {"error", 503, {}};
  } else if (!worker.running) {
    health = {"stopped", 503, {}};
  } else if (!beat || now_ms - beat->beat_at_ms >
                          static_cast<int64_t>(stale_seconds) * 1000) {
    health = {"stale", 503, {}};
  } else if (breaker.consecutive_errors >= kDegradedErrors) {
    health = {"degraded", 200, {}};
  } else {
    health = {"healthy", 200, {}};
  }

  ordered_json heartbeat = {{"last_beat", nullptr},
                            {"seconds_since_beat", nullptr},
                            {"meta", nullptr}};
  if (beat) {
    heartbeat = {
        {"last_beat", MillisToIso(beat->beat_at_ms)},
        {"seconds_since_beat", *age_seconds},
        {"meta",
         {{"parlays_settled", beat->last_parlays_settled},
          {"parlays_won", beat->last_parlays_won},
          {"parlays_lost", beat->last_parlays_lost}}},
    };
  }
  health.body = {
      {"status", health.status},
      {"feature_enabled", worker.enabled},
      {"worker",
       {{"running", worker.running},
        {"circuit_breaker",
         {{"open", breaker_open},
          {"consecutive_errors", breaker.consecutive_errors},
          {"opened_at", MillisToIso(breaker.opened_at_ms)}}}}},
      {"heartbeat", heartbeat},
      {"timestamp", MillisToIso(now_ms)},
  };
  if (error) health.body["message"] = *error;
  return health;
}

void RegisterHealthRoutes(Router& router, RouteContext& context) {
  auto failure_log = std::make_shared<FailureLogLimit>();
  router.Get("/health", [&context, failure_log](const httplib::Request&,
                                                httplib::Response& response) {
    const int64_t now_ms = context.clock.NowMillis();
    const std::string now = FormatIso8601(now_ms / 1000);
    try {
      auto store = context.health_stores.Acquire();
      store->ReadHeartbeat(context.worker.id());
      SendJson(response, 200,
               {{"status", "ok"}, {"database", "ok"}, {"timestamp", now}});
    } catch (const std::exception& error) {
      int64_t not_logged = 0;
      if (failure_log->Allow(now_ms, not_logged)) {
        LogEvent(spdlog::level::err, "health_check_failed",
                 "database liveness check failed",
                 {{"error", error.what()}, {"failures_not_logged", not_logged}});
      }
      SendJson(response, 503,
               {{"status", "error"},
                {"database", "error"},
                {"message", error.what()},
                {"timestamp", now}});
    }
  });

  // Built once per millisecond at most; see SettlementResponse.
  auto last_response = std::make_shared<LastSettlementResponse>();
  router.Get("/health/settlement", [&context, last_response](
                                       const httplib::Request&,
                                       httplib::Response& response) {
    const WorkerStatus worker = context.worker.Status();
    // One read for this worker's heartbeat and the others', shared by the
    // requests of the next second (service/heartbeat_cache.h).
    std::shared_ptr<const HeartbeatRead> read = context.heartbeats.Get(
        context.clock.NowMillis(), worker.heartbeats_written, [&context] {
          try {
            return context.health_stores.Acquire()->ListHeartbeats();
          } catch (const std::exception& failure) {
            LogEvent(spdlog::level::err, "health_check_failed",
                     "settlement health check failed",
                     {{"worker_id", context.worker.id()},
                      {"error", std::string(kHeartbeatReadFailed) +
                                    failure.what()}});
            throw;
          }
        });
    // Read after the heartbeats: a slow read can return a heartbeat written
    // after the request arrived, which would otherwise show a negative age.
    const int64_t now_ms = context.clock.NowMillis();
    std::shared_ptr<const SettlementResponse> built =
        last_response->Find(*read, worker, now_ms);
    if (built == nullptr) {
      built = BuildSettlementResponse(context, worker, std::move(read), now_ms);
      last_response->Keep(built);
    }
    response.status = built->http_status;
    response.set_content(built->body, "application/json");
  });

  router.Get("/metrics",
             [&context](const httplib::Request&, httplib::Response& response) {
               const WorkerStatus worker = context.worker.Status();
               ScrapeValues values;
               values.worker_running = worker.running;
               values.feature_enabled = worker.enabled;
               values.feeds = context.feeds.StatsByProvider();
               if (worker.last_heartbeat_ms) {
                 values.heartbeat_age_seconds =
                     static_cast<double>(context.clock.NowMillis() -
                                         *worker.last_heartbeat_ms) /
                     1000.0;
               }
               try {
                 auto store = context.read_stores.Acquire();
                 values.backlog = store->CountBacklog();
               } catch (const std::exception& error) {
                 // The backlog gauges keep their last values.
                 LogEvent(spdlog::level::warn, "metrics_backlog_failed",
                          "counting the settlement backlog for /metrics failed",
                          {{"error", error.what()}});
               }
               ReadAttentionAndWorkers(context, values);
               response.status = 200;
               response.set_content(context.metrics.Render(values),
                                    "text/plain; version=0.0.4; charset=utf-8");
             });
}

}  // namespace parlay::service
