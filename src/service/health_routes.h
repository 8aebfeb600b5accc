// GET /health, GET /health/settlement and GET /metrics.
//
// None of them waits for the settlement worker: they read the worker's
// state from memory and the database through read connections with a short
// busy timeout, which SQLite's WAL mode lets proceed during a write
// transaction.

#ifndef PARLAY_SERVICE_HEALTH_ROUTES_H_
#define PARLAY_SERVICE_HEALTH_ROUTES_H_

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "service/http_router.h"
#include "service/route_context.h"
#include "service/worker.h"
#include "store/store.h"

namespace parlay::service {

// Consecutive failed cycles from which the status is "degraded".
inline constexpr int kDegradedErrors = 3;

struct SettlementHealth {
  std::string status;  // disabled, circuit_open, stopped, stale, ...
  int http_status = 200;
  nlohmann::ordered_json body;
};

// Builds the /health/settlement response. The first status that applies
// wins, in this order: error (`error` is set: the check itself failed),
// disabled, circuit_open (open or half-open), stopped, stale (no heartbeat,
// or one older than stale_seconds), degraded, healthy.
SettlementHealth EvaluateSettlementHealth(
    const WorkerStatus& worker, const std::optional<WorkerHeartbeat>& beat,
    const std::optional<std::string>& error, int64_t now_ms, int stale_seconds);

void RegisterHealthRoutes(Router& router, RouteContext& context);

}  // namespace parlay::service

#endif  // PARLAY_SERVICE_HEALTH_ROUTES_H_
