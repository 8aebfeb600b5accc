// The PostgreSQL server stopped for 30 seconds under a running `serve`:
// errors are counted, the breaker opens, health answers 503 circuit_open
// without hanging, and once the server is back the worker recovers on its
// own and settles everything.

#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <thread>

#include "store/postgres_db.h"
#include "support/test_database.h"
#include "support/test_support.h"

namespace parlay {
namespace {

using Clock = std::chrono::steady_clock;

// Runs pg_ctl on the test cluster as the postgres user.
int PgCtl(const std::string& action) {
  const char* bin = std::getenv("PARLAY_TEST_POSTGRES_BIN");
  const char* data = std::getenv("PARLAY_TEST_POSTGRES_DATA");
  if (bin == nullptr || data == nullptr) return -1;
  std::string command = std::string(bin) + "/pg_ctl -D " + data + " -w -l " +
                        data + "/../server.log " + action + " >/dev/null";
  if (getuid() == 0) command = "runuser -u postgres -- " + command;
  return std::system(command.c_str());
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Adds up the samples of `name` (over all label sets) in a Prometheus text
// exposition.
double SumOfMetric(const std::string& exposition, const std::string& name) {
  double sum = 0;
  std::istringstream lines(exposition);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind(name, 0) != 0) continue;
    const char next = line.size() > name.size() ? line[name.size()] : '\0';
    if (next != ' ' && next != '{') continue;
    sum += std::stod(line.substr(line.rfind(' ') + 1));
  }
  return sum;
}

TEST(PostgresOutageTest, WorkerRecoversAfterServerStops) {
  testing::TestDatabase database(testing::Backend::kPostgres);
  PARLAY_REQUIRE_DATABASE(database);
  testing::TempDir dir;
  const std::string log = dir.File("serve.log");
  const std::string data = std::string(PARLAY_SOURCE_DIR) + "/data/nfl";

  // One season of games, kept scheduled so nothing settles before the
  // outage; they are made final once the server is back.
  std::string load = std::string(PARLAY_BINARY) + " --db '" + database.url() +
                     "' demo --no-settle --from-season 2023 --to-season 2023 "
                     "--parlays 3000 --data " + data + " >>" + log + " 2>&1";
  ASSERT_EQ(std::system(load.c_str()), 0) << ReadFile(log);
  PgConnection db(database.url(), PgConnectionOptions{});
  db.Execute("UPDATE games SET status = 'scheduled'");

  pid_t serve = fork();
  ASSERT_GE(serve, 0);
  if (serve == 0) {
    freopen(log.c_str(), "a", stdout);
    freopen(log.c_str(), "a", stderr);
    setenv("DATABASE_URL", database.url().c_str(), 1);
    setenv("FEATURE_SETTLEMENT", "true", 1);
    setenv("PORT", "0", 1);
    setenv("SETTLEMENT_INTERVAL_SECONDS", "1", 1);
    setenv("SETTLEMENT_STALE_SECONDS", "600", 1);
    setenv("SETTLEMENT_BREAKER_THRESHOLD", "3", 1);
    setenv("SETTLEMENT_BREAKER_RESET_SECONDS", "5", 1);
    execl(PARLAY_BINARY, PARLAY_BINARY, "serve", nullptr);
    _exit(127);
  }
  struct Stopper {
    pid_t pid;
    ~Stopper() {
      kill(pid, SIGTERM);
      waitpid(pid, nullptr, 0);
    }
  } stopper{serve};

  // The port comes from the "listening on" line.
  int port = 0;
  const std::regex listening("listening on http://127\\.0\\.0\\.1:(\\d+)");
  for (auto deadline = Clock::now() + std::chrono::seconds(30);
       port == 0 && Clock::now() < deadline;) {
    std::smatch match;
    std::string text = ReadFile(log);
    if (std::regex_search(text, match, listening)) {
      port = std::stoi(match[1]);
    } else {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  ASSERT_NE(port, 0) << ReadFile(log);
  httplib::Client client("127.0.0.1", port);
  client.set_read_timeout(5, 0);

  ASSERT_EQ(PgCtl("stop -m fast"), 0);
  const auto stopped_at = Clock::now();

  // Health turns to circuit_open while the server is down, and every
  // answer comes back well within the client's timeout.
  std::string status;
  int code = 0;
  while (status != "circuit_open" &&
         Clock::now() - stopped_at < std::chrono::seconds(25)) {
    const auto asked = Clock::now();
    httplib::Result response = client.Get("/health/settlement");
    ASSERT_TRUE(response) << "health did not answer";
    EXPECT_LT(Clock::now() - asked, std::chrono::seconds(3));
    code = response->status;
    status = nlohmann::json::parse(response->body).value("status", "");
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  EXPECT_EQ(status, "circuit_open");
  EXPECT_EQ(code, 503);
  httplib::Result metrics = client.Get("/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_GE(SumOfMetric(metrics->body, "parlay_settlement_breaker_trips_total"),
            1);
  EXPECT_GE(SumOfMetric(metrics->body, "parlay_settlement_errors_total"), 3)
      << "every failed cycle up to the threshold is counted";

  std::this_thread::sleep_for(std::chrono::seconds(30) -
                              (Clock::now() - stopped_at));
  ASSERT_EQ(PgCtl("start"), 0);

  // The games end after the outage; the worker's sweep settles them.
  PgConnection after(database.url(), PgConnectionOptions{});
  after.Execute(
      "UPDATE games SET status = 'final' WHERE home_score IS NOT NULL AND "
      "away_score IS NOT NULL");
  const int64_t legs = after.Execute("SELECT COUNT(*) FROM legs").Int(0, 0);
  int64_t pending = legs;
  for (auto deadline = Clock::now() + std::chrono::seconds(90);
       pending > 0 && Clock::now() < deadline;) {
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    pending = after
                  .Execute("SELECT COUNT(*) FROM legs WHERE status = "
                           "'PENDING'")
                  .Int(0, 0);
  }
  EXPECT_EQ(pending, 0) << ReadFile(log);
  EXPECT_EQ(after
                .Execute("SELECT COUNT(*) FROM settlement_events WHERE "
                         "entity = 'leg'")
                .Int(0, 0),
            legs);
  EXPECT_EQ(
      after.Execute("SELECT COUNT(*) FROM parlays WHERE status = 'PENDING'")
          .Int(0, 0),
      0);

  httplib::Result health = client.Get("/health/settlement");
  ASSERT_TRUE(health);
  EXPECT_EQ(nlohmann::json::parse(health->body).value("status", ""),
            "healthy")
      << health->body;
}

}  // namespace
}  // namespace parlay
