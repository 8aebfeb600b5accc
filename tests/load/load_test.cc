// A load test of the real `parlay-settler serve` on loopback: client
// threads post games and parlays and read parlays and health while the
// worker settles the demo data. It checks that no request fails (no 5xx,
// no connection error), that every accepted write reads back, and prints
// the server's resident memory (VmRSS) at the start, peak and end.
//
// Bounded by time and by request count. The defaults suit CI (about 20 s
// of load on 20,000 parlays); the long run sets
//   PARLAY_LOAD_SECONDS=600 PARLAY_LOAD_PARLAYS=100000 build/tests/load_tests
// PARLAY_LOAD_THREADS (default 6) sets the client threads and
// PARLAY_LOAD_MAX_REQUESTS (default 1000000) the request limit.

#include <fcntl.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <thread>
#include <vector>

#include "support/test_support.h"

namespace parlay {
namespace {

using nlohmann::json;
using SteadyClock = std::chrono::steady_clock;

int EnvInt(const char* name, int fallback) {
  const char* value = std::getenv(name);
  return value == nullptr || *value == '\0' ? fallback : std::atoi(value);
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The VmRSS line of /proc/PID/status in KiB, or -1 when unreadable.
int64_t ResidentKib(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stoll(line.substr(6));
  }
  return -1;
}

// Request outcomes of all client threads.
struct Tally {
  std::mutex mutex;
  std::map<std::string, int64_t> by_kind;  // "GET /health 200" -> count
  std::vector<std::string> failures;       // 5xx and connection errors
  std::vector<std::string> written_games;
  std::vector<std::string> written_parlays;
  std::atomic<int64_t> requests{0};

