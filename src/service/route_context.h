// The state shared by the HTTP route handlers.

#ifndef PARLAY_SERVICE_ROUTE_CONTEXT_H_
#define PARLAY_SERVICE_ROUTE_CONTEXT_H_

#include <mutex>

#include "service/config.h"
#include "service/feed_pollers.h"
#include "service/heartbeat_cache.h"
#include "service/metrics.h"
#include "service/store_pool.h"
#include "service/worker.h"
#include "util/time.h"

namespace parlay::service {

struct RouteContext {
  const ServiceConfig& config;
  const Clock& clock;
  SettlementWorker& worker;
  ServiceMetrics& metrics;
  // Connections with a short busy timeout, so that reads (health, GET
  // routes, metrics) fail fast instead of waiting on a lock.
  StorePool& read_stores;
  // Connections that may wait for the settlement worker's write lock.
  StorePool& write_stores;
  // Connections of the health routes, with the shortest timeouts, so that
  // a probe gets an answer while the database is slow.
  StorePool& health_stores;
  // The score feed pollers, for their counters in /metrics.
  const FeedPollers& feeds;
  // The last read of the heartbeats, for /health/settlement.
  HeartbeatCache heartbeats;
  // Serializes flips of the settlement flag with their audit rows.
  std::mutex flag_mutex;
};

}  // namespace parlay::service

#endif  // PARLAY_SERVICE_ROUTE_CONTEXT_H_
