#include "service/http_router.h"

#include <charconv>

#include "util/json_depth.h"

namespace parlay::service {
namespace {

using nlohmann::json;

thread_local std::string current_route = "unmatched";

// "/v1/parlays/{id}" -> "/v1/parlays/([^/]+)".
std::string PatternToRegex(const std::string& pattern) {
  std::string regex;
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '{') {
      i = pattern.find('}', i);
      regex += "([^/]+)";
    } else if (std::string_view(".+*?^$()[]|\\").find(pattern[i]) !=
               std::string_view::npos) {
      regex += std::string("\\") + pattern[i];
    } else {
      regex += pattern[i];
    }
  }
  return regex;
}

}  // namespace

void SendJson(httplib::Response& response, int status, const json& body) {
  response.status = status;
  response.set_content(
      body.dump(-1, ' ', false, json::error_handler_t::replace),
      "application/json");
}

void SendError(httplib::Response& response, int status, std::string_view code,
               std::string_view message, std::string_view field,
               const json& details) {
  json error = {{"code", code},
                {"message", message},
                {"field", field.empty() ? json(nullptr) : json(field)}};
  for (const auto& [key, value] : details.items()) error[key] = value;
  SendJson(response, status, {{"error", error}});
}

json ParseJsonObject(const std::string& body) {
  if (!JsonDepthWithin(body)) {
    throw ApiError(400, "invalid_json",
                   "the request body nests arrays or objects deeper than " +
                       std::to_string(kMaxJsonDepth) + " levels");
  }
  json value = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) {
    throw ApiError(400, "invalid_json", "the request body is not valid JSON");
  }
  if (!value.is_object()) {
    throw ApiError(422, "invalid_body",
                   "the request body must be a JSON object");
  }
  return value;
}

std::optional<std::string> QueryParameter(const httplib::Request& request,
                                          const std::string& name) {
  const size_t count = request.get_param_value_count(name.c_str());
  if (count == 0) return std::nullopt;
  if (count > 1) {
    throw ApiError(400, "invalid_parameter",
                   "query parameter " + name + " is given more than once",
                   name);
  }
  return request.get_param_value(name.c_str());
}

int64_t IntegerQueryParameter(const httplib::Request& request,
                              const std::string& name, int64_t fallback,
                              int64_t min, int64_t max) {
  std::optional<std::string> text = QueryParameter(request, name);
  if (!text) return fallback;
  int64_t value = 0;
  const char* end = text->data() + text->size();
  auto [ptr, error] = std::from_chars(text->data(), end, value);
  if (text->empty() || error != std::errc() || ptr != end || value < min ||
      value > max) {
    throw ApiError(400, "invalid_parameter",
                   "invalid " + name + " \"" + *text +
                       "\": expected an integer from " + std::to_string(min) +
                       " to " + std::to_string(max),
                   name);
  }
  return value;
}

const std::string& CurrentRoute() { return current_route; }

void SetCurrentRoute(std::string route) { current_route = std::move(route); }

void Router::Get(const std::string& pattern, Handler handler) {
  const std::string regex = PatternToRegex(pattern);
  Handler wrapped = Wrap(pattern, std::move(handler));
  routes_.push_back({"GET", std::regex(regex), wrapped});
  server_.Get(regex, wrapped);
}

void Router::Post(const std::string& pattern, Handler handler) {
  const std::string regex = PatternToRegex(pattern);
  Handler wrapped = Wrap(pattern, std::move(handler));
  routes_.push_back({"POST", std::regex(regex), wrapped});
  // cpp-httplib 0.11 checks its payload limit against Content-Length only,
  // so the body is read here, where a chunked body can be cut off too.
  const size_t limit = max_body_bytes_;
  server_.Post(regex,
               [pattern, limit, wrapped](const httplib::Request& request,
                                         httplib::Response& response,
                                         const httplib::ContentReader& reader) {
                 SetCurrentRoute(pattern);
                 std::string body;
                 bool too_large = false;
                 const bool read = reader([&](const char* data, size_t length) {
                   if (body.size() + length > limit) {
                     too_large = true;
                     return false;
                   }
                   body.append(data, length);
                   return true;
                 });
                 if (too_large || response.status == 413) {
                   response.set_header("Connection", "close");
                   SendError(response, 413, "payload_too_large",
                             "the request body is larger than " +
                                 std::to_string(limit) + " bytes");
                   return;
                 }
                 if (!read) {
                   SendError(response, 400, "bad_request",
                             "the request body could not be read");
                   return;
                 }
                 httplib::Request copy = request;
                 copy.body = std::move(body);
                 wrapped(copy, response);
               });
}

bool Router::DispatchBodylessPost(const httplib::Request& request,
                                  httplib::Response& response) const {
  for (const Route& route : routes_) {
    if (route.method != "POST") continue;
    httplib::Request copy = request;
    if (std::regex_match(copy.path, copy.matches, route.regex)) {
      route.handler(copy, response);
      return true;
    }
  }
  return false;
}

std::vector<std::string> Router::MethodsFor(const std::string& path) const {
  std::vector<std::string> methods;
  for (const Route& route : routes_) {
    if (std::regex_match(path, route.regex)) methods.push_back(route.method);
  }
  return methods;
}

Router::Handler Router::Wrap(const std::string& pattern,
                             Handler handler) const {
  return [pattern, handler = std::move(handler)](
             const httplib::Request& request, httplib::Response& response) {
    SetCurrentRoute(pattern);
    try {
      handler(request, response);
    } catch (const ApiError& error) {
      SendError(response, error.status(), error.code(), error.what(),
                error.field(), error.details);
    }
  };
}

}  // namespace parlay::service