  void Record(const std::string& kind, const httplib::Result& result) {
    std::lock_guard lock(mutex);
    if (!result) {
      failures.push_back(kind + ": " + httplib::to_string(result.error()));
      ++by_kind[kind + " connection error"];
      return;
    }
    ++by_kind[kind + " " + std::to_string(result->status)];
    if (result->status >= 500) {
      failures.push_back(kind + ": " + std::to_string(result->status) + " " +
                         result->body.substr(0, 300));
    }
  }
};

std::string GameJson(const std::string& id, int n) {
  return json{{"id", id},
              {"league", "LOAD"},
              {"home", "Load Home " + std::to_string(n)},
              {"away", "Load Away " + std::to_string(n)},
              {"start_time", "2030-01-01T18:00:00Z"},
              {"status", "scheduled"}}
      .dump();
}

std::string ParlayJson(const std::string& id, const std::string& game) {
  return json{{"id", id},
              {"account", "load"},
              {"stake", "10.00"},
              {"currency", "USD"},
              {"legs",
               {{{"game", game},
                 {"market", "moneyline"},
                 {"selection", "home"},
                 {"odds", "-110"}}}}}
      .dump();
}

// A writer posts a game, then a parlay on it; a reader cycles through the
// read routes.
void RunClient(int port, int thread, bool writer, SteadyClock::time_point end,
               int64_t max_requests, Tally& tally) {
  httplib::Client client("127.0.0.1", port);
  client.set_read_timeout(std::chrono::seconds(60));
  client.set_keep_alive(true);
  for (int n = 0; SteadyClock::now() < end && tally.requests < max_requests;
       ++n) {
    if (writer) {
      const std::string game =
          "load-g-" + std::to_string(thread) + "-" + std::to_string(n);
      const std::string parlay =
          "load-p-" + std::to_string(thread) + "-" + std::to_string(n);
      auto posted =
          client.Post("/v1/games", GameJson(game, n), "application/json");
      tally.Record("POST /v1/games", posted);
      if (!posted || posted->status != 200) continue;
      {
        std::lock_guard lock(tally.mutex);
        tally.written_games.push_back(game);
      }
      auto placed = client.Post("/v1/parlays", ParlayJson(parlay, game),
                                "application/json");
      tally.Record("POST /v1/parlays", placed);
      if (placed && placed->status == 201) {
        std::lock_guard lock(tally.mutex);
        tally.written_parlays.push_back(parlay);
      }
      tally.requests += 2;
    } else {
      static const char* kPaths[] = {
          "/v1/parlays?limit=50", "/v1/parlays/nfl-20150910-1",
          "/v1/parlays?status=WON&limit=20", "/health", "/health/settlement"};
      const char* path = kPaths[n % 5];
      const std::string kind =
          std::string("GET ") + (n % 5 == 1   ? "/v1/parlays/{id}"
                                 : n % 5 == 2 ? "/v1/parlays?status"
                                              : path);
      tally.Record(kind, client.Get(path));
      tally.requests += 1;
    }
  }
}

TEST(LoadTest, MixedTrafficDuringSettlement) {
  const int seconds = EnvInt("PARLAY_LOAD_SECONDS", 20);
  const int parlays = EnvInt("PARLAY_LOAD_PARLAYS", 20'000);
  const int threads = EnvInt("PARLAY_LOAD_THREADS", 6);
  const int64_t max_requests = EnvInt("PARLAY_LOAD_MAX_REQUESTS", 1'000'000);

  testing::TempDir dir;
  const std::string db = dir.File("load.db");
  const std::string demo = std::string(PARLAY_BINARY) + " --db " + db +
                           " demo --no-settle --parlays " +
                           std::to_string(parlays) + " --data " +
                           PARLAY_SOURCE_DIR + "/data/nfl > /dev/null 2>&1";
  ASSERT_EQ(std::system(demo.c_str()), 0) << demo;

  const std::string out_path = dir.File("serve.out");
  const std::string err_path = dir.File("serve.err");
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    setenv("FEATURE_SETTLEMENT", "true", 1);
    setenv("PORT", "0", 1);
    setenv("BIND_ADDRESS", "127.0.0.1", 1);
    setenv("DATABASE_URL", db.c_str(), 1);
    setenv("HTTP_THREADS", "8", 1);
    setenv("LOG_LEVEL", "warn", 1);
    unsetenv("SETTLEMENT_ADMIN_TOKEN");
    unsetenv("FEED_POLL_URLS");
    const int out = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(out, STDOUT_FILENO);
    dup2(err, STDERR_FILENO);
    execl(PARLAY_BINARY, PARLAY_BINARY, "serve", nullptr);
    _exit(127);
  }

  int port = 0;
  const auto listen_deadline = SteadyClock::now() + std::chrono::seconds(60);
  while (port == 0 && SteadyClock::now() < listen_deadline) {
    std::smatch match;
    const std::string out = ReadFile(out_path);
    if (std::regex_search(out, match, std::regex(":([0-9]+) "))) {
      port = std::stoi(match[1]);
    } else {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  if (port == 0) {
    kill(child, SIGKILL);
    waitpid(child, nullptr, 0);
    FAIL() << "serve did not start: " << ReadFile(err_path);
  }

  // Samples the server's memory every 100 ms until the clients finish.
  const int64_t start_kib = ResidentKib(child);
  std::atomic<int64_t> peak_kib{start_kib};
  std::atomic<bool> sampling{true};
  std::thread sampler([&] {
    while (sampling) {
      const int64_t now = ResidentKib(child);
      if (now > peak_kib) peak_kib = now;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  });

  Tally tally;
  const auto started = SteadyClock::now();
  const auto end = started + std::chrono::seconds(seconds);
  std::vector<std::thread> clients;
  for (int i = 0; i < threads; ++i) {
    // Half the threads write, the other half read.
    clients.emplace_back(RunClient, port, i, i % 2 == 0, end, max_requests,
                         std::ref(tally));
  }
  for (std::thread& client : clients) client.join();
  const double elapsed =
      std::chrono::duration<double>(SteadyClock::now() - started).count();

  // Every accepted write reads back.
  httplib::Client check("127.0.0.1", port);
  check.set_read_timeout(std::chrono::seconds(60));
  int64_t missing = 0;
  for (const std::string& id : tally.written_games) {
    auto result = check.Get("/v1/games/" + id);
    if (!result || result->status != 200) ++missing;
  }
  for (const std::string& id : tally.written_parlays) {
    auto result = check.Get("/v1/parlays/" + id);
    if (!result || result->status != 200) ++missing;
  }
  json settlement;
  if (auto result = check.Get("/health/settlement")) {
    settlement = json::parse(result->body, nullptr, false);
  }

  sampling = false;
  sampler.join();
  const int64_t end_kib = ResidentKib(child);
  ASSERT_EQ(kill(child, SIGTERM), 0);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFEXITED(status)) << ReadFile(err_path);
  EXPECT_EQ(WEXITSTATUS(status), 0) << ReadFile(err_path);

  std::ostringstream report;
  report << "load: " << threads << " client threads, " << elapsed << " s, "
         << tally.requests << " requests, " << parlays << " demo parlays\n";
  for (const auto& [kind, count] : tally.by_kind) {
    report << "  " << kind << ": " << count << "\n";
  }
  report << "  writes read back: "
         << tally.written_games.size() + tally.written_parlays.size() - missing
         << " of " << tally.written_games.size() + tally.written_parlays.size()
         << "\n"
         << "  server VmRSS KiB: start " << start_kib << ", peak " << peak_kib
         << ", end " << end_kib << "\n"
         << "  parlays settled in the worker's last cycle: "
         << settlement["heartbeat"]["meta"]["parlays_settled"] << "\n";
  std::cout << report.str();

  EXPECT_TRUE(tally.failures.empty())
      << tally.failures.size()
      << " failed requests, the first: " << tally.failures.front();
  EXPECT_EQ(missing, 0);
  EXPECT_FALSE(tally.written_parlays.empty());
  EXPECT_GT(start_kib, 0);
}

}  // namespace
}  // namespace parlay
