// The dashboard page's files from src/service/dashboard, embedded in the
// binary at build time (src/service/dashboard/embed.cmake writes their
// definitions), so the service needs no files beside it.

#ifndef PARLAY_SERVICE_DASHBOARD_ASSETS_H_
#define PARLAY_SERVICE_DASHBOARD_ASSETS_H_

#include <string_view>

namespace parlay::service {

extern const std::string_view kDashboardHtml;    // index.html
extern const std::string_view kDashboardScript;  // dashboard.js
extern const std::string_view kDashboardStyle;   // dashboard.css

}  // namespace parlay::service

#endif  // PARLAY_SERVICE_DASHBOARD_ASSETS_H_
