// The settlement service: the worker and the HTTP server in one process,
// sharing one database. `parlay-settler serve` runs it until a signal; the
// tests run it in-process.

#ifndef PARLAY_SERVICE_SERVICE_H_
#define PARLAY_SERVICE_SERVICE_H_

#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "service/config.h"
#include "service/feed_pollers.h"
#include "service/http_server.h"
#include "service/metrics.h"
#include "service/route_context.h"
#include "service/store_pool.h"
#include "service/worker.h"
#include "store/store.h"
#include "util/time.h"

namespace parlay::service {

// Busy timeout of the connections that serve reads. Reads in WAL mode do
// not wait for writers, so this bounds only rare waits such as WAL
// recovery.
inline constexpr int kReadBusyTimeoutMillis = 250;
// Statement timeout of the read connections on PostgreSQL, whose readers
// never wait for writers; it bounds a slow server instead.
inline constexpr int kReadTimeoutMillis = 5000;
// Statement timeout of the connections of GET /health and
// GET /health/settlement on PostgreSQL. It is well below
// kReadTimeoutMillis, so that a probe with a timeout of 2 s or more gets
// a response (503) while the database is locked or slow.
inline constexpr int kHealthTimeoutMillis = 1000;

// Replaceable parts, for tests.
struct ServiceOptions {
  const Clock* clock = nullptr;  // nullptr: the system clock
  // Opens the worker's Store; by default the SQLite file of the config.
  std::function<std::unique_ptr<Store>(const std::string& path)>
      open_worker_store;
  // Opens a Store for reads by the HTTP handlers; by default a SQLite
  // connection with kReadBusyTimeoutMillis that does not migrate.
  std::function<std::unique_ptr<Store>(const std::string& path)>
      open_read_store;
  // Opens a Store for the health routes. When empty, open_read_store is
  // used if given, else a connection with kReadBusyTimeoutMillis and
  // kHealthTimeoutMillis that does not migrate.
  std::function<std::unique_ptr<Store>(const std::string& path)>
      open_health_store;
  std::string worker_id;  // empty: "<hostname>-<pid>"
};

class Service {
 public:
  Service(ServiceConfig config, ServiceOptions options = {});
  ~Service();  // stops
  Service(const Service&) = delete;
  Service& operator=(const Service&) = delete;

  // Migrates the database, starts the worker, the HTTP server and then the
  // feed pollers. Throws StoreError or std::runtime_error when the
  // database, the worker or the server fails to start.
  void Start();

  // Stops the HTTP server, the feed pollers and the worker, which finishes
  // or rolls back its batch in flight. Safe to call more than once.
  void Stop();

  int port() const { return port_; }
  SettlementWorker& worker() { return *worker_; }
  const ServiceConfig& config() const { return config_; }

 private:
  const ServiceConfig config_;
  ServiceOptions options_;
  SystemClock system_clock_;
  const Clock& clock_;
  ServiceMetrics metrics_;
  // Taken by the worker's batches and the API's writes on SQLite, whose
  // single writer lock is otherwise granted by busy-handler polling.
  std::mutex sqlite_write_mutex_;
  std::unique_ptr<StorePool> read_stores_;
  std::unique_ptr<StorePool> write_stores_;
  std::unique_ptr<StorePool> health_stores_;
  std::unique_ptr<SettlementWorker> worker_;
  std::unique_ptr<FeedPollers> feeds_;  // uses worker_
  std::unique_ptr<RouteContext> context_;
  std::unique_ptr<HttpServer> http_;
  int port_ = 0;
  bool stopped_ = false;
};

// "<hostname>-<pid>".
std::string DefaultWorkerId();

}  // namespace parlay::service

#endif  // PARLAY_SERVICE_SERVICE_H_
