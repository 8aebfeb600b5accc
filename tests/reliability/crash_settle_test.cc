// Settlement killed with SIGKILL at seeded random moments: while the data
// is loaded, mid-batch, just before and just after a commit, and between
// the leg and parlay writes. Restarted each time until it completes, the
// database must equal an uninterrupted run on a copy of the data.
//
// The size comes from the environment, so the long version is the same
// test: PARLAY_CRASH_LEGS (default 50,000), PARLAY_CRASH_KILLS (default
// 20) and PARLAY_CRASH_SEED. `make crash-test` runs 1,000,000 legs and 50
// kills on both backends.

#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <random>
#include <thread>

#include "reliability/process_support.h"
#include "support/test_database.h"
#include "support/test_support.h"

namespace parlay {
namespace {

using reliability::DatabaseProbe;
using reliability::PollExit;
using reliability::ReadFile;
using reliability::SpawnBinary;
using reliability::WaitForExit;
using testing::Backend;
using testing::TestDatabase;
using SteadyClock = std::chrono::steady_clock;

int64_t EnvironmentInt(const char* name, int64_t fallback) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') return fallback;
  return std::stoll(value);
}

struct CrashPlan {
  int64_t legs = 0;
  int kills = 0;
  uint32_t seed = 0;
  int parlays() const {
    // The demo places about 3.5 legs per parlay (1 to 6 legs).
    return static_cast<int>(std::max<int64_t>(1, legs * 2 / 7));
  }
};

CrashPlan PlanFromEnvironment() {
  CrashPlan plan;
  plan.legs = EnvironmentInt("PARLAY_CRASH_LEGS", 50'000);
  plan.kills = static_cast<int>(EnvironmentInt("PARLAY_CRASH_KILLS", 20));
  plan.seed = static_cast<uint32_t>(EnvironmentInt("PARLAY_CRASH_SEED",
                                                   20261204));
  return plan;
}

std::vector<std::string> DemoArguments(const std::string& url, int parlays) {
  return {"--db",       url,
          "demo",       "--no-settle",
          "--parlays",  std::to_string(parlays),
          "--data",     std::string(PARLAY_SOURCE_DIR) + "/data/nfl"};
}

double SecondsSince(SteadyClock::time_point start) {
  return std::chrono::duration<double>(SteadyClock::now() - start).count();
}

// Runs the binary to its end and returns its exit code.
int RunToEnd(const std::vector<std::string>& arguments,
             const std::string& log) {
  return WaitForExit(SpawnBinary(arguments, log));
}

// Starts the binary and kills it with SIGKILL after `delay` unless it ended
// first. Returns true when the kill landed while it ran.
bool RunAndKill(const std::vector<std::string>& arguments,
                const std::map<std::string, std::string>& environment,
                std::chrono::microseconds delay, const std::string& log) {
  const pid_t pid = SpawnBinary(arguments, log, environment);
  EXPECT_GT(pid, 0);
  const auto deadline = SteadyClock::now() + delay;
  while (SteadyClock::now() < deadline) {
    if (std::optional<int> code = PollExit(pid)) return *code == -SIGKILL;
    std::this_thread::sleep_for(std::chrono::microseconds(500));
  }
  kill(pid, SIGKILL);
  return WaitForExit(pid) == -SIGKILL;
}

// Compares two row lists and reports the first differences.
void ExpectSameRows(const std::vector<std::string>& got,
                    const std::vector<std::string>& expected,
                    const std::string& what) {
  ASSERT_EQ(got.size(), expected.size()) << what;
  int differences = 0;
  for (size_t i = 0; i < got.size(); ++i) {
    if (got[i] != expected[i] && ++differences <= 5) {
      ADD_FAILURE() << what << ": got " << got[i] << ", uninterrupted run "
                    << expected[i];
    }
  }
  EXPECT_EQ(differences, 0) << what;
}

// Checks the end state of the killed runs against the uninterrupted one.
void ExpectSameAsUninterrupted(DatabaseProbe& db, DatabaseProbe& reference) {
  const int64_t legs = db.Count("SELECT COUNT(*) FROM legs");
  const int64_t parlays = db.Count("SELECT COUNT(*) FROM parlays");
  EXPECT_EQ(legs, reference.Count("SELECT COUNT(*) FROM legs"));
  EXPECT_EQ(parlays, reference.Count("SELECT COUNT(*) FROM parlays"));
  EXPECT_EQ(legs, db.Count("SELECT SUM(leg_count) FROM parlays"))
      << "parlays stored without all their legs";
  EXPECT_EQ(db.Count("SELECT COUNT(*) FROM legs WHERE status = 'PENDING'"),
            reference.Count(
                "SELECT COUNT(*) FROM legs WHERE status = 'PENDING'"));

  // Every leg and parlay has exactly one audit row and one outbox event.
  EXPECT_EQ(db.Count("SELECT COUNT(*) FROM (SELECT parlay_id, leg_index "
                     "FROM settlement_events WHERE entity = 'leg' GROUP BY "
                     "parlay_id, leg_index HAVING COUNT(*) <> 1) AS t"),
            0)
      << "legs with duplicate audit rows";
  EXPECT_EQ(db.Count("SELECT COUNT(*) FROM (SELECT type, parlay_id, "
                     "leg_index FROM outbox GROUP BY type, parlay_id, "
                     "leg_index HAVING COUNT(*) <> 1) AS t"),
            0)
      << "duplicate outbox events";

  const std::string leg_rows =
      "SELECT game_id || ' ' || parlay_id || ' ' || leg_index || ' ' || "
      "status || ' ' || COALESCE(CAST(graded_home_score AS TEXT), '-') || "
      "' ' || COALESCE(CAST(graded_away_score AS TEXT), '-') FROM legs "
      "ORDER BY game_id, parlay_id, leg_index";
  ExpectSameRows(db.Column(leg_rows), reference.Column(leg_rows), "leg");
  const std::string parlay_rows =
      "SELECT id || ' ' || status || ' ' || COALESCE(CAST(payout_minor AS "
      "TEXT), '-') FROM parlays ORDER BY id";
  ExpectSameRows(db.Column(parlay_rows), reference.Column(parlay_rows),
                 "parlay");
  const std::string audit_rows =
      "SELECT entity || ' ' || parlay_id || ' ' || leg_index || ' ' || "
      "game_id || ' ' || old_status || ' ' || new_status || ' ' || "
      "COALESCE(CAST(payout_minor AS TEXT), '-') || ' ' || reason FROM "
      "settlement_events ORDER BY entity, parlay_id, leg_index";
  ExpectSameRows(db.Column(audit_rows), reference.Column(audit_rows),
                 "audit row");
  const std::string outbox_rows =
      "SELECT type || ' ' || parlay_id || ' ' || leg_index FROM outbox "
      "ORDER BY type, parlay_id, leg_index";
  ExpectSameRows(db.Column(outbox_rows), reference.Column(outbox_rows),
                 "outbox event");
}

class CrashTest : public ::testing::TestWithParam<Backend> {};

TEST_P(CrashTest, SettleSurvivesSigkill) {
  const CrashPlan plan = PlanFromEnvironment();
  TestDatabase target(GetParam());
  PARLAY_REQUIRE_DATABASE(target);
  TestDatabase copy(GetParam());
  testing::TempDir dir;
  const std::string log = dir.File("crash.log");
  std::mt19937 random(plan.seed);
  std::cout << "crash test: " << plan.legs << " legs, " << plan.kills
            << " kills, seed " << plan.seed << "\n";

  // The uninterrupted run, timed to spread the kills over the killed runs.
  auto started = SteadyClock::now();
  ASSERT_EQ(RunToEnd(DemoArguments(copy.url(), plan.parlays()), log), 0)
      << ReadFile(log);
  const double load_seconds = SecondsSince(started);
  started = SteadyClock::now();
  ASSERT_EQ(RunToEnd({"--db", copy.url(), "settle"}, log), 0) << ReadFile(log);
  const double settle_seconds = SecondsSince(started);
  std::cout << "uninterrupted run: load " << load_seconds << " s, settle "
            << settle_seconds << " s\n";
  DatabaseProbe reference(copy.url());
  const int64_t expected_parlays =
      reference.Count("SELECT COUNT(*) FROM parlays");
  const int64_t expected_legs = reference.Count("SELECT COUNT(*) FROM legs");

  // Kills during the load: the demo writes the games, then every parlay
  // with its legs in one transaction, so after a kill either all parlays
  // and legs are stored or none.
  int kills_left = plan.kills;
  int load_kills = 0;
  const int planned_load_kills = std::max(1, plan.kills / 5);
  int64_t stored_parlays = 0;
  for (int attempt = 0; stored_parlays == 0; ++attempt) {
    ASSERT_LT(attempt, plan.kills + 5) << ReadFile(log);
    if (load_kills < planned_load_kills) {
      std::uniform_real_distribution<double> fraction(0.2, 1.1);
      const auto delay = std::chrono::microseconds(
          static_cast<int64_t>(load_seconds * fraction(random) * 1e6));
      if (RunAndKill(DemoArguments(target.url(), plan.parlays()), {}, delay,
                     log)) {
        ++load_kills;
        --kills_left;
      }
    } else {
      ASSERT_EQ(RunToEnd(DemoArguments(target.url(), plan.parlays()), log),
                0)
          << ReadFile(log);
    }
    int64_t stored_legs = 0;
    try {
      DatabaseProbe db(target.url());
      stored_parlays = db.Count("SELECT COUNT(*) FROM parlays");
      stored_legs = db.Count("SELECT COUNT(*) FROM legs");
    } catch (const std::exception& error) {
      // Killed before the schema was created: nothing is stored yet.
      std::cout << "nothing stored yet: " << error.what() << "\n";
    }
    ASSERT_TRUE(stored_parlays == 0 || stored_parlays == expected_parlays)
        << "partial load: " << stored_parlays << " of " << expected_parlays
        << " parlays";
    ASSERT_EQ(stored_legs, stored_parlays == 0 ? 0 : expected_legs)
        << "partial load of legs";
  }

  // Kills during settlement, half at a random moment and half at a chosen
  // point of a chosen batch. Each share of the work left is small, so the
  // kills land before the work runs out.
  const std::vector<std::string> stages = {"legs_written", "parlays_written",
                                           "before_commit", "committed"};
  const std::vector<int> batch_sizes = {1, 4, 16, 64, 256};
  int settle_kills = 0;
  std::map<std::string, int> kills_by_point;
  DatabaseProbe db(target.url());
  const int64_t initial_pending_games = db.Count(
      "SELECT COUNT(DISTINCT game_id) FROM legs WHERE status = 'PENDING'");
  for (int attempt = 0; kills_left > 0; ++attempt) {
    ASSERT_LT(attempt, plan.kills * 4) << "kills do not land";
    const int64_t pending_games = db.Count(
        "SELECT COUNT(DISTINCT game_id) FROM legs WHERE status = 'PENDING'");
    ASSERT_GT(pending_games, 0)
        << "settlement finished with " << kills_left << " kills left";
    // A batch small enough that the work left lasts for every kill left.
    std::vector<int> sizes;
    for (int size : batch_sizes) {
      if (int64_t{size} * 2 * (kills_left + 1) <= pending_games) {
        sizes.push_back(size);
      }
    }
    if (sizes.empty()) sizes.push_back(1);
    const int batch = sizes[random() % sizes.size()];
    std::vector<std::string> settle = {"--db", target.url(), "settle",
                                       "--batch-games", std::to_string(batch)};
    std::map<std::string, std::string> environment;
    std::string point = "random moment";
    std::chrono::microseconds delay = std::chrono::seconds(60);
    // A chosen point counts batches, so each batch commits on its own. A
    // random moment may also fall in a transaction of several batches.
    int64_t transaction_legs = 0;
    const bool at_chosen_point = random() % 2 == 0;
    if (!at_chosen_point && random() % 2 == 0) transaction_legs = 2'000;
    settle.push_back("--transaction-legs");
    settle.push_back(std::to_string(transaction_legs));
    if (at_chosen_point) {
      const int64_t batches = (pending_games + batch - 1) / batch;
      const int64_t highest = std::max<int64_t>(1, batches / (kills_left + 1));
      const std::string stage = stages[random() % stages.size()];
      environment["PARLAY_TEST_SIGKILL_AT"] =
          stage + ":" + std::to_string(1 + random() % highest);
      point = stage;
    } else {
      const double work_left = static_cast<double>(pending_games) /
                               static_cast<double>(initial_pending_games);
      // At most the time the uninterrupted run took for a 1/(kills+1)
      // share of the work left, so even the last kill leaves work.
      std::uniform_real_distribution<double> share(
          0.0, settle_seconds * work_left / (kills_left + 1));
      delay = std::chrono::microseconds(
          20'000 + static_cast<int64_t>(share(random) * 1e6));
    }
    std::cout << "settle run: " << pending_games << " games pending, batch "
              << batch << ", transaction legs " << transaction_legs
              << ", kill at " << point << " "
              << (environment.empty()
                      ? std::to_string(delay.count() / 1000) + " ms"
                      : environment["PARLAY_TEST_SIGKILL_AT"])
              << "\n";
    if (RunAndKill(settle, environment, delay, log)) {
      ++settle_kills;
      --kills_left;
      ++kills_by_point[point];
      reliability::ExpectAuditMatchesSettled(db, "after kill " + std::to_string(settle_kills) +
                               " at " + point);
    }
  }

  // Restarted until it completes. On PostgreSQL a run may skip games that
  // a killed process's transaction still holds, so it may take more runs.
  for (int run = 0; run < 5; ++run) {
    ASSERT_EQ(RunToEnd({"--db", target.url(), "settle"}, log), 0)
        << ReadFile(log);
    if (db.Count("SELECT COUNT(*) FROM legs WHERE status = 'PENDING'") ==
        reference.Count(
            "SELECT COUNT(*) FROM legs WHERE status = 'PENDING'")) {
      break;
    }
  }

  std::cout << "kills survived: " << load_kills << " during the load, "
            << settle_kills << " during settlement (";
  for (const auto& [point, count] : kills_by_point) {
    std::cout << point << " " << count << "; ";
  }
  std::cout << ")\n";
  EXPECT_EQ(load_kills + settle_kills, plan.kills);
  ExpectSameAsUninterrupted(db, reference);
}

INSTANTIATE_TEST_SUITE_P(Backends, CrashTest, testing::AllBackends(),
                         testing::BackendName);

}  // namespace
}  // namespace parlay
