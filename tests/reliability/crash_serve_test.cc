// `serve` killed with SIGKILL while a client posts games and parlays over
// the API and the worker settles them, then restarted. Every request that
// got a 2xx is stored, no game is half settled at any kill, and after the
// last restart every leg and parlay is settled exactly once with the
// outcome the client's own data implies.
//
// PARLAY_CRASH_SERVE_KILLS (default 10) and PARLAY_CRASH_SEED set the run.

#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>

#include "reliability/process_support.h"
#include "support/test_database.h"
#include "support/test_support.h"

namespace parlay {
namespace {

using nlohmann::json;
using reliability::DatabaseProbe;
using reliability::ReadFile;
using reliability::SpawnBinary;
using reliability::WaitForExit;
using reliability::WaitForPort;
using testing::Backend;
using testing::TestDatabase;
using SteadyClock = std::chrono::steady_clock;

constexpr int kGames = 40;
constexpr int kParlaysPerGame = 25;

std::string GameId(int n) { return "sg-" + std::to_string(1000 + n); }

// Even games are won 24-17 by the home team, odd ones lost 10-20, so a
// home moneyline leg wins exactly on even games.
json GameRecord(int n, bool final) {
  json game = {{"id", GameId(n)},
               {"league", "NFL"},
               {"home", "Home " + std::to_string(n)},
               {"away", "Away " + std::to_string(n)},
               {"start_time", "2030-01-01T00:00:00Z"},
               {"status", final ? "final" : "scheduled"},
               {"updated_at", final ? "2030-01-01T03:00:00Z"
                                    : "2030-01-01T00:00:00Z"}};
  if (final) {
    game["home_score"] = n % 2 == 0 ? 24 : 10;
    game["away_score"] = n % 2 == 0 ? 17 : 20;
  }
  return game;
}

// One request of the client's workload.
struct Step {
  std::string path;
  json body;
  std::vector<std::string> parlay_ids;  // for POST /v1/parlays
};

struct ExpectedParlay {
  std::vector<int> games;
  bool won() const {
    for (int n : games) {
      if (n % 2 != 0) return false;
    }
    return true;
  }
};

// Games are posted scheduled, then their parlays (legs on this game and up
// to two earlier ones still scheduled), and each game is posted final two
// steps after its parlays.
std::vector<Step> Workload(std::mt19937& random,
                           std::map<std::string, ExpectedParlay>& parlays) {
  std::vector<Step> steps;
  for (int n = 0; n < kGames + 2; ++n) {
    if (n < kGames) {
      steps.push_back({"/v1/games", GameRecord(n, false), {}});
      Step batch{"/v1/parlays", json::array(), {}};
      for (int k = 0; k < kParlaysPerGame; ++k) {
        const std::string id =
            "sp-" + std::to_string(1000 + n) + "-" + std::to_string(k);
        ExpectedParlay expected;
        expected.games.push_back(n);
        for (int back = 1; back <= 2 && n - back >= 0; ++back) {
          if (random() % 2 == 0) expected.games.push_back(n - back);
        }
        json legs = json::array();
        for (int game : expected.games) {
          legs.push_back({{"game", GameId(game)},
                          {"market", "moneyline"},
                          {"selection", "home"},
                          {"odds", "-110"}});
        }
        batch.body.push_back({{"id", id},
                              {"account", "a-" + std::to_string(k)},
                              {"stake", "10.00"},
                              {"currency", "USD"},
                              {"legs", legs}});
        batch.parlay_ids.push_back(id);
        parlays[id] = expected;
      }
      steps.push_back(std::move(batch));
    }
    if (n >= 2) steps.push_back({"/v1/games", GameRecord(n - 2, true), {}});
  }
  return steps;
}

// No game is half settled: a final game's legs are all pending or all
// settled, and every settled leg and parlay has its audit row and outbox
// event.
void ExpectNothingHalfApplied(DatabaseProbe& db, const std::string& when) {
  EXPECT_EQ(db.Count("SELECT COUNT(*) FROM (SELECT game_id FROM legs GROUP "
                     "BY game_id HAVING COUNT(DISTINCT CASE WHEN status = "
                     "'PENDING' THEN 0 ELSE 1 END) > 1) AS t"),
            0)
      << "games with pending and settled legs " << when;
  reliability::ExpectAuditMatchesSettled(db, when);
}

class CrashServeTest : public ::testing::TestWithParam<Backend> {};

TEST_P(CrashServeTest, ServeSurvivesSigkill) {
  TestDatabase database(GetParam());
  PARLAY_REQUIRE_DATABASE(database);
  const char* kills_text = std::getenv("PARLAY_CRASH_SERVE_KILLS");
  const int kills = kills_text != nullptr ? std::atoi(kills_text) : 10;
  const char* seed_text = std::getenv("PARLAY_CRASH_SEED");
  std::mt19937 random(seed_text != nullptr ? std::atoi(seed_text)
                                           : 20261204);
  testing::TempDir dir;
  const std::string log = dir.File("serve.log");
  std::map<std::string, ExpectedParlay> expected;
  const std::vector<Step> steps = Workload(random, expected);

  const std::map<std::string, std::string> environment = {
      {"DATABASE_URL", database.url()},
      {"FEATURE_SETTLEMENT", "true"},
      {"PORT", "0"},
      {"HTTP_THREADS", "4"},
      {"SETTLEMENT_INTERVAL_SECONDS", "1"},
      {"SETTLEMENT_MAX_GAMES_PER_CYCLE", "5"},
      {"LOG_LEVEL", "warn"}};
  std::atomic<int> port{0};
  pid_t pid = -1;
  auto start = [&] {
    const size_t offset = ReadFile(log).size();
    pid = SpawnBinary({"serve"}, log, environment);
    ASSERT_GT(pid, 0);
    const int found = WaitForPort(log, offset, std::chrono::seconds(30));
    ASSERT_NE(found, 0) << ReadFile(log);
    port = found;
  };
  start();

  // The client walks through the steps, retrying a step until it gets a
  // 2xx. A 409 for a parlay batch means an earlier attempt stored it and
  // lost the response. It records the games the service confirmed; every
  // parlay batch ends confirmed or already stored, so all parlays must be
  // stored. It paces its steps so that the kills spread over its work.
  std::map<std::string, json> confirmed_games;
  std::atomic<int> unanswered{0};
  std::thread client([&] {
    for (const Step& step : steps) {
      while (true) {
        httplib::Client http("127.0.0.1", port.load());
        http.set_connection_timeout(1, 0);
        http.set_read_timeout(10, 0);
        httplib::Result result =
            http.Post(step.path, step.body.dump(), "application/json");
        if (result && result->status / 100 == 2) {
          if (step.parlay_ids.empty()) {
            confirmed_games[step.body["id"]] = step.body;
          }
          break;
        }
        if (result && result->status == 409 && !step.parlay_ids.empty()) {
          break;  // stored by an attempt whose response was lost
        }
        if (result && result->status / 100 == 4) {
          ADD_FAILURE() << step.path << " rejected: " << result->body;
          break;
        }
        ++unanswered;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
  });

  int delivered = 0;
  for (int i = 0; i < kills; ++i) {
    std::this_thread::sleep_for(
        std::chrono::milliseconds(100 + random() % 400));
    ASSERT_EQ(kill(pid, SIGKILL), 0);
    ASSERT_EQ(WaitForExit(pid), -SIGKILL);
    ++delivered;
    {
      DatabaseProbe db(database.url());
      ExpectNothingHalfApplied(db, "after kill " + std::to_string(delivered));
    }
    start();
  }
  client.join();
  EXPECT_EQ(delivered, kills);

  // The last process settles whatever is left.
  DatabaseProbe db(database.url());
  const auto deadline = SteadyClock::now() + std::chrono::seconds(60);
  while (db.Count("SELECT COUNT(*) FROM legs WHERE status = 'PENDING'") > 0 &&
         SteadyClock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  kill(pid, SIGTERM);
  EXPECT_EQ(WaitForExit(pid), 0) << ReadFile(log);
  std::cout << "serve kills survived: " << delivered
            << ", requests without a response: " << unanswered << "\n";

  // Every confirmed game is stored as last confirmed.
  EXPECT_EQ(confirmed_games.size(), static_cast<size_t>(kGames));
  for (const auto& [id, game] : confirmed_games) {
    EXPECT_EQ(db.Count("SELECT COUNT(*) FROM games WHERE id = '" + id +
                       "' AND status = '" + game["status"].get<std::string>() +
                       "'"),
              1)
        << id;
  }
  // Every parlay is stored with all its legs and the outcome its games
  // imply, settled once.
  EXPECT_EQ(db.Count("SELECT COUNT(*) FROM parlays"),
            static_cast<int64_t>(expected.size()));
  int64_t total_legs = 0;
  int64_t won = 0;
  for (const auto& [id, parlay] : expected) {
    total_legs += static_cast<int64_t>(parlay.games.size());
    if (parlay.won()) ++won;
  }
  EXPECT_EQ(db.Count("SELECT COUNT(*) FROM legs"), total_legs);
  EXPECT_EQ(db.Count("SELECT COUNT(*) FROM legs WHERE status = 'PENDING'"), 0);
  EXPECT_EQ(db.Count("SELECT COUNT(*) FROM parlays WHERE status = 'WON'"),
            won);
  EXPECT_EQ(db.Count("SELECT COUNT(*) FROM parlays WHERE status = 'LOST'"),
            static_cast<int64_t>(expected.size()) - won);
  const std::vector<std::string> won_ids = db.Column(
      "SELECT id FROM parlays WHERE status = 'WON' ORDER BY id");
  for (const std::string& id : won_ids) {
    EXPECT_TRUE(expected.at(id).won()) << id;
  }
  EXPECT_EQ(db.Count("SELECT COUNT(*) FROM (SELECT parlay_id, leg_index, "
                     "entity FROM settlement_events GROUP BY parlay_id, "
                     "leg_index, entity HAVING COUNT(*) <> 1) AS t"),
            0);
  EXPECT_EQ(db.Count("SELECT COUNT(*) FROM (SELECT type, parlay_id, "
                     "leg_index FROM outbox GROUP BY type, parlay_id, "
                     "leg_index HAVING COUNT(*) <> 1) AS t"),
            0);
  ExpectNothingHalfApplied(db, "at the end");
  EXPECT_EQ(db.Count("SELECT COUNT(*) FROM outbox"),
            total_legs + static_cast<int64_t>(expected.size()));
}

INSTANTIATE_TEST_SUITE_P(Backends, CrashServeTest, testing::AllBackends(),
                         testing::BackendName);

}  // namespace
}  // namespace parlay
