#include "reliability/process_support.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <spawn.h>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>
#include <sys/wait.h>

#include <fstream>
#include <optional>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "store/store.h"

extern char** environ;

namespace parlay::reliability {

pid_t SpawnBinary(const std::vector<std::string>& arguments,
                  const std::string& log_path,
                  const std::map<std::string, std::string>& environment) {
  std::vector<std::string> argv_storage = {PARLAY_BINARY};
  argv_storage.insert(argv_storage.end(), arguments.begin(), arguments.end());
  std::vector<char*> argv;
  for (std::string& argument : argv_storage) argv.push_back(argument.data());
  argv.push_back(nullptr);

  std::vector<std::string> env_storage;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::string text(*entry);
    const std::string name = text.substr(0, text.find('='));
    if (!environment.contains(name)) env_storage.push_back(text);
  }
  for (const auto& [name, value] : environment) {
    env_storage.push_back(name + "=" + value);
  }
  std::vector<char*> envp;
  for (std::string& entry : env_storage) envp.push_back(entry.data());
  envp.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, log_path.c_str(),
                                   O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  pid_t pid = -1;
  const int error = posix_spawn(&pid, PARLAY_BINARY, &actions, nullptr,
                                argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  return error == 0 ? pid : -1;
}

namespace {

int DecodeStatus(int status) {
  if (WIFSIGNALED(status)) return -WTERMSIG(status);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1000;
}

}  // namespace

int WaitForExit(pid_t pid) {
  int status = 0;
  if (waitpid(pid, &status, 0) != pid) return -1000;
  return DecodeStatus(status);
}

std::optional<int> PollExit(pid_t pid) {
  int status = 0;
  const pid_t done = waitpid(pid, &status, WNOHANG);
  if (done == 0) return std::nullopt;
  if (done != pid) return -1000;
  return DecodeStatus(status);
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

int WaitForPort(const std::string& log_path, size_t offset,
                std::chrono::seconds timeout) {
  const std::regex listening("listening on http://127\\.0\\.0\\.1:(\\d+)");
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    const std::string text = ReadFile(log_path);
    std::smatch match;
    const std::string tail = text.size() > offset ? text.substr(offset) : "";
    if (std::regex_search(tail, match, listening)) {
      return std::stoi(match[1]);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return 0;
}

// Appends formatted lines to a string that text() copies under the same
// lock, so the test may read while other threads log.
class LogCapture::Sink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  std::string text() {
    std::lock_guard lock(mutex_);
    return text_;
  }

 protected:
  void sink_it_(const spdlog::details::log_msg& message) override {
    spdlog::memory_buf_t formatted;
    formatter_->format(message, formatted);
    text_.append(formatted.data(), formatted.size());
  }
  void flush_() override {}

 private:
  std::string text_;
};

LogCapture::LogCapture()
    : previous_(spdlog::default_logger()), sink_(std::make_shared<Sink>()) {
  auto logger = std::make_shared<spdlog::logger>("capture", sink_);
  logger->set_level(spdlog::level::info);
  spdlog::set_default_logger(logger);
}

LogCapture::~LogCapture() { spdlog::set_default_logger(previous_); }

std::string LogCapture::text() { return sink_->text(); }

DatabaseProbe::DatabaseProbe(const std::string& url) {
  if (IsPostgresUrl(url)) {
    postgres_ = std::make_unique<PgConnection>(url, PgConnectionOptions{});
    return;
  }
  if (sqlite3_open_v2(url.c_str(), &sqlite_, SQLITE_OPEN_READONLY,
                      nullptr) != SQLITE_OK) {
    const std::string message = sqlite3_errmsg(sqlite_);
    sqlite3_close(sqlite_);
    throw std::runtime_error("cannot open " + url + ": " + message);
  }
  sqlite3_busy_timeout(sqlite_, 10'000);
}

DatabaseProbe::~DatabaseProbe() { sqlite3_close(sqlite_); }

int64_t DatabaseProbe::Count(const std::string& sql) {
  const std::vector<std::string> rows = Column(sql);
  if (rows.empty()) throw std::runtime_error("no row from: " + sql);
  return std::stoll(rows.front());
}

std::vector<std::string> DatabaseProbe::Column(const std::string& sql) {
  std::vector<std::string> values;
  if (postgres_) {
    PgResult result = postgres_->Execute(sql);
    for (int row = 0; row < result.rows(); ++row) {
      values.push_back(result.IsNull(row, 0) ? "" : result.Text(row, 0));
    }
    return values;
  }
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v2(sqlite_, sql.c_str(), -1, &statement, nullptr) !=
      SQLITE_OK) {
    throw std::runtime_error(std::string("invalid SQL: ") +
                             sqlite3_errmsg(sqlite_) + " in " + sql);
  }
  int rc;
  while ((rc = sqlite3_step(statement)) == SQLITE_ROW) {
    const unsigned char* text = sqlite3_column_text(statement, 0);
    values.emplace_back(text == nullptr ? ""
                                        : reinterpret_cast<const char*>(text));
  }
  sqlite3_finalize(statement);
  if (rc != SQLITE_DONE) {
    throw std::runtime_error(std::string("query failed: ") +
                             sqlite3_errmsg(sqlite_) + " in " + sql);
  }
  return values;
}

void ExpectAuditMatchesSettled(DatabaseProbe& db, const std::string& when) {
  const int64_t legs_settled =
      db.Count("SELECT COUNT(*) FROM legs WHERE status <> 'PENDING'");
  const int64_t parlays_settled =
      db.Count("SELECT COUNT(*) FROM parlays WHERE status <> 'PENDING'");
  EXPECT_EQ(db.Count("SELECT COUNT(*) FROM settlement_events WHERE entity = "
                     "'leg'"),
            legs_settled)
      << when;
  EXPECT_EQ(db.Count("SELECT COUNT(*) FROM settlement_events WHERE entity = "
                     "'parlay'"),
            parlays_settled)
      << when;
  EXPECT_EQ(db.Count("SELECT COUNT(*) FROM outbox"),
            legs_settled + parlays_settled)
      << when;
  // Each event refers to the audit row of its own transition and stores no
  // copy of it.
  EXPECT_EQ(db.Count("SELECT COUNT(*) FROM outbox o JOIN settlement_events e "
                     "ON e.id = o.event_id AND e.parlay_id = o.parlay_id AND "
                     "e.leg_index = o.leg_index WHERE o.payload = '' AND "
                     "o.type = CASE e.entity WHEN 'leg' THEN 'leg_settled' "
                     "ELSE 'parlay_settled' END"),
            legs_settled + parlays_settled)
      << when;
}

}  // namespace parlay::reliability
