#include "service/config.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>

namespace parlay::service {
namespace {

// Admin tokens shorter than this are rejected as guessable.
constexpr size_t kMinTokenLength = 16;

const std::vector<SettingName> kSettings = {
    {"FEATURE_SETTLEMENT", "--feature-settlement",
     "true or false: whether the worker settles (default false)"},
    {"DATABASE_URL", "--database-url",
     "SQLite file path or sqlite:///absolute/path (default "
     "parlay-settler.db)"},
    {"BIND_ADDRESS", "--bind-address",
     "IP address the HTTP server listens on (default 127.0.0.1)"},
    {"PORT", "--port", "HTTP port, 0 for any free port (default 8080)"},
    {"HTTP_THREADS", "--http-threads",
     "threads serving HTTP requests, 2 to 256 (default 8)"},
    {"SETTLEMENT_INTERVAL_SECONDS", "--settlement-interval-seconds",
     "seconds between sweeps for games to settle (default 30)"},
    {"SETTLEMENT_MAX_GAMES_PER_CYCLE", "--settlement-max-games-per-cycle",
     "games settled per worker cycle (default 100)"},
    {"SETTLEMENT_BREAKER_THRESHOLD", "--settlement-breaker-threshold",
     "failed cycles in a row that open the circuit breaker (default 5)"},
    {"SETTLEMENT_BREAKER_RESET_SECONDS", "--settlement-breaker-reset-seconds",
     "seconds the breaker stays open before a trial cycle (default 300)"},
    {"SETTLEMENT_STALE_SECONDS", "--settlement-stale-seconds",
     "heartbeat age in seconds after which health is stale (default 600)"},
    {"SETTLEMENT_ADMIN_TOKEN", "--settlement-admin-token",
     "bearer token of the admin routes; prefer the variable, since "
     "flags show in the process list (default none: admin routes "
     "respond 403)"},
    {"LOG_FORMAT", "--log-format", "json or text (default json)"},
    {"LOG_LEVEL", "--log-level",
     "trace, debug, info, warn, error, critical or off (default info)"},
};

// The origin and text of a setting's value, for error messages.
struct Source {
  std::string variable;
  std::string flag;  // empty when the value came from the environment
  std::string value;

  std::string Describe(bool secret = false) const {
    std::string where =
        flag.empty() ? "from the environment" : "from flag " + flag;
    if (secret) return variable + " (" + where + ", value not shown)";
    return variable + " \"" + value + "\" (" + where + ")";
  }
};

Error Invalid(const Source& source, const std::string& expected,
              bool secret = false) {
  return Error{"invalid " + source.Describe(secret) + ": expected " + expected};
}

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return text;
}

// Parses a decimal integer from `min` to `max`, without sign or spaces.
Result<int> ParseInt(const Source& source, int min, int max) {
  const std::string& text = source.value;
  int value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, error] = std::from_chars(text.data(), end, value);
  const bool digits_only =
      !text.empty() && std::all_of(text.begin(), text.end(),
                                   [](char c) { return c >= '0' && c <= '9'; });
  if (!digits_only || error != std::errc() || ptr != end || value < min ||
      value > max) {
    return Invalid(source, "an integer from " + std::to_string(min) + " to " +
                               std::to_string(max));
  }
  return value;
}

Result<bool> ParseBool(const Source& source) {
  const std::string text = Lower(source.value);
  if (text == "true" || text == "1") return true;
  if (text == "false" || text == "0") return false;
  return Invalid(source, "true or false");
}

// Accepts a plain file path or sqlite:///absolute/path.
Result<std::string> ParseDatabaseUrl(const Source& source) {
  const std::string& url = source.value;
  const std::string lower = Lower(url);
  if (lower.starts_with("postgres://") || lower.starts_with("postgresql://")) {
    return Error{"unsupported " + source.Describe(true) +
                 ": PostgreSQL is not supported yet; use a SQLite file path "
                 "or sqlite:///absolute/path"};
  }
  constexpr std::string_view kSqlitePrefix = "sqlite://";
  if (lower.starts_with(kSqlitePrefix)) {
    std::string path = url.substr(kSqlitePrefix.size());
    if (path.size() < 2 || path.front() != '/') {
      return Invalid(source,
                     "sqlite:///absolute/path (three slashes) or a "
                     "plain file path");
    }
    return path;
  }
  if (url.find("://") != std::string::npos) {
    return Invalid(source,
                   "a SQLite file path or sqlite:///absolute/path; other "
                   "databases are not supported");
  }
  return url;
}

Result<std::string> ParseBindAddress(const Source& source) {
  unsigned char buffer[16];
  if (inet_pton(AF_INET, source.value.c_str(), buffer) == 1 ||
      inet_pton(AF_INET6, source.value.c_str(), buffer) == 1) {
    return source.value;
  }
  return Invalid(source,
                 "a numeric IPv4 or IPv6 address such as 127.0.0.1 or ::1");
}

// Accepts the token syntax of RFC 6750 (b64token): letters, digits and
// "-._~+/", then optional "=" padding.
Result<std::string> ParseToken(const Source& source) {
  const std::string& token = source.value;
  const size_t padding = token.find_last_not_of('=') + 1;
  const bool valid_characters =
      padding > 0 &&
      std::all_of(token.begin(), token.begin() + padding, [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) ||
               std::string_view("-._~+/").find(c) != std::string_view::npos;
      });
  if (!valid_characters || token.size() < kMinTokenLength) {
    return Invalid(source,
                   "at least " + std::to_string(kMinTokenLength) +
                       " characters of letters, digits and -._~+/ (optionally "
                       "ending in =)",
                   /*secret=*/true);
  }
  return token;
}

