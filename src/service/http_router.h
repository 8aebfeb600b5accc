// Route registration on top of cpp-httplib: named routes with {param}
// segments, JSON responses and the API's error format
// {"error": {"code", "message", "field"}}.

#ifndef PARLAY_SERVICE_HTTP_ROUTER_H_
#define PARLAY_SERVICE_HTTP_ROUTER_H_

#include <httplib.h>

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace parlay::service {

// Thrown by a handler to respond with an error. `field` names the request
// field or parameter at fault, empty when none is.
class ApiError : public std::runtime_error {
 public:
  ApiError(int status, std::string code, const std::string& message,
           std::string field = "")
      : std::runtime_error(message),
        status_(status),
        code_(std::move(code)),
        field_(std::move(field)) {}

  int status() const { return status_; }
  const std::string& code() const { return code_; }
  const std::string& field() const { return field_; }

  // Optional details added to the error object, e.g. every problem of an
  // invalid record.
  nlohmann::json details = nlohmann::json::object();

 private:
  int status_;
  std::string code_;
  std::string field_;
};

void SendJson(httplib::Response& response, int status,
              const nlohmann::json& body);

// Sends {"error": {"code", "message", "field"}} plus `details`' members;
// field is null when empty.
void SendError(httplib::Response& response, int status, std::string_view code,
               std::string_view message, std::string_view field = "",
               const nlohmann::json& details = nlohmann::json::object());

// Parses a request body that must be one JSON object. Throws ApiError 400
// for malformed JSON and 422 for another JSON value.
nlohmann::json ParseJsonObject(const std::string& body);

// Returns the query parameter `name`, or nullopt when absent. Throws
// ApiError 400 when it is given more than once.
std::optional<std::string> QueryParameter(const httplib::Request& request,
                                          const std::string& name);

// Returns the integer query parameter `name`, or `fallback` when absent.
// Throws ApiError 400 when it is not an integer in [min, max].
int64_t IntegerQueryParameter(const httplib::Request& request,
                              const std::string& name, int64_t fallback,
                              int64_t min, int64_t max);

// Returns the route pattern of the request being handled on this thread,
// such as "/v1/parlays/{id}", or "unmatched"; used as a metrics label.
const std::string& CurrentRoute();
void SetCurrentRoute(std::string route);

class Router {
 public:
  using Handler =
      std::function<void(const httplib::Request&, httplib::Response&)>;

  // POST bodies above `max_body_bytes` are rejected with 413, chunked
  // ones included.
  Router(httplib::Server& server, size_t max_body_bytes)
      : server_(server), max_body_bytes_(max_body_bytes) {}

  // Registers `handler` for `pattern`, where {name} matches one path
  // segment and is available as request.matches[1], [2], ... in order. An
  // ApiError thrown by the handler becomes its error response.
  void Get(const std::string& pattern, Handler handler);
  void Post(const std::string& pattern, Handler handler);

  // The methods that have a route matching `path`, for 405 responses.
  std::vector<std::string> MethodsFor(const std::string& path) const;

  // Runs the POST route for a request without Content-Length and
  // Transfer-Encoding, whose body is empty under HTTP/1.1. cpp-httplib
  // 0.11 would instead read such a body until the connection closes.
  // Returns false when no POST route matches.
  bool DispatchBodylessPost(const httplib::Request& request,
                            httplib::Response& response) const;

 private:
  Handler Wrap(const std::string& pattern, Handler handler) const;

  struct Route {
    std::string method;
    std::regex regex;
    Handler handler;  // wrapped
  };

  httplib::Server& server_;
  const size_t max_body_bytes_;
  std::vector<Route> routes_;
};

}  // namespace parlay::service

#endif  // PARLAY_SERVICE_HTTP_ROUTER_H_
