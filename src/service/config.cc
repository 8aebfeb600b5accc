#include "service/config.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cstdlib>

#include "engine/settlement.h"
#include "store/postgres_db.h"

namespace parlay::service {
namespace {

// Admin tokens shorter than this are rejected as guessable.
constexpr size_t kMinTokenLength = 16;

const std::vector<SettingName> kSettings = {
    {"FEATURE_SETTLEMENT", "--feature-settlement",
     "true or false: whether the worker settles (default false)"},
    {"DATABASE_URL", "--database-url",
     "postgresql://user@host:port/database, a SQLite file path or "
     "sqlite:///absolute/path (default parlay-settler.db)"},
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
    {"SETTLEMENT_POSTPONED_VOID_HOURS", "--settlement-postponed-void-hours",
     "hours after the scheduled start after which a game still postponed "
     "has its pending legs voided, 0 to 8760; 0 turns this off (default "
     "48)"},
    {"SETTLEMENT_CORRECTION_WINDOW_HOURS",
     "--settlement-correction-window-hours",
     "hours after a game's first settlement during which a changed result "
     "re-grades settled legs, 0 to 8760; later changes wait for an "
     "operator (default 72)"},
    {"FEED_POLL_URLS", "--feed-poll-urls",
     "score feeds to poll: provider=URL entries separated by spaces, with "
     "providers odds-api, espn, games-csv or games-json (default none)"},
    {"FEED_POLL_INTERVAL_SECONDS", "--feed-poll-interval-seconds",
     "seconds from the start of one feed poll to the next, 1 to 86400 "
     "(default 60)"},
    {"FEED_POLL_TIMEOUT_SECONDS", "--feed-poll-timeout-seconds",
     "seconds a feed request waits to connect and for each read, 1 to 300 "
     "(default 10)"},
    {"FEED_POLL_MAX_ATTEMPTS", "--feed-poll-max-attempts",
     "requests per feed poll, 1 to 10 (default 3)"},
    {"FEED_TEAM_ALIASES", "--feed-team-aliases",
     "CSV file of extra team aliases with the header alias,name (default "
     "none)"},
    {"MAX_BODY_BYTES", "--max-body-bytes",
     "largest request body in bytes, 1024 to 67108864; larger bodies get "
     "413 (default 1048576)"},
    {"MAX_RECORDS_PER_REQUEST", "--max-records-per-request",
     "games or parlays in one POST body, 1 to 100000 (default 1000)"},
    {"MAX_PARLAY_LEGS", "--max-parlay-legs",
     "legs of one parlay, 1 to 100 (default 20)"},
    {"MAX_STAKE", "--max-stake",
     "largest stake of a parlay in major units of its currency, 1 to "
     "1000000000000 (default 100000: 100000.00 USD or 100000 JPY)"},
};

// The origin and text of a setting's value, for error messages.
struct Source {
  std::string variable;
  std::string flag;  // empty when the value came from the environment
  std::string value;

  std::string Where() const {
    return flag.empty() ? "from the environment" : "from flag " + flag;
  }