Result<LogFormat> ParseLogFormat(const Source& source) {
  const std::string text = Lower(source.value);
  if (text == "json") return LogFormat::kJson;
  if (text == "text") return LogFormat::kText;
  return Invalid(source, "json or text");
}

Result<std::string> ParseLogLevel(const Source& source) {
  const std::string text = Lower(source.value);
  for (const char* level :
       {"trace", "debug", "info", "warn", "error", "critical", "off"}) {
    if (text == level) return text;
  }
  return Invalid(source, "trace, debug, info, warn, error, critical or off");
}

// Applies one setting's value, if given, to `config`.
template <typename T, typename Parse>
std::optional<Error> Apply(const std::optional<Source>& source, Parse parse,
                           T& field) {
  if (!source) return std::nullopt;
  Result<T> parsed = parse(*source);
  if (!parsed.ok()) return Error{parsed.error()};
  field = std::move(parsed).value();
  return std::nullopt;
}

}  // namespace

const std::vector<SettingName>& Settings() { return kSettings; }

std::optional<std::string> ReadEnvironment(const std::string& variable) {
  const char* value = std::getenv(variable.c_str());
  if (value == nullptr) return std::nullopt;
  return std::string(value);
}

Result<ServiceConfig> LoadConfig(
    const std::map<std::string, std::string>& flags,
    const EnvironmentLookup& environment) {
  auto lookup = [&](std::string_view name) -> std::optional<Source> {
    const std::string variable(name);
    for (const SettingName& setting : kSettings) {
      if (setting.variable != name) continue;
      const auto flag = flags.find(variable);
      if (flag != flags.end() && !flag->second.empty()) {
        return Source{variable, std::string(setting.flag), flag->second};
      }
    }
    std::optional<std::string> value = environment(variable);
    if (!value || value->empty()) return std::nullopt;
    return Source{variable, "", *value};
  };
  auto range = [](int min, int max) {
    return [=](const Source& source) { return ParseInt(source, min, max); };
  };

  ServiceConfig config;
  std::vector<std::optional<Error>> errors;
  errors.push_back(Apply(lookup("FEATURE_SETTLEMENT"), ParseBool,
                         config.settlement_enabled));
  if (std::optional<Source> url = lookup("DATABASE_URL")) {
    config.database_url = url->value;
    errors.push_back(Apply(url, ParseDatabaseUrl, config.database_path));
  }
  errors.push_back(
      Apply(lookup("BIND_ADDRESS"), ParseBindAddress, config.bind_address));
  errors.push_back(Apply(lookup("PORT"), range(0, 65535), config.port));
  errors.push_back(
      Apply(lookup("HTTP_THREADS"), range(2, 256), config.http_threads));
  errors.push_back(Apply(lookup("SETTLEMENT_INTERVAL_SECONDS"),
                         range(1, 86'400), config.interval_seconds));
  errors.push_back(Apply(lookup("SETTLEMENT_MAX_GAMES_PER_CYCLE"),
                         range(1, 100'000), config.max_games_per_cycle));
  errors.push_back(Apply(lookup("SETTLEMENT_BREAKER_THRESHOLD"),
                         range(1, 1'000), config.breaker_threshold));
  errors.push_back(Apply(lookup("SETTLEMENT_BREAKER_RESET_SECONDS"),
                         range(1, 86'400), config.breaker_reset_seconds));
  errors.push_back(Apply(lookup("SETTLEMENT_STALE_SECONDS"), range(1, 604'800),
                         config.stale_seconds));
  errors.push_back(
      Apply(lookup("SETTLEMENT_ADMIN_TOKEN"), ParseToken, config.admin_token));
  errors.push_back(
      Apply(lookup("LOG_FORMAT"), ParseLogFormat, config.log_format));
  errors.push_back(Apply(lookup("LOG_LEVEL"), ParseLogLevel, config.log_level));

  std::string message;
  for (const std::optional<Error>& error : errors) {
    if (!error) continue;
    if (!message.empty()) message += "\n";
    message += error->message;
  }
  if (!message.empty()) return Error{message};

  // A worker that beats only once per sweep would look stale between
  // sweeps when the stale limit is shorter than the sweep period.
  if (config.stale_seconds <= config.interval_seconds) {
    return Error{"invalid SETTLEMENT_STALE_SECONDS " +
                 std::to_string(config.stale_seconds) +
                 ": expected more than SETTLEMENT_INTERVAL_SECONDS " +
                 std::to_string(config.interval_seconds) +
                 ", because the worker writes a heartbeat once per cycle"};
  }
  return config;
}

nlohmann::ordered_json ConfigToJson(const ServiceConfig& config) {
  return {
      {"feature_settlement", config.settlement_enabled},
      {"database_url", config.database_url},
      {"database_path", config.database_path},
      {"bind_address", config.bind_address},
      {"port", config.port},
      {"http_threads", config.http_threads},
      {"settlement_interval_seconds", config.interval_seconds},
      {"settlement_max_games_per_cycle", config.max_games_per_cycle},
      {"settlement_breaker_threshold", config.breaker_threshold},
      {"settlement_breaker_reset_seconds", config.breaker_reset_seconds},
      {"settlement_stale_seconds", config.stale_seconds},
      {"settlement_admin_token", config.admin_token.empty()
                                     ? nlohmann::ordered_json(nullptr)
                                     : nlohmann::ordered_json("[redacted]")},
      {"log_format", config.log_format == LogFormat::kJson ? "json" : "text"},
      {"log_level", config.log_level},
      {"max_body_bytes", config.max_body_bytes},
  };
}

}  // namespace parlay::service
