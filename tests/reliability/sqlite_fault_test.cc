// SQLite write and sync errors and a full disk during settlement: the
// batch rolls back, its games are reported with their ids, what was
// committed before stays, and the games settle once the fault clears.

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>

#include "engine/settlement.h"
#include "reliability/fault_data.h"
#include "reliability/faulty_vfs.h"
#include "reliability/process_support.h"
#include "support/test_support.h"

namespace parlay {
namespace {

using reliability::AddWonGames;
using reliability::FaultyVfs;
using reliability::GameIds;
using reliability::LogCapture;

std::vector<std::string> FailedIds(const SettleSummary& summary) {
  std::vector<std::string> ids;
  for (const GameFailure& failure : summary.failures) {
    ids.push_back(failure.game_id);
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

int64_t CountRows(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr),
            SQLITE_OK);
  sqlite3_stmt* statement = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &statement, nullptr),
            SQLITE_OK)
      << sqlite3_errmsg(db);
  int64_t count = -1;
  if (sqlite3_step(statement) == SQLITE_ROW) {
    count = sqlite3_column_int64(statement, 0);
  }
  sqlite3_finalize(statement);
  sqlite3_close(db);
  return count;
}

// Checks, on a new connection, that exactly the games in `settled` have
// their legs and parlays settled, each with one audit row and one outbox
// event, and that every other game's legs are still pending.
void ExpectSettledExactly(const std::string& path, int first, int count,
                          int parlays_per_game,
                          const std::vector<std::string>& settled) {
  const int64_t expected = static_cast<int64_t>(settled.size()) *
                           parlays_per_game;
  EXPECT_EQ(CountRows(path, "SELECT COUNT(*) FROM parlays WHERE status = "
                            "'WON'"),
            expected);
  EXPECT_EQ(CountRows(path, "SELECT COUNT(*) FROM legs WHERE status = 'WON'"),
            expected);
  EXPECT_EQ(CountRows(path, "SELECT COUNT(*) FROM legs WHERE status = "
                            "'PENDING'"),
            static_cast<int64_t>(count) * parlays_per_game - expected);
  EXPECT_EQ(CountRows(path, "SELECT COUNT(*) FROM settlement_events"),
            2 * expected);
  EXPECT_EQ(CountRows(path, "SELECT COUNT(*) FROM outbox"), 2 * expected);
  for (const std::string& id : GameIds(first, count)) {
    const bool is_settled =
        std::find(settled.begin(), settled.end(), id) != settled.end();
    EXPECT_EQ(CountRows(path, "SELECT COUNT(*) FROM legs WHERE game_id = '" +
                                  id + "' AND status = 'PENDING'"),
              is_settled ? 0 : parlays_per_game)
        << id;
  }
}

struct IoFault {
  const char* name;
  bool fail_writes;
  bool fail_syncs;
};

class SqliteIoFaultTest : public ::testing::TestWithParam<IoFault> {};

TEST_P(SqliteIoFaultTest, BatchRollsBackAndSettlesLater) {
  FaultyVfs& vfs = FaultyVfs::Install();
  testing::TempDir dir;
  const std::string path = dir.File("faults.db");
  constexpr int kParlays = 20;
  std::unique_ptr<Store> store = OpenStore(path);
  AddWonGames(*store, 0, 6, kParlays);
  testing::ManualClock clock;
  Engine engine(*store, clock);

  const std::vector<std::string> before = GameIds(0, 2);
  SettleSummary first = engine.SettleGames(before);
  ASSERT_TRUE(first.failures.empty());

  LogCapture log;
  const int64_t injected_before = vfs.injected();
  vfs.Arm(path, GetParam().fail_writes, GetParam().fail_syncs);
  SettleOptions options;
  options.batch_games = 3;
  const std::vector<std::string> faulted = GameIds(2, 3);
  SettleSummary failed = engine.SettleGames(faulted, options);
  vfs.Disarm();

  EXPECT_GT(vfs.injected(), injected_before) << "no fault was injected";
  ASSERT_EQ(FailedIds(failed), faulted);
  EXPECT_EQ(failed.legs_settled(), 0);
  EXPECT_EQ(failed.parlays_settled(), 0);
  const std::string text = log.text();
  for (const std::string& id : faulted) {
    EXPECT_NE(text.find("settlement failed, batch rolled back: game_id=" + id),
              std::string::npos)
        << text;
  }
  EXPECT_NE(failed.failures.front().error.find("disk I/O error"),
            std::string::npos)
      << failed.failures.front().error;
  ExpectSettledExactly(path, 0, 6, kParlays, before);

  // The fault cleared: the same connection settles the rest.
  SettleSummary after = engine.SettleAll();
  EXPECT_TRUE(after.failures.empty());
  EXPECT_EQ(after.parlays_settled(), 4 * kParlays);
  ExpectSettledExactly(path, 0, 6, kParlays, GameIds(0, 6));
}

INSTANTIATE_TEST_SUITE_P(Faults, SqliteIoFaultTest,
                         ::testing::Values(IoFault{"Write", true, false},
                                           IoFault{"Sync", false, true}),
                         [](const ::testing::TestParamInfo<IoFault>& info) {
                           return std::string(info.param.name);
                         });

