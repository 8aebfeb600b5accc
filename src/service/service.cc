#include "service/service.h"

#include <unistd.h>

#include "service/logging.h"

namespace parlay::service {

std::string DefaultWorkerId() {
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  std::string name = host[0] != '\0' ? host : "worker";
  return name + "-" + std::to_string(getpid());
}

Service::Service(ServiceConfig config, ServiceOptions options)
    : config_(std::move(config)),
      options_(std::move(options)),
      clock_(options_.clock != nullptr ? *options_.clock : system_clock_) {
  if (options_.worker_id.empty()) options_.worker_id = DefaultWorkerId();
  if (!options_.open_worker_store) {
    options_.open_worker_store = [](const std::string& path) {
      return OpenStore(path);
    };
  }
  if (!options_.open_health_store) {
    options_.open_health_store = options_.open_read_store;
  }
  if (!options_.open_health_store) {
    options_.open_health_store = [](const std::string& path) {
      return OpenStore(path, {.busy_timeout_ms = kReadBusyTimeoutMillis,
                              .statement_timeout_ms = kHealthTimeoutMillis,
                              .migrate = false});
    };
  }
  if (!options_.open_read_store) {
    options_.open_read_store = [](const std::string& path) {
      return OpenStore(path, {.busy_timeout_ms = kReadBusyTimeoutMillis,
                              .statement_timeout_ms = kReadTimeoutMillis,
                              .migrate = false});
    };
  }
}

Service::~Service() { Stop(); }

void Service::Start() {
  LogEvent(
      spdlog::level::info, "service_starting", "settlement service starting",
      {{"worker_id", options_.worker_id}, {"config", ConfigToJson(config_)}});

  // Opening the worker's store applies pending migrations once, before
  // the other connections open without migrating.
  std::unique_ptr<Store> worker_store =
      options_.open_worker_store(config_.database_path);
  const std::string path = config_.database_path;
  read_stores_ = std::make_unique<StorePool>(
      [this, path] { return options_.open_read_store(path); });
  std::mutex* write_mutex =
      IsPostgresUrl(path) ? nullptr : &sqlite_write_mutex_;
  write_stores_ = std::make_unique<StorePool>(
      [path] { return OpenStore(path, {.migrate = false}); }, write_mutex);
  health_stores_ = std::make_unique<StorePool>(
      [this, path] { return options_.open_health_store(path); });

  WorkerOptions worker;
  worker.worker_id = options_.worker_id;
  worker.enabled = config_.settlement_enabled;
  worker.interval = std::chrono::seconds(config_.interval_seconds);
  worker.max_games_per_cycle = config_.max_games_per_cycle;
  worker.batch_games = config_.batch_games;
  worker.breaker_threshold = config_.breaker_threshold;
  worker.breaker_reset_ms =
      static_cast<int64_t>(config_.breaker_reset_seconds) * 1000;
  worker.lifecycle = config_.lifecycle;
  worker.api_writes_in_flight = [this] { return write_stores_->leased() > 0; };
  worker.write_mutex = write_mutex;
  worker_ = std::make_unique<SettlementWorker>(
      std::move(worker), std::move(worker_store), clock_, metrics_);

  feeds_ = std::make_unique<FeedPollers>(
      config_.feed_pollers, config_.team_aliases,
      [path] { return OpenStore(path, {.migrate = false}); }, clock_, *worker_);
  for (const FeedPollerConfig& feed : config_.feed_pollers) {
    metrics_.AddFeedProvider(ToString(feed.provider));
  }

  context_.reset(new RouteContext{config_,
                                  clock_,
                                  *worker_,
                                  metrics_,
                                  *read_stores_,
                                  *write_stores_,
                                  *health_stores_,
                                  *feeds_,
                                  {},
                                  {}});
  http_ = std::make_unique<HttpServer>(*context_);
  worker_->Start();
  port_ = http_->Start();
  feeds_->Start();

  LogEvent(spdlog::level::info, "service_started",
           "settlement service listening",
           {{"worker_id", options_.worker_id},
            {"bind_address", config_.bind_address},
            {"port", port_},
            {"feature_enabled", worker_->enabled()},
            {"feed_pollers", config_.feed_pollers.size()}});
}

void Service::Stop() {
  if (stopped_ || !worker_) return;
  stopped_ = true;
  LogEvent(spdlog::level::info, "service_stopping",
           "settlement service stopping: finishing the batch in flight",
           {{"worker_id", options_.worker_id}});
  // Waiting admin requests return as soon as the worker is asked to stop,
  // so the HTTP server can drain.
  worker_->RequestStop();
  if (http_) http_->Stop();
  if (feeds_) feeds_->Stop();
  worker_->Join();
  LogEvent(spdlog::level::info, "service_stopped", "settlement service stopped",
           {{"worker_id", options_.worker_id},
            {"cycles", worker_->Status().cycles}});
}

}  // namespace parlay::service
