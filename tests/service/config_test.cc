// LoadConfig: defaults, the environment, flags over variables, and the
// messages for invalid values.

#include "service/config.h"

#include <gtest/gtest.h>

#include <chrono>
#include <map>

#include "support/test_support.h"

namespace parlay::service {
namespace {

using Variables = std::map<std::string, std::string>;

Result<ServiceConfig> Load(const Variables& environment,
                           const Variables& flags = {}) {
  return LoadConfig(flags,
                    [&](const std::string& name) -> std::optional<std::string> {
                      const auto found = environment.find(name);
                      if (found == environment.end()) return std::nullopt;
                      return found->second;
                    });
}

TEST(ConfigTest, Defaults) {
  Result<ServiceConfig> config = Load({});
  ASSERT_TRUE(config.ok()) << config.error();
  EXPECT_FALSE(config.value().settlement_enabled);
  EXPECT_EQ(config.value().database_path, "parlay-settler.db");
  EXPECT_EQ(config.value().bind_address, "127.0.0.1");
  EXPECT_EQ(config.value().port, 8080);
  EXPECT_EQ(config.value().http_threads, 8);
  EXPECT_EQ(config.value().interval_seconds, 30);
  EXPECT_EQ(config.value().max_games_per_cycle, 100);
  EXPECT_EQ(config.value().breaker_threshold, 5);
  EXPECT_EQ(config.value().breaker_reset_seconds, 300);
  EXPECT_EQ(config.value().stale_seconds, 600);
  EXPECT_EQ(config.value().admin_token, "");
  EXPECT_EQ(config.value().log_format, LogFormat::kJson);
  EXPECT_EQ(config.value().log_level, "info");
}

TEST(ConfigTest, ReadsEveryVariable) {
  Result<ServiceConfig> config = Load({
      {"FEATURE_SETTLEMENT", "TRUE"},
      {"DATABASE_URL", "sqlite:///var/lib/parlay/settler.db"},
      {"BIND_ADDRESS", "::1"},
      {"PORT", "0"},
      {"HTTP_THREADS", "16"},
      {"SETTLEMENT_INTERVAL_SECONDS", "5"},
      {"SETTLEMENT_MAX_GAMES_PER_CYCLE", "250"},
      {"SETTLEMENT_BREAKER_THRESHOLD", "3"},
      {"SETTLEMENT_BREAKER_RESET_SECONDS", "60"},
      {"SETTLEMENT_STALE_SECONDS", "120"},
      {"SETTLEMENT_ADMIN_TOKEN", "abcdefghijklmnop"},
      {"LOG_FORMAT", "text"},
      {"LOG_LEVEL", "debug"},
  });

  ASSERT_TRUE(config.ok()) << config.error();
  const ServiceConfig& c = config.value();
  EXPECT_TRUE(c.settlement_enabled);
  EXPECT_EQ(c.database_path, "/var/lib/parlay/settler.db");
  EXPECT_EQ(c.database_url, "sqlite:///var/lib/parlay/settler.db");
  EXPECT_EQ(c.bind_address, "::1");
  EXPECT_EQ(c.port, 0);
  EXPECT_EQ(c.http_threads, 16);
  EXPECT_EQ(c.interval_seconds, 5);
  EXPECT_EQ(c.max_games_per_cycle, 250);
  EXPECT_EQ(c.breaker_threshold, 3);
  EXPECT_EQ(c.breaker_reset_seconds, 60);
  EXPECT_EQ(c.stale_seconds, 120);
  EXPECT_EQ(c.admin_token, "abcdefghijklmnop");
  EXPECT_EQ(c.log_format, LogFormat::kText);
  EXPECT_EQ(c.log_level, "debug");
}

TEST(ConfigTest, FlagOverridesVariable) {
  Result<ServiceConfig> config =
      Load({{"PORT", "9000"}, {"FEATURE_SETTLEMENT", "false"}},
           {{"PORT", "9100"}, {"FEATURE_SETTLEMENT", "1"}});
  ASSERT_TRUE(config.ok()) << config.error();
  EXPECT_EQ(config.value().port, 9100);
  EXPECT_TRUE(config.value().settlement_enabled);
}

TEST(ConfigTest, EmptyValueCountsAsUnset) {
  Result<ServiceConfig> config = Load({{"PORT", ""}, {"LOG_FORMAT", ""}});
  ASSERT_TRUE(config.ok()) << config.error();
  EXPECT_EQ(config.value().port, 8080);
}

TEST(ConfigTest, InvalidValuesNameVariableAndValue) {
  struct Case {
    const char* variable;
    const char* value;
    const char* expected;  // a part of the message
  };
  const Case cases[] = {
      {"FEATURE_SETTLEMENT", "yes",
       "invalid FEATURE_SETTLEMENT \"yes\" (from the environment): expected "
       "true or false"},
      {"PORT", "80a", "invalid PORT \"80a\""},
      {"PORT", "65536", "expected an integer from 0 to 65535"},
      {"PORT", "-1", "invalid PORT \"-1\""},
      {"HTTP_THREADS", "1", "invalid HTTP_THREADS \"1\""},
      {"SETTLEMENT_INTERVAL_SECONDS", "0",
       "invalid SETTLEMENT_INTERVAL_SECONDS \"0\""},
      {"SETTLEMENT_MAX_GAMES_PER_CYCLE", " 10",
       "invalid SETTLEMENT_MAX_GAMES_PER_CYCLE \" 10\""},
      {"SETTLEMENT_BREAKER_THRESHOLD", "0",
       "invalid SETTLEMENT_BREAKER_THRESHOLD \"0\""},
      {"SETTLEMENT_BREAKER_RESET_SECONDS", "1.5",
       "invalid SETTLEMENT_BREAKER_RESET_SECONDS \"1.5\""},
      {"SETTLEMENT_STALE_SECONDS", "abc",
       "invalid SETTLEMENT_STALE_SECONDS \"abc\""},
      {"BIND_ADDRESS", "localhost", "invalid BIND_ADDRESS \"localhost\""},
      {"LOG_FORMAT", "xml", "invalid LOG_FORMAT \"xml\""},
      {"LOG_LEVEL", "verbose", "invalid LOG_LEVEL \"verbose\""},
      {"DATABASE_URL", "sqlite://relative.db",
       "invalid DATABASE_URL \"sqlite://relative.db\""},
      {"DATABASE_URL", "mysql://host/db",
       "expected postgresql://"},
  };
  for (const Case& c : cases) {
    Result<ServiceConfig> config = Load({{c.variable, c.value}});
    ASSERT_FALSE(config.ok()) << c.variable << "=" << c.value;
    EXPECT_NE(config.error().find(c.expected), std::string::npos)
        << config.error();
  }
}

TEST(ConfigTest, SecretsNotInMessages) {
  Result<ServiceConfig> token = Load({{"SETTLEMENT_ADMIN_TOKEN", "short"}});
  ASSERT_FALSE(token.ok());
  EXPECT_NE(token.error().find("SETTLEMENT_ADMIN_TOKEN"), std::string::npos);
  EXPECT_EQ(token.error().find("short"), std::string::npos) << token.error();

  // A valid PostgreSQL URL next to an invalid setting: the error lists
  // the invalid one and never the password.
  Result<ServiceConfig> url = Load(
      {{"DATABASE_URL", "postgresql://user:secret@db/parlays"}, {"PORT", "x"}});
  ASSERT_FALSE(url.ok());
  EXPECT_EQ(url.error().find("secret"), std::string::npos) << url.error();

  Result<ServiceConfig> accepted =
      Load({{"DATABASE_URL", "postgresql://user:secret@db/parlays"}});
  ASSERT_TRUE(accepted.ok()) << accepted.error();
  const std::string logged = ConfigToJson(accepted.value()).dump();
  EXPECT_EQ(logged.find("secret"), std::string::npos) << logged;
  EXPECT_NE(logged.find("postgresql://user:***@db/parlays"),
            std::string::npos)
      << logged;
}

TEST(ConfigTest, FlagNamedInMessage) {
  Result<ServiceConfig> config = Load({}, {{"PORT", "http"}});
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.error().find("invalid PORT \"http\" (from flag --port)"),
            std::string::npos)
      << config.error();
}

TEST(ConfigTest, EveryInvalidValueListed) {
  Result<ServiceConfig> config = Load({{"PORT", "x"}, {"LOG_LEVEL", "y"}});
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.error().find("PORT"), std::string::npos);
  EXPECT_NE(config.error().find("LOG_LEVEL"), std::string::npos);
}