  std::string Describe(bool secret = false) const {
    const std::string where = Where();
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
template <typename Integer = int>
Result<Integer> ParseInt(const Source& source, Integer min, Integer max) {
  const std::string& text = source.value;
  Integer value = 0;
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

// Accepts a PostgreSQL URL, a plain file path or sqlite:///absolute/path.
Result<std::string> ParseDatabaseUrl(const Source& source) {
  const std::string& url = source.value;
  const std::string lower = Lower(url);
  if (lower.starts_with("postgres://") || lower.starts_with("postgresql://")) {
    return url;
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
                   "postgresql://..., a SQLite file path or "
                   "sqlite:///absolute/path");
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

// Parses a lifecycle limit in whole hours.
Result<int> ParseHours(const Source& source) {
  Result<int> hours = ParseInt(source, 0, kMaxLifecycleLimitHours);
  if (!hours.ok()) {
    return Invalid(source, "a whole number of hours from 0 to " +
                               std::to_string(kMaxLifecycleLimitHours));
  }
  return hours;
}

// Parses FEED_POLL_URLS into pollers with the FEED_POLL_* settings of
// `config`. The message shows the invalid entry with secret query
// parameters masked, never the whole value.
Result<std::vector<FeedPollerConfig>> ParseFeedUrls(
    const Source& source, const ServiceConfig& config) {
  FeedPollerConfig defaults;
  defaults.interval = std::chrono::seconds(config.feed_poll_interval_seconds);
  defaults.timeout = std::chrono::seconds(config.feed_poll_timeout_seconds);
  defaults.max_attempts = config.feed_poll_max_attempts;
  Result<std::vector<FeedPollerConfig>> pollers =
      ParseFeedPollUrls(source.value, defaults);
  if (!pollers.ok()) {
    return Error{"invalid " + source.variable + " (" + source.Where() +
                 "): " + pollers.error()};
  }
  return pollers;
}

// Reads the alias CSV named by FEED_TEAM_ALIASES on top of the built-in
// aliases.
Result<TeamAliases> ParseTeamAliases(const Source& source) {
  TeamAliases aliases = TeamAliases::BuiltIn();
  try {
    aliases.AddFromCsv(source.value);
  } catch (const ImportError& error) {
    const std::vector<ImportProblem>& problems = error.problems();
    std::string message =
        problems.empty() ? error.what() : problems.front().ToString();
    if (problems.size() > 1) {
      message +=
          " (and " + std::to_string(problems.size() - 1) + " more problems)";
    }
    return Error{"invalid " + source.Describe() + ": " + message};
  }
  return aliases;
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

  int postponed_void_hours =
      static_cast<int>(config.lifecycle.postponed_void_seconds / 3600);
  int correction_window_hours =
      static_cast<int>(config.lifecycle.correction_window_seconds / 3600);
  errors.push_back(Apply(lookup("SETTLEMENT_POSTPONED_VOID_HOURS"), ParseHours,
                         postponed_void_hours));
  errors.push_back(Apply(lookup("SETTLEMENT_CORRECTION_WINDOW_HOURS"),
                         ParseHours, correction_window_hours));
  config.lifecycle.postponed_void_seconds =
      int64_t{postponed_void_hours} * 3600;
  config.lifecycle.correction_window_seconds =
      int64_t{correction_window_hours} * 3600;

  errors.push_back(Apply(lookup("FEED_POLL_INTERVAL_SECONDS"),
                         range(1, kMaxFeedPollIntervalSeconds),
                         config.feed_poll_interval_seconds));
  errors.push_back(Apply(lookup("FEED_POLL_TIMEOUT_SECONDS"),
                         range(1, kMaxFeedPollTimeoutSeconds),
                         config.feed_poll_timeout_seconds));
  errors.push_back(Apply(lookup("FEED_POLL_MAX_ATTEMPTS"),
                         range(1, kMaxFeedPollAttempts),
                         config.feed_poll_max_attempts));
  errors.push_back(Apply(
      lookup("FEED_POLL_URLS"),
      [&](const Source& source) { return ParseFeedUrls(source, config); },
      config.feed_pollers));
  if (std::optional<Source> aliases = lookup("FEED_TEAM_ALIASES")) {
    config.feed_team_aliases_path = aliases->value;
    errors.push_back(Apply(aliases, ParseTeamAliases, config.team_aliases));
  }

  errors.push_back(Apply(
      lookup("MAX_BODY_BYTES"),
      [](const Source& source) {
        return ParseInt<size_t>(source, 1024, size_t{64} << 20);
      },
      config.max_body_bytes));
  errors.push_back(Apply(
      lookup("MAX_RECORDS_PER_REQUEST"),
      [](const Source& source) {
        return ParseInt<size_t>(source, 1, 100'000);
      },
      config.max_records_per_request));
  errors.push_back(Apply(
      lookup("MAX_PARLAY_LEGS"),
      [](const Source& source) { return ParseInt<size_t>(source, 1, 100); },
      config.parlay_limits.max_legs));
  // 10^12 major units are 10^15 minor units of a currency with three
  // decimals, the largest amount the service stores (kMaxAmountMinor).
  errors.push_back(Apply(
      lookup("MAX_STAKE"),
      [](const Source& source) {
        return ParseInt<int64_t>(source, 1, 1'000'000'000'000);
      },
      config.parlay_limits.max_stake_units));

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
  // Secret query parameters such as apiKey are masked.
  nlohmann::ordered_json feed_urls = nlohmann::ordered_json::array();
  for (const FeedPollerConfig& poller : config.feed_pollers) {
    feed_urls.push_back(std::string(ToString(poller.provider)) + "=" +
                        RedactUrl(poller.url));
  }
  return {
      {"feature_settlement", config.settlement_enabled},
      {"database_url", RedactDatabaseUrl(config.database_url)},
      {"database_path", RedactDatabaseUrl(config.database_path)},
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
      {"max_records_per_request", config.max_records_per_request},
      {"max_parlay_legs", config.parlay_limits.max_legs},
      {"max_stake", config.parlay_limits.max_stake_units},
      {"settlement_postponed_void_hours",
       config.lifecycle.postponed_void_seconds / 3600},
      {"settlement_correction_window_hours",
       config.lifecycle.correction_window_seconds / 3600},
      {"feed_poll_urls", feed_urls},
      {"feed_poll_interval_seconds", config.feed_poll_interval_seconds},
      {"feed_poll_timeout_seconds", config.feed_poll_timeout_seconds},
      {"feed_poll_max_attempts", config.feed_poll_max_attempts},
      {"feed_team_aliases",
       config.feed_team_aliases_path.empty()
           ? nlohmann::ordered_json(nullptr)
           : nlohmann::ordered_json(config.feed_team_aliases_path)},
  };
}

}  // namespace parlay::service
