// Configuration of `parlay-settler serve`, read from environment variables
// (twelve-factor style) and the matching flags of `serve`. A flag overrides
// its variable. docs/configuration.md lists every setting.

#ifndef PARLAY_SERVICE_CONFIG_H_
#define PARLAY_SERVICE_CONFIG_H_

#include <cstddef>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "feeds/feed_poller.h"
#include "rules/lifecycle.h"
#include "util/result.h"

namespace parlay::service {

enum class LogFormat { kJson, kText };

struct ServiceConfig {
  bool settlement_enabled = false;                  // FEATURE_SETTLEMENT
  std::string database_url = "parlay-settler.db";   // DATABASE_URL, as given
  // A SQLite file path or a postgresql:// URL.
  std::string database_path = "parlay-settler.db";
  std::string bind_address = "127.0.0.1";           // BIND_ADDRESS
  int port = 8080;                                  // PORT; 0 picks a free port
  int http_threads = 8;                             // HTTP_THREADS
  int interval_seconds = 30;        // SETTLEMENT_INTERVAL_SECONDS: sweep period
  int max_games_per_cycle = 100;    // SETTLEMENT_MAX_GAMES_PER_CYCLE
  int breaker_threshold = 5;        // SETTLEMENT_BREAKER_THRESHOLD
  int breaker_reset_seconds = 300;  // SETTLEMENT_BREAKER_RESET_SECONDS
  int stale_seconds = 600;          // SETTLEMENT_STALE_SECONDS
  // SETTLEMENT_ADMIN_TOKEN. Empty means no token: every admin route
  // responds 403.
  std::string admin_token;
  LogFormat log_format = LogFormat::kJson;  // LOG_FORMAT
  std::string log_level = "info";           // LOG_LEVEL
  // SETTLEMENT_POSTPONED_VOID_HOURS and SETTLEMENT_CORRECTION_WINDOW_HOURS,
  // in seconds.
  LifecyclePolicy lifecycle;
  int feed_poll_interval_seconds = 60;  // FEED_POLL_INTERVAL_SECONDS
  int feed_poll_timeout_seconds = 10;   // FEED_POLL_TIMEOUT_SECONDS
  int feed_poll_max_attempts = 3;       // FEED_POLL_MAX_ATTEMPTS
  // One poller per FEED_POLL_URLS entry, with the three settings above.
  std::vector<FeedPollerConfig> feed_pollers;
  // FEED_TEAM_ALIASES: a CSV of extra team aliases; empty for none.
  std::string feed_team_aliases_path;
  // The built-in team aliases and those of feed_team_aliases_path.
  TeamAliases team_aliases = TeamAliases::BuiltIn();
  // MAX_BODY_BYTES: request bodies above this size are rejected with 413.
  size_t max_body_bytes = 1 << 20;
  // MAX_RECORDS_PER_REQUEST: games or parlays in one POST body.
  size_t max_records_per_request = 1000;
  // MAX_PARLAY_LEGS and MAX_STAKE: limits on parlays placed through the
  // API.
  ParlayLimits parlay_limits;
  int batch_games = 64;  // games per settlement transaction
};

// One setting: its environment variable and the `serve` flag that sets it.
struct SettingName {
  std::string_view variable;  // "PORT"
  std::string_view flag;      // "--port"
  std::string_view help;      // help text for the flag
};

// Every setting, in the order of docs/configuration.md.
const std::vector<SettingName>& Settings();

// Returns the value of an environment variable, or nullopt when unset.
using EnvironmentLookup =
    std::function<std::optional<std::string>(const std::string& variable)>;

// Reads the environment with getenv.
std::optional<std::string> ReadEnvironment(const std::string& variable);

// Builds the configuration from `flags` (values given on the command line,
// keyed by variable name) and the environment. An empty value counts as
// unset. Returns an error naming the variable, where the value came from
// and the value (except the admin token's), and what would be valid.
Result<ServiceConfig> LoadConfig(
    const std::map<std::string, std::string>& flags,
    const EnvironmentLookup& environment);

// The effective configuration for the start log, with the admin token
// replaced by "[redacted]" (or null when none is set).
nlohmann::ordered_json ConfigToJson(const ServiceConfig& config);

}  // namespace parlay::service

#endif  // PARLAY_SERVICE_CONFIG_H_