TEST(ConfigTest, StaleMustExceedInterval) {
  Result<ServiceConfig> config = Load({{"SETTLEMENT_INTERVAL_SECONDS", "600"}});
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.error().find("SETTLEMENT_STALE_SECONDS 600"),
            std::string::npos)
      << config.error();
}

TEST(ConfigTest, StartLogRedactsToken) {
  ServiceConfig config;
  config.admin_token = "abcdefghijklmnop";
  const std::string dumped = ConfigToJson(config).dump();
  EXPECT_EQ(dumped.find("abcdefghijklmnop"), std::string::npos);
  EXPECT_EQ(ConfigToJson(config)["settlement_admin_token"], "[redacted]");
  EXPECT_EQ(ConfigToJson(ServiceConfig{})["settlement_admin_token"], nullptr);
}

TEST(ConfigTest, LifecycleAndFeedDefaults) {
  Result<ServiceConfig> config = Load({});
  ASSERT_TRUE(config.ok()) << config.error();
  const ServiceConfig& c = config.value();
  EXPECT_EQ(c.lifecycle.postponed_void_seconds, 48 * 3600);
  EXPECT_EQ(c.lifecycle.correction_window_seconds, 72 * 3600);
  EXPECT_TRUE(c.feed_pollers.empty());
  EXPECT_EQ(c.feed_poll_interval_seconds, 60);
  EXPECT_EQ(c.feed_poll_timeout_seconds, 10);
  EXPECT_EQ(c.feed_poll_max_attempts, 3);
  EXPECT_EQ(c.feed_team_aliases_path, "");
}

