// Starts the real settlement service (worker and HTTP server) on a free
// loopback port, with a manual clock, for the service tests.

#ifndef PARLAY_TESTS_SERVICE_SERVICE_FIXTURE_H_
#define PARLAY_TESTS_SERVICE_SERVICE_FIXTURE_H_

#include <gtest/gtest.h>
#include <httplib.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "failing_store.h"
#include "service/config.h"
#include "service/service.h"
#include "store/store.h"
#include "support/test_database.h"
#include "support/test_support.h"

namespace parlay::testing {

inline constexpr char kAdminToken[] = "test-admin-token-0123456789";
inline constexpr char kWorkerId[] = "test-worker";

// The manual clock's start, 2023-11-14T22:13:20Z.
inline constexpr int64_t kStartMillis = 1'700'000'000'000;
inline constexpr char kStartIso[] = "2023-11-14T22:13:20Z";

// Returns whether `condition` became true before `timeout` passed,
// checking every 10 ms.
inline bool PollUntil(
    const std::function<bool()>& condition,
    std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return condition();
}

// Runs once per backend: INSTANTIATE_TEST_SUITE_P each derived fixture
// with testing::AllBackends().
class ServiceTest : public ::testing::TestWithParam<testing::Backend> {
 protected:
  void SetUp() override {
    spdlog::set_level(spdlog::level::warn);
    PARLAY_REQUIRE_DATABASE(database_);
  }

  bool OnPostgres() const {
    return GetParam() == testing::Backend::kPostgres;
  }

  // Settlement on, a sweep interval of an hour (so only events and admin
  // requests run cycles), an admin token, and a database in a temp dir.
  service::ServiceConfig BaseConfig() const {
    service::ServiceConfig config;
    config.settlement_enabled = true;
    config.database_path = database_.url();
    config.database_url = config.database_path;
    config.port = 0;
    config.http_threads = 4;
    config.interval_seconds = 3600;
    config.stale_seconds = 7200;
    config.admin_token = kAdminToken;
    return config;
  }

  // The settings of BaseConfig, and `variables` over them, read by
  // LoadConfig as if they were the environment.
  service::ServiceConfig ConfigFromEnvironment(
      const std::map<std::string, std::string>& variables) const {
    std::map<std::string, std::string> environment = {
        {"FEATURE_SETTLEMENT", "true"},
        {"DATABASE_URL", database_.url()},
        {"PORT", "0"},
        {"HTTP_THREADS", "4"},
        {"SETTLEMENT_INTERVAL_SECONDS", "3600"},
        {"SETTLEMENT_STALE_SECONDS", "7200"},
        {"SETTLEMENT_ADMIN_TOKEN", kAdminToken},
    };
    for (const auto& [name, value] : variables) environment[name] = value;
    Result<service::ServiceConfig> config = service::LoadConfig(
        {}, [&](const std::string& name) -> std::optional<std::string> {
          const auto found = environment.find(name);
          if (found == environment.end()) return std::nullopt;
          return found->second;
        });
    if (!config.ok()) {
      ADD_FAILURE() << "invalid test configuration: " << config.error();
      return BaseConfig();
    }
    return config.value();
  }

  // Starts the service. The worker's and the readers' stores go through
  // FailingStore, switched by faults_.
  void Start(const service::ServiceConfig& config) {
    service::ServiceOptions options;
    options.clock = &clock_;
    options.worker_id = kWorkerId;
    options.open_worker_store = [this](const std::string& path) {
      return std::make_unique<FailingStore>(parlay::OpenStore(path), faults_);
    };
    options.open_read_store = [this](const std::string& path) {
      return std::make_unique<FailingStore>(
          parlay::OpenStore(
              path, {.busy_timeout_ms = service::kReadBusyTimeoutMillis,
                     .statement_timeout_ms = service::kReadTimeoutMillis,
                     .migrate = false}),
          faults_);
    };
    service_ = std::make_unique<service::Service>(config, options);
    service_->Start();
    // Waits for a cycle that starts after this call, so that no cycle (and
    // no heartbeat write) is in flight when the test begins. That is the
    // first cycle or a second one, depending on the threads' timing.
    ASSERT_TRUE(
        service_->worker().RunCycleNow(std::chrono::seconds(30)).has_value());
  }

  // A store of its own for setting up and checking data.
  std::unique_ptr<Store> OpenStore() const { return database_.Open(); }

  httplib::Client Client() const {
    httplib::Client client("127.0.0.1", service_->port());
    client.set_read_timeout(std::chrono::seconds(90));
    return client;
  }

  httplib::Headers Admin() const {
    return {{"Authorization", std::string("Bearer ") + kAdminToken}};
  }

  struct Reply {
    int status = 0;
    nlohmann::json body;
    std::string text;
    httplib::Headers headers;
  };

  static Reply ToReply(const httplib::Result& result) {
    Reply reply;
    if (!result) {
      ADD_FAILURE() << "request failed: " << httplib::to_string(result.error());
      return reply;
    }
    reply.status = result->status;
    reply.text = result->body;
    reply.headers = result->headers;
    reply.body = nlohmann::json::parse(result->body, nullptr, false);
    return reply;
  }

  Reply Get(const std::string& path, const httplib::Headers& headers = {}) {
    httplib::Client client = Client();
    return ToReply(client.Get(path, headers));
  }

  Reply Post(const std::string& path, const std::string& body,
             const httplib::Headers& headers = {}) {
    httplib::Client client = Client();
    return ToReply(client.Post(path, headers, body, "application/json"));
  }

  // The value of the exposition line `series` (name with labels) in
  // GET /metrics, or -1 when the line is missing.
  double Metric(const std::string& series) {
    const std::string text = Get("/metrics").text;
    const std::string prefix = series + " ";
    size_t at = 0;
    while (at < text.size()) {
      size_t end = text.find('\n', at);
      if (end == std::string::npos) end = text.size();
      const std::string line = text.substr(at, end - at);
      if (line.rfind(prefix, 0) == 0) {
        return std::stod(line.substr(prefix.size()));
      }
      at = end + 1;
    }
    return -1;
  }

  TempDir dir_;
  testing::TestDatabase database_{GetParam()};
  ManualClock clock_{kStartMillis};
  StoreFaults faults_;
  std::unique_ptr<service::Service> service_;
};

}  // namespace parlay::testing

#endif  // PARLAY_TESTS_SERVICE_SERVICE_FIXTURE_H_