// A tmpfs of 4 MiB mounted for the test, unmounted at the end. Needs root.
class SmallFilesystem {
 public:
  explicit SmallFilesystem(const std::string& path) : path_(path) {
    std::filesystem::create_directory(path);
    mounted_ = mount("tmpfs", path.c_str(), "tmpfs", 0, "size=4m") == 0;
    if (!mounted_) error_ = std::strerror(errno);
  }
  ~SmallFilesystem() {
    if (mounted_) umount2(path_.c_str(), MNT_DETACH);
  }
  bool mounted() const { return mounted_; }
  const std::string& error() const { return error_; }

 private:
  std::string path_;
  bool mounted_ = false;
  std::string error_;
};

// Writes zeros to `path` until the filesystem is full.
void FillFilesystem(const std::string& path) {
  FILE* file = std::fopen(path.c_str(), "wb");
  ASSERT_NE(file, nullptr);
  std::vector<char> block(4096, 0);
  while (std::fwrite(block.data(), 1, block.size(), file) == block.size()) {
  }
  std::fclose(file);
}

// Limits the size of the files this process writes (RLIMIT_FSIZE), with
// SIGXFSZ ignored so that a write past the limit fails with EFBIG instead
// of ending the process. Lift() or the destructor restores the old limit.
class FileSizeLimit {
 public:
  explicit FileSizeLimit(rlim_t bytes) {
    getrlimit(RLIMIT_FSIZE, &previous_);
    previous_handler_ = std::signal(SIGXFSZ, SIG_IGN);
    rlimit limited = previous_;
    limited.rlim_cur = bytes;
    active_ = setrlimit(RLIMIT_FSIZE, &limited) == 0;
  }
  ~FileSizeLimit() { Lift(); }
  void Lift() {
    if (!active_) return;
    setrlimit(RLIMIT_FSIZE, &previous_);
    std::signal(SIGXFSZ, previous_handler_);
    active_ = false;
  }
  bool active() const { return active_; }

 private:
  rlimit previous_{};
  void (*previous_handler_)(int) = SIG_DFL;
  bool active_ = false;
};

// Settles two of six games, empties the write-ahead log so that the next
// commit must write new space, calls `fill` to run out of space, and
// checks that a batch of three games rolls back with `expected_error`.
// Then calls `clear` and checks that the rest settles.
void ExpectFullDiskRecovery(const std::string& path,
                            const std::function<void()>& fill,
                            const std::function<void()>& clear,
                            const std::string& expected_error) {
  constexpr int kParlays = 50;
  {
    std::unique_ptr<Store> store = OpenStore(path);
    AddWonGames(*store, 0, 6, kParlays);
    testing::ManualClock clock;
    Engine engine(*store, clock);
    ASSERT_TRUE(engine.SettleGames(GameIds(0, 2)).failures.empty());

    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", nullptr,
                           nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(db);
    fill();

    LogCapture log;
    SettleOptions options;
    options.batch_games = 3;
    const std::vector<std::string> faulted = GameIds(2, 3);
    SettleSummary failed = engine.SettleGames(faulted, options);
    clear();
    EXPECT_EQ(FailedIds(failed), faulted);
    EXPECT_EQ(failed.legs_settled(), 0);
    ASSERT_FALSE(failed.failures.empty());
    EXPECT_NE(failed.failures.front().error.find(expected_error),
              std::string::npos)
        << failed.failures.front().error;
    EXPECT_NE(log.text().find("game_id=" + faulted.front()),
              std::string::npos)
        << log.text();
    ExpectSettledExactly(path, 0, 6, kParlays, GameIds(0, 2));

    // The space is back: the same connection settles the rest.
    SettleSummary after = engine.SettleAll();
    EXPECT_TRUE(after.failures.empty());
    EXPECT_EQ(after.parlays_settled(), 4 * kParlays);
  }
  ExpectSettledExactly(path, 0, 6, kParlays, GameIds(0, 6));
}

TEST(SqliteFullDiskTest, TmpfsBatchRollsBack) {
  testing::TempDir dir;
  SmallFilesystem disk(dir.File("disk"));
  if (!disk.mounted()) {
    GTEST_SKIP() << "cannot mount a tmpfs (needs root): " << disk.error()
                 << "; SqliteFullDiskTest.FileSizeLimitBatchRollsBack "
                    "covers the same case";
  }
  const std::string filler = dir.File("disk/filler");
  ExpectFullDiskRecovery(
      dir.File("disk/full.db"), [&] { FillFilesystem(filler); },
      [&] { std::filesystem::remove(filler); }, "database or disk is full");
}

// Without root: the write-ahead log cannot grow past 8 KiB, about one
// page, while the limit is set. SQLite reports EFBIG as an I/O error.
TEST(SqliteFullDiskTest, FileSizeLimitBatchRollsBack) {
  testing::TempDir dir;
  std::unique_ptr<FileSizeLimit> limit;
  ExpectFullDiskRecovery(
      dir.File("limited.db"),
      [&] {
        limit = std::make_unique<FileSizeLimit>(8192);
        ASSERT_TRUE(limit->active()) << std::strerror(errno);
      },
      [&] { limit.reset(); }, "disk I/O error");
}

}  // namespace
}  // namespace parlay
