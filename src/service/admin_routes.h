// The admin routes under /v1/admin/, which require
// "Authorization: Bearer <SETTLEMENT_ADMIN_TOKEN>". With no token
// configured every admin path responds 403, so the routes cannot be used
// by accident.

#ifndef PARLAY_SERVICE_ADMIN_ROUTES_H_
#define PARLAY_SERVICE_ADMIN_ROUTES_H_

#include <httplib.h>

#include <chrono>

#include "service/http_router.h"
#include "service/route_context.h"

namespace parlay::service {

// How long POST /v1/admin/settle waits for its cycle.
inline constexpr std::chrono::seconds kAdminSettleTimeout{60};

// Checks the admin token of a request under /v1/admin/. Responds 403 or
// 401 and returns false when it is not accepted; returns true for other
// paths and accepted tokens.
bool AuthorizeAdmin(const RouteContext& context,
                    const httplib::Request& request,
                    httplib::Response& response);

void RegisterAdminRoutes(Router& router, RouteContext& context);

}  // namespace parlay::service

#endif  // PARLAY_SERVICE_ADMIN_ROUTES_H_
