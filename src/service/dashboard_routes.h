// The operator dashboard: a page served at / and /dashboard, and the JSON
// routes under /v1/dashboard/ that it polls. Every number comes from the
// database, so each process sharing it shows the same picture. docs/api.md
// describes the routes.

#ifndef PARLAY_SERVICE_DASHBOARD_ROUTES_H_
#define PARLAY_SERVICE_DASHBOARD_ROUTES_H_

#include "service/http_router.h"
#include "service/route_context.h"

namespace parlay::service {

// Hours of activity returned by default and at most.
inline constexpr int kDefaultActivityHours = 24;
inline constexpr int kMaxActivityHours = 168;

// Games listed per list by default and at most. The counts cover all.
inline constexpr int kDefaultDashboardGames = 50;
inline constexpr int kMaxDashboardGames = 500;

// Legs of one game listed by default and at most.
inline constexpr int kDefaultGameLegs = 200;
inline constexpr int kMaxGameLegs = 1000;

void RegisterDashboardRoutes(Router& router, RouteContext& context);

}  // namespace parlay::service

#endif  // PARLAY_SERVICE_DASHBOARD_ROUTES_H_
