#include "service/http_server.h"

#include <chrono>

#include "service/admin_routes.h"
#include "service/api_routes.h"
#include "service/dashboard_routes.h"
#include "service/health_routes.h"
#include "service/logging.h"

namespace parlay::service {
namespace {

using Clock = std::chrono::steady_clock;

// When the request on this thread started; set by the pre-routing handler.
thread_local std::optional<Clock::time_point> request_started;

std::string Join(const std::vector<std::string>& items) {
  std::string joined;
  for (const std::string& item : items) {
    if (!joined.empty()) joined += ", ";
    joined += item;
  }
  return joined;
}

}  // namespace

HttpServer::HttpServer(RouteContext& context)
    : context_(context), router_(server_, context.config.max_body_bytes) {
  Configure();
}

HttpServer::~HttpServer() { Stop(); }

void HttpServer::Configure() {
  const size_t threads = static_cast<size_t>(context_.config.http_threads);
  server_.new_task_queue = [threads] {
    return new httplib::ThreadPool(threads);
  };
  // Without TCP_NODELAY a keep-alive client waits for delayed ACKs, about
  // 40 ms per request on Linux.
  server_.set_tcp_nodelay(true);
  // cpp-httplib closes a keep-alive connection after 5 requests by
  // default, so a busy client reconnected every fifth request: 48,000
  // requests/s on an unrouted path against 66,000 with 100 (wrk, 16
  // connections, 32 threads, 2 cores). The limit still rotates
  // connections through the thread pool.
  server_.set_keep_alive_max_count(100);
  // Bodies with a Content-Length above the limit get 413 before they are
  // read; the router limits chunked bodies of its POST routes.
  // NOTE: cpp-httplib 0.11 keeps the connection open after that 413, and
  // body bytes that arrive later are read as a new request. Deployments
  // enforce the limit in a reverse proxy (docs/deployment.md).
  server_.set_payload_max_length(context_.config.max_body_bytes);

  server_.set_pre_routing_handler(
      [this](const httplib::Request& request, httplib::Response& response) {
        request_started = Clock::now();
        SetCurrentRoute("unmatched");
        if (!AuthorizeAdmin(context_, request, response)) {
          return httplib::Server::HandlerResponse::Handled;
        }
        if (request.method == "POST" && !request.has_header("Content-Length") &&
            !request.has_header("Transfer-Encoding")) {
          if (!router_.DispatchBodylessPost(request, response)) {
            SendRouteError(request, response);
          }
          return httplib::Server::HandlerResponse::Handled;
        }
        return httplib::Server::HandlerResponse::Unhandled;
      });

  // Fills in a JSON error for responses that cpp-httplib produced itself
  // (unknown route, size limit, unreadable request).
  server_.set_error_handler(httplib::Server::HandlerWithResponse(
      [this](const httplib::Request& request, httplib::Response& response) {
        if (!response.body.empty()) {
          return httplib::Server::HandlerResponse::Unhandled;
        }
        if (response.status == 404) {
          SendRouteError(request, response);
        } else if (response.status == 413) {
          SendError(response, 413, "payload_too_large",
                    "the request body is larger than " +
                        std::to_string(context_.config.max_body_bytes) +
                        " bytes");
        } else {
          SendError(response, response.status, "bad_request",
                    "the request could not be read");
        }
        return httplib::Server::HandlerResponse::Handled;
      }));

  server_.set_exception_handler([](const httplib::Request& request,
                                   httplib::Response& response,
                                   std::exception_ptr thrown) {
    std::string message = "unknown exception";
    bool store_failure = false;
    bool corrupt_data = false;
    try {
      std::rethrow_exception(thrown);
    } catch (const CorruptDataError& error) {
      message = error.what();
      corrupt_data = true;
    } catch (const StoreError& error) {
      message = error.what();
      store_failure = true;
    } catch (const std::exception& error) {
      message = error.what();
    } catch (...) {
    }
    LogEvent(spdlog::level::err, "request_failed", "request failed",
             {{"method", request.method},
              {"path", request.path},
              {"route", CurrentRoute()},
              {"error", message}});
    if (corrupt_data) {
      // Retrying cannot help, and the message names only row ids.
      SendError(response, 500, "corrupt_data", message);
    } else if (store_failure) {
      SendError(response, 503, "unavailable",
                "the database could not complete the request; retry later");
    } else {
      SendError(response, 500, "internal",
                "internal error; the server log has the details");
    }
  });

  server_.set_logger([this](const httplib::Request& request,
                            const httplib::Response& response) {
    double seconds = 0;
    if (request_started) {
      seconds = std::chrono::duration<double>(Clock::now() - *request_started)
                    .count();
      request_started.reset();
    }
    const std::string& route = CurrentRoute();
    context_.metrics.AddHttpRequest(route, response.status, seconds);
    const bool slow = seconds >= kSlowRequestSeconds;
    // The fields are built only for a line that is written.
    if (slow || LogEnabled(spdlog::level::debug)) {
      const nlohmann::ordered_json fields = {
          {"method", request.method},
          {"path", request.path},
          {"route", route},
          {"status", response.status},
          {"duration_ms", static_cast<int64_t>(seconds * 1000)},
          {"remote_addr", request.remote_addr}};
      if (slow) {
        LogEvent(spdlog::level::warn, "slow_request", "slow HTTP request",
                 fields);
      } else {
        LogEvent(spdlog::level::debug, "request", "HTTP request", fields);
      }
    }
    SetCurrentRoute("unmatched");
  });

  RegisterHealthRoutes(router_, context_);
  RegisterApiRoutes(router_, context_);
  RegisterAdminRoutes(router_, context_);
  RegisterDashboardRoutes(router_, context_);
}

void HttpServer::SendRouteError(const httplib::Request& request,
                                httplib::Response& response) const {
  const std::vector<std::string> methods = router_.MethodsFor(request.path);
  if (methods.empty()) {
    SendError(response, 404, "not_found",
              "no route for " + request.method + " " + request.path);
    return;
  }
  response.set_header("Allow", Join(methods));
  SendError(response, 405, "method_not_allowed",
            request.method + " is not allowed on " + request.path +
                "; allowed: " + Join(methods));
}

int HttpServer::Start() {
  const std::string& address = context_.config.bind_address;
  int port = context_.config.port;
  if (port == 0) {
    port = server_.bind_to_any_port(address);
    if (port < 0) port = 0;
  } else if (!server_.bind_to_port(address, port)) {
    port = 0;
  }
  if (port == 0) {
    throw std::runtime_error(
        "cannot listen on " + address + ":" +
        std::to_string(context_.config.port) +
        ": the port is in use or the address is not on this machine; set "
        "PORT or BIND_ADDRESS");
  }
  thread_ = std::thread([this] { server_.listen_after_bind(); });
  return port;
}

void HttpServer::Stop() {
  server_.stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace parlay::service