TEST(ConfigTest, ReadsLifecycleAndFeedSettings) {
  testing::TempDir dir;
  const std::string aliases = dir.File("aliases.csv");
  testing::WriteFile(aliases, "alias,name\nSelecao,Brazil\n");
  Result<ServiceConfig> config =
      Load({{"SETTLEMENT_POSTPONED_VOID_HOURS", "0"},
            {"SETTLEMENT_CORRECTION_WINDOW_HOURS", "8760"},
            {"FEED_POLL_URLS",
             "espn=http://127.0.0.1:9000/a  odds-api=https://127.0.0.1:9001/b"},
            {"FEED_POLL_INTERVAL_SECONDS", "30"},
            {"FEED_POLL_TIMEOUT_SECONDS", "300"},
            {"FEED_POLL_MAX_ATTEMPTS", "10"},
            {"FEED_TEAM_ALIASES", aliases}},
           {{"SETTLEMENT_POSTPONED_VOID_HOURS", "6"}});
  ASSERT_TRUE(config.ok()) << config.error();
  const ServiceConfig& c = config.value();
  EXPECT_EQ(c.lifecycle.postponed_void_seconds, 6 * 3600);  // the flag
  EXPECT_EQ(c.lifecycle.correction_window_seconds, 8760 * 3600);

  ASSERT_EQ(c.feed_pollers.size(), 2u);
  EXPECT_EQ(c.feed_pollers[0].provider, FeedProvider::kEspn);
  EXPECT_EQ(c.feed_pollers[0].url, "http://127.0.0.1:9000/a");
  EXPECT_EQ(c.feed_pollers[1].provider, FeedProvider::kOddsApi);
  EXPECT_EQ(c.feed_pollers[1].url, "https://127.0.0.1:9001/b");
  for (const FeedPollerConfig& poller : c.feed_pollers) {
    EXPECT_EQ(poller.interval, std::chrono::seconds(30));
    EXPECT_EQ(poller.timeout, std::chrono::seconds(300));
    EXPECT_EQ(poller.max_attempts, 10);
  }

  EXPECT_EQ(c.feed_team_aliases_path, aliases);
  EXPECT_TRUE(c.team_aliases.Same("Selecao", "Brazil"));
  // The built-in aliases stay.
  EXPECT_TRUE(c.team_aliases.Same("LA Rams", "Los Angeles Rams"));
}

