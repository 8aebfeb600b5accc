// Helpers of the reliability tests: child processes of the real binary,
// their logs, and SQL counts on either backend.

#ifndef PARLAY_TESTS_RELIABILITY_PROCESS_SUPPORT_H_
#define PARLAY_TESTS_RELIABILITY_PROCESS_SUPPORT_H_

#include <spdlog/logger.h>
#include <sqlite3.h>
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "store/postgres_db.h"

namespace parlay::reliability {

// Starts the parlay-settler binary with `arguments` and the test's
// environment plus `environment`, appending its output to `log_path`.
// Returns the process id, or -1 when it could not start.
pid_t SpawnBinary(const std::vector<std::string>& arguments,
                  const std::string& log_path,
                  const std::map<std::string, std::string>& environment = {});

// Waits for `pid` and returns its exit code, or -signal if a signal ended
// it.
int WaitForExit(pid_t pid);

// Returns the exit code as WaitForExit does, or nullopt while `pid` runs.
std::optional<int> PollExit(pid_t pid);

std::string ReadFile(const std::string& path);

// Waits up to `timeout` for the "listening on http://127.0.0.1:PORT" line
// of `serve` in `log_path` after byte `offset`. Returns the port, or 0.
int WaitForPort(const std::string& log_path, size_t offset,
                std::chrono::seconds timeout);

// Copies every line logged through spdlog's default logger while it
// exists, at info level and above, and restores the previous logger after.
class LogCapture {
 public:
  LogCapture();
  ~LogCapture();
  LogCapture(const LogCapture&) = delete;
  LogCapture& operator=(const LogCapture&) = delete;

  // The lines logged so far.
  std::string text();

 private:
  class Sink;
  std::shared_ptr<spdlog::logger> previous_;
  std::shared_ptr<Sink> sink_;
};

// Runs read-only SQL on a database of either backend, given as the URL the
// binary takes (a SQLite path or a postgresql:// URL).
class DatabaseProbe {
 public:
  explicit DatabaseProbe(const std::string& url);
  ~DatabaseProbe();
  DatabaseProbe(const DatabaseProbe&) = delete;
  DatabaseProbe& operator=(const DatabaseProbe&) = delete;

  // The first column of the first row, as an integer.
  int64_t Count(const std::string& sql);
  // The first column of every row, as text ("" for NULL).
  std::vector<std::string> Column(const std::string& sql);

 private:
  sqlite3* sqlite_ = nullptr;
  std::unique_ptr<PgConnection> postgres_;
};

// Checks the invariant of every committed state: each settled leg and
// parlay has one audit row and one outbox event that refers to it, and no
// others exist.
// `when` names the moment in failure messages.
void ExpectAuditMatchesSettled(DatabaseProbe& db, const std::string& when);

}  // namespace parlay::reliability

#endif  // PARLAY_TESTS_RELIABILITY_PROCESS_SUPPORT_H_
