// The JSON API: games, parlays and the outbox. docs/api.md describes each
// route; docs/openapi.yaml is the machine-readable version.

#ifndef PARLAY_SERVICE_API_ROUTES_H_
#define PARLAY_SERVICE_API_ROUTES_H_

#include "service/http_router.h"
#include "service/route_context.h"

namespace parlay::service {

// Page sizes of the list routes.
inline constexpr int kDefaultPageSize = 100;
inline constexpr int kMaxPageSize = 1000;

void RegisterApiRoutes(Router& router, RouteContext& context);

}  // namespace parlay::service

#endif  // PARLAY_SERVICE_API_ROUTES_H_
