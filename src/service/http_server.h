// The service's HTTP server (cpp-httplib): routes, JSON errors, request
// metrics and logs, and the body size limit.

#ifndef PARLAY_SERVICE_HTTP_SERVER_H_
#define PARLAY_SERVICE_HTTP_SERVER_H_

#include <httplib.h>

#include <memory>
#include <thread>

#include "service/http_router.h"
#include "service/route_context.h"

namespace parlay::service {

// Requests slower than this are logged at warn level.
inline constexpr double kSlowRequestSeconds = 1.0;

class HttpServer {
 public:
  explicit HttpServer(RouteContext& context);
  ~HttpServer();  // stops
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds config.bind_address:config.port (any free port for 0), serves on
  // a background thread and returns the bound port. Throws
  // std::runtime_error when binding fails.
  int Start();

  // Stops accepting connections and waits for requests in flight.
  void Stop();

 private:
  void Configure();
  // Responds 405 when another method has a route for the path, else 404.
  void SendRouteError(const httplib::Request& request,
                      httplib::Response& response) const;

  RouteContext& context_;
  httplib::Server server_;
  Router router_;
  std::thread thread_;
};

}  // namespace parlay::service

#endif  // PARLAY_SERVICE_HTTP_SERVER_H_