TEST(ConfigTest, ReadsRequestLimits) {
  Result<ServiceConfig> defaults = Load({});
  ASSERT_TRUE(defaults.ok()) << defaults.error();
  EXPECT_EQ(defaults.value().max_body_bytes, 1'048'576u);
  EXPECT_EQ(defaults.value().max_records_per_request, 1000u);
  EXPECT_EQ(defaults.value().parlay_limits.max_legs, 20u);
  EXPECT_EQ(defaults.value().parlay_limits.max_stake_units, 100'000);

  Result<ServiceConfig> config =
      Load({{"MAX_BODY_BYTES", "67108864"},
            {"MAX_RECORDS_PER_REQUEST", "1"},
            {"MAX_PARLAY_LEGS", "100"},
            {"MAX_STAKE", "1000000000000"}},
           {{"MAX_STAKE", "250"}});
  ASSERT_TRUE(config.ok()) << config.error();
  EXPECT_EQ(config.value().max_body_bytes, 67'108'864u);
  EXPECT_EQ(config.value().max_records_per_request, 1u);
  EXPECT_EQ(config.value().parlay_limits.max_legs, 100u);
  EXPECT_EQ(config.value().parlay_limits.max_stake_units, 250);  // the flag
}

TEST(ConfigTest, InvalidRequestLimits) {
  const std::pair<Variables, std::string> cases[] = {
      {{{"MAX_BODY_BYTES", "1023"}},
       "invalid MAX_BODY_BYTES \"1023\" (from the environment): expected an "
       "integer from 1024 to 67108864"},
      {{{"MAX_RECORDS_PER_REQUEST", "0"}},
       "expected an integer from 1 to 100000"},
      {{{"MAX_PARLAY_LEGS", "101"}}, "expected an integer from 1 to 100"},
      {{{"MAX_STAKE", "1000000000001"}},
       "expected an integer from 1 to 1000000000000"},
      {{{"MAX_STAKE", "-5"}}, "expected an integer from 1 to 1000000000000"},
      {{{"MAX_STAKE", "99999999999999999999"}},
       "expected an integer from 1 to 1000000000000"},
  };
  for (const auto& [environment, message] : cases) {
    Result<ServiceConfig> config = Load(environment);
    ASSERT_FALSE(config.ok()) << environment.begin()->second;
    EXPECT_NE(config.error().find(message), std::string::npos)
        << config.error();
  }
}

TEST(ConfigTest, InvalidLifecycleAndFeedValues) {
  struct Case {
    const char* variable;
    const char* value;
    const char* expected;  // a part of the message
  };
  const Case cases[] = {
      {"SETTLEMENT_POSTPONED_VOID_HOURS", "8761",
       "invalid SETTLEMENT_POSTPONED_VOID_HOURS \"8761\" (from the "
       "environment): expected a whole number of hours from 0 to 8760"},
      {"SETTLEMENT_POSTPONED_VOID_HOURS", "-1",
       "invalid SETTLEMENT_POSTPONED_VOID_HOURS \"-1\""},
      {"SETTLEMENT_CORRECTION_WINDOW_HOURS", "72h",
       "invalid SETTLEMENT_CORRECTION_WINDOW_HOURS \"72h\""},
      {"FEED_POLL_URLS", "scores=http://127.0.0.1:9000/a",
       "invalid FEED_POLL_URLS (from the environment): entry "
       "\"scores=http://127.0.0.1:9000/a\": expected provider=URL"},
      {"FEED_POLL_URLS", "espn=ftp://127.0.0.1/a",
       "entry \"espn=ftp://127.0.0.1/a\""},
      {"FEED_POLL_URLS", "http://127.0.0.1/a", "entry \"http://127.0.0.1/a\""},
      {"FEED_POLL_INTERVAL_SECONDS", "0",
       "invalid FEED_POLL_INTERVAL_SECONDS \"0\" (from the environment): "
       "expected an integer from 1 to 86400"},
      {"FEED_POLL_TIMEOUT_SECONDS", "301",
       "invalid FEED_POLL_TIMEOUT_SECONDS \"301\""},
      {"FEED_POLL_MAX_ATTEMPTS", "11", "invalid FEED_POLL_MAX_ATTEMPTS \"11\""},
      {"FEED_TEAM_ALIASES", "/nonexistent/aliases.csv",
       "invalid FEED_TEAM_ALIASES \"/nonexistent/aliases.csv\" (from the "
       "environment): /nonexistent/aliases.csv: cannot open file"},
  };
  for (const Case& c : cases) {
    Result<ServiceConfig> config = Load({{c.variable, c.value}});
    ASSERT_FALSE(config.ok()) << c.variable << "=" << c.value;
    EXPECT_NE(config.error().find(c.expected), std::string::npos)
        << config.error();
  }
}

TEST(ConfigTest, FeedUrlSecretsMasked) {
  Result<ServiceConfig> invalid =
      Load({{"FEED_POLL_URLS", "scores=http://127.0.0.1:9/s?apiKey=hunter2"}});
  ASSERT_FALSE(invalid.ok());
  EXPECT_EQ(invalid.error().find("hunter2"), std::string::npos)
      << invalid.error();
  EXPECT_NE(invalid.error().find("apiKey=***"), std::string::npos)
      << invalid.error();

  Result<ServiceConfig> valid = Load(
      {{"FEED_POLL_URLS", "odds-api=http://127.0.0.1:9/s?apiKey=hunter2"}});
  ASSERT_TRUE(valid.ok()) << valid.error();
  EXPECT_EQ(valid.value().feed_pollers[0].url,
            "http://127.0.0.1:9/s?apiKey=hunter2");
  const nlohmann::ordered_json logged = ConfigToJson(valid.value());
  EXPECT_EQ(logged["feed_poll_urls"][0],
            "odds-api=http://127.0.0.1:9/s?apiKey=***");
  EXPECT_EQ(logged.dump().find("hunter2"), std::string::npos);
}

}  // namespace
}  // namespace parlay::service
