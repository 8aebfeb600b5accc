// Several settlement processes on one PostgreSQL database: every leg is
// settled exactly once, and the result equals a single worker's.

#include <gtest/gtest.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "store/postgres_db.h"
#include "support/test_database.h"
#include "support/test_support.h"

extern char** environ;

namespace parlay {
namespace {

using testing::Backend;
using testing::TestDatabase;

// Starts the binary with `arguments`, its output appended to `log_path`.
pid_t Spawn(const std::vector<std::string>& arguments,
            const std::string& log_path) {
  std::vector<std::string> argv_storage = {PARLAY_BINARY};
  argv_storage.insert(argv_storage.end(), arguments.begin(), arguments.end());
  std::vector<char*> argv;
  for (std::string& argument : argv_storage) argv.push_back(argument.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, log_path.c_str(),
                                   O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  pid_t pid = -1;
  int error = posix_spawn(&pid, PARLAY_BINARY, &actions, nullptr, argv.data(),
                          environ);
  posix_spawn_file_actions_destroy(&actions);
  return error == 0 ? pid : -1;
}

// Waits for `pid` and returns its exit code, or -signal if it was killed.
int Wait(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  if (WIFSIGNALED(status)) return -WTERMSIG(status);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1000;
}

int RunToEnd(const std::vector<std::string>& arguments,
             const std::string& log) {
  return Wait(Spawn(arguments, log));
}

std::string ReadLog(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Loads the same deterministic NFL demo data, unsettled.
void LoadDemo(const std::string& url, int parlays, const std::string& log) {
  ASSERT_EQ(RunToEnd({"--db", url, "demo", "--no-settle", "--parlays",
                 std::to_string(parlays), "--data",
                 std::string(PARLAY_SOURCE_DIR) + "/data/nfl"},
                log),
            0)
      << ReadLog(log);
}

int64_t Count(PgConnection& db, const std::string& sql) {
  return db.Execute(sql).Int(0, 0);
}

// Every parlay's id, status and payout, in id order.
std::vector<std::string> Outcomes(PgConnection& db) {
  PgResult rows = db.Execute(
      "SELECT id || ' ' || status || ' ' || COALESCE(payout_minor::text, "
      "'-') FROM parlays ORDER BY id");
  std::vector<std::string> outcomes;
  for (int row = 0; row < rows.rows(); ++row) {
    outcomes.push_back(rows.Text(row, 0));
  }
  return outcomes;
}

// Checks the invariants of a finished settlement on `db` against a
// single-worker run on `reference`.
void ExpectSettledOnce(PgConnection& db, PgConnection& reference) {
  const int64_t legs = Count(db, "SELECT COUNT(*) FROM legs");
  const int64_t parlays = Count(db, "SELECT COUNT(*) FROM parlays");
  EXPECT_EQ(Count(db, "SELECT COUNT(*) FROM legs WHERE status = 'PENDING'"),
            0);
  EXPECT_EQ(
      Count(db, "SELECT COUNT(*) FROM parlays WHERE status = 'PENDING'"), 0);
  // One audit row and one outbox event per leg and per parlay.
  EXPECT_EQ(Count(db, "SELECT COUNT(*) FROM settlement_events WHERE entity "
                      "= 'leg'"),
            legs);
  EXPECT_EQ(Count(db, "SELECT COUNT(*) FROM settlement_events WHERE entity "
                      "= 'parlay'"),
            parlays);
  EXPECT_EQ(Count(db, "SELECT COUNT(*) FROM outbox"), legs + parlays);
  EXPECT_EQ(Count(db, "SELECT COUNT(*) FROM (SELECT DISTINCT type, "
                      "parlay_id, leg_index FROM outbox) AS events"),
            legs + parlays)
      << "duplicate outbox events";
  std::vector<std::string> outcomes = Outcomes(db);
  std::vector<std::string> expected = Outcomes(reference);
  ASSERT_EQ(outcomes.size(), expected.size());
  int differences = 0;
  for (size_t i = 0; i < outcomes.size(); ++i) {
    if (outcomes[i] != expected[i] && ++differences <= 10) {
      ADD_FAILURE() << "got " << outcomes[i] << ", single worker "
                    << expected[i];
    }
  }
  EXPECT_EQ(differences, 0);
}

TEST(MultiWorkerTest, FourWorkersSettleEachLegOnce) {
  TestDatabase shared(Backend::kPostgres);
  PARLAY_REQUIRE_DATABASE(shared);
  TestDatabase reference(Backend::kPostgres);
  testing::TempDir dir;
  const std::string log = dir.File("workers.log");
  // 57,500 parlays of 1 to 6 legs on ten NFL seasons: over 200,000 legs.
  LoadDemo(shared.url(), 57'500, log);
  LoadDemo(reference.url(), 57'500, log);
  PgConnection db(shared.url(), PgConnectionOptions{});
  PgConnection single(reference.url(), PgConnectionOptions{});
  ASSERT_GE(Count(db, "SELECT COUNT(*) FROM legs"), 200'000);

  // Small batches, each committed on its own, make the workers contend
  // for the same games.
  std::vector<pid_t> workers;
  for (int i = 0; i < 4; ++i) {
    workers.push_back(Spawn(
        {"--db", shared.url(), "settle", "--batch-games", "8",
         "--transaction-legs", "0"}, log));
  }
  for (pid_t worker : workers) EXPECT_EQ(Wait(worker), 0) << ReadLog(log);
  ASSERT_EQ(RunToEnd({"--db", reference.url(), "settle"}, log), 0)
      << ReadLog(log);

  ExpectSettledOnce(db, single);
}

TEST(MultiWorkerTest, KilledWorkerLeavesNoPartialBatch) {
  TestDatabase shared(Backend::kPostgres);
  PARLAY_REQUIRE_DATABASE(shared);
  TestDatabase reference(Backend::kPostgres);
  testing::TempDir dir;
  const std::string log = dir.File("workers.log");
  LoadDemo(shared.url(), 30'000, log);
  LoadDemo(reference.url(), 30'000, log);
  PgConnection db(shared.url(), PgConnectionOptions{});
  PgConnection single(reference.url(), PgConnectionOptions{});

  pid_t victim =
      Spawn({"--db", shared.url(), "settle", "--batch-games", "4",
             "--transaction-legs", "0"},
            log);
  pid_t survivor =
      Spawn({"--db", shared.url(), "settle", "--batch-games", "4",
             "--transaction-legs", "0"},
            log);
  // Kill the first worker once it has committed some batches, so that it
  // dies with another in flight.
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (Count(db, "SELECT COUNT(*) FROM outbox") < 1000 &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_EQ(kill(victim, SIGKILL), 0);
  EXPECT_EQ(Wait(victim), -SIGKILL);
  EXPECT_EQ(Wait(survivor), 0) << ReadLog(log);
  // The survivor skipped the games the victim held when it started its
  // pass; the next pass, by any worker, settles what is left.
  ASSERT_EQ(RunToEnd({"--db", shared.url(), "settle"}, log), 0)
      << ReadLog(log);
  ASSERT_EQ(RunToEnd({"--db", reference.url(), "settle"}, log), 0)
      << ReadLog(log);

  ExpectSettledOnce(db, single);
}

}  // namespace
}  // namespace parlay
