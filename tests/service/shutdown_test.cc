// Runs the real `parlay-settler serve` as a child process, sends SIGTERM
// while it settles, and checks the exit code and the database.

#include <fcntl.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>

#include "service_fixture.h"

namespace parlay {
namespace {

using testing::PollUntil;

// Runs the binary with `arguments` and returns its exit code.
int RunBinary(const std::string& arguments) {
  const std::string command =
      std::string(PARLAY_BINARY) + " " + arguments + " > /dev/null 2>&1";
  const int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int64_t QueryInt(sqlite3* db, const char* sql) {
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v2(db, sql, -1, &statement, nullptr) != SQLITE_OK) {
    ADD_FAILURE() << sqlite3_errmsg(db) << " in " << sql;
    return -1;
  }
  int64_t value = -1;
  if (sqlite3_step(statement) == SQLITE_ROW) {
    value = sqlite3_column_int64(statement, 0);
  }
  sqlite3_finalize(statement);
  return value;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(ShutdownTest, SigtermMidSettlementExitsCleanly) {
  testing::TempDir dir;
  const std::string db = dir.File("shutdown.db");
  // Ten seasons with 20,000 parlays: enough work for many cycles of 100
  // games, so that the signal arrives while batches remain.
  ASSERT_EQ(RunBinary("--db " + db + " demo --no-settle --parlays 20000 " +
                      "--data " + PARLAY_SOURCE_DIR + "/data/nfl"),
            0);

  const std::string out_path = dir.File("serve.out");
  const std::string err_path = dir.File("serve.err");
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    setenv("FEATURE_SETTLEMENT", "true", 1);
    setenv("PORT", "0", 1);
    setenv("DATABASE_URL", db.c_str(), 1);
    setenv("SETTLEMENT_MAX_GAMES_PER_CYCLE", "100", 1);
    unsetenv("SETTLEMENT_ADMIN_TOKEN");
    const int out = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(out, STDOUT_FILENO);
    dup2(err, STDERR_FILENO);
    execl(PARLAY_BINARY, PARLAY_BINARY, "serve", nullptr);
    _exit(127);
  }

  // The first line names the port, which the kernel chose.
  int port = 0;
  ASSERT_TRUE(PollUntil([&] {
    std::smatch match;
    const std::string out = ReadFile(out_path);
    if (!std::regex_search(out, match, std::regex(":([0-9]+) "))) return false;
    port = std::stoi(match[1]);
    return true;
  })) << ReadFile(err_path);

  // Waits for the first settled parlays, then signals at once.
  httplib::Client client("127.0.0.1", port);
  ASSERT_TRUE(PollUntil([&] {
    auto result = client.Get("/health/settlement");
    if (!result || result->status != 200) return false;
    auto beat = nlohmann::json::parse(result->body, nullptr, false);
    return beat.is_object() &&
           beat["heartbeat"]["meta"]["parlays_settled"].is_number() &&
           beat["heartbeat"]["meta"]["parlays_settled"].get<int>() > 0;
  })) << ReadFile(err_path);
  ASSERT_EQ(kill(child, SIGTERM), 0);

  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status)) << "killed by signal " << WTERMSIG(status);
  EXPECT_EQ(WEXITSTATUS(status), 0) << ReadFile(err_path);
  const std::string log = ReadFile(err_path);
  EXPECT_NE(log.find("\"event\":\"signal_received\""), std::string::npos);
  EXPECT_NE(log.find("\"event\":\"service_stopped\""), std::string::npos);

  sqlite3* handle = nullptr;
  ASSERT_EQ(sqlite3_open(db.c_str(), &handle), SQLITE_OK);
  // It stopped mid-way: some legs are still pending.
  EXPECT_GT(QueryInt(handle,
                     "SELECT COUNT(*) FROM legs WHERE status = "
                     "'PENDING'"),
            0);
  const int64_t settled_legs =
      QueryInt(handle, "SELECT COUNT(*) FROM legs WHERE status != 'PENDING'");
  const int64_t settled_parlays = QueryInt(
      handle, "SELECT COUNT(*) FROM parlays WHERE status != 'PENDING'");
  EXPECT_GT(settled_legs, 0);
  // Every parlay whose legs are all settled was derived in the same batch.
  EXPECT_EQ(QueryInt(handle,
                     "SELECT COUNT(*) FROM parlays p WHERE p.status = "
                     "'PENDING' AND NOT EXISTS (SELECT 1 FROM legs l WHERE "
                     "l.parlay_id = p.id AND l.status = 'PENDING')"),
            0);
  // One audit row and one outbox event per transition, no more, no less.
  EXPECT_EQ(QueryInt(handle,
                     "SELECT COUNT(*) FROM settlement_events WHERE "
                     "entity = 'leg'"),
            settled_legs);
  EXPECT_EQ(QueryInt(handle,
                     "SELECT COUNT(*) FROM settlement_events WHERE "
                     "entity = 'parlay'"),
            settled_parlays);
  EXPECT_EQ(QueryInt(handle, "SELECT COUNT(*) FROM outbox"),
            settled_legs + settled_parlays);
  // The last heartbeat counts every parlay the worker settled.
  EXPECT_EQ(QueryInt(handle,
                     "SELECT total_parlays_settled FROM "
                     "worker_heartbeats"),
            settled_parlays);
  sqlite3_close(handle);
}

TEST(ShutdownTest, InvalidConfigurationExitsTwo) {
  testing::TempDir dir;
  const std::string command = "PORT=http " + std::string(PARLAY_BINARY) +
                              " --db " + dir.File("x.db") + " serve 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  char buffer[1024] = {};
  const size_t read = fread(buffer, 1, sizeof buffer - 1, pipe);
  const int status = pclose(pipe);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 2);
  EXPECT_NE(std::string(buffer, read)
                .find("invalid PORT \"http\" (from the environment)"),
            std::string::npos)
      << buffer;
}

}  // namespace
}  // namespace parlay
