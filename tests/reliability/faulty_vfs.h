// A SQLite VFS for tests that forwards to the default VFS and makes
// xWrite or xSync fail on demand, as a failing disk would.

#ifndef PARLAY_TESTS_RELIABILITY_FAULTY_VFS_H_
#define PARLAY_TESTS_RELIABILITY_FAULTY_VFS_H_

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>

namespace parlay::reliability {

// Thread-safe. Faults apply only to files whose path starts with the
// prefix set by Arm, so other databases of the test binary are unaffected.
class FaultyVfs {
 public:
  // Registers the VFS as SQLite's default, once per process, and returns
  // it. Connections opened afterwards with the default VFS go through it.
  static FaultyVfs& Install();

  // From now on, fail every xWrite (with SQLITE_IOERR_WRITE) or every
  // xSync (with SQLITE_IOERR_FSYNC) of files under `path_prefix`.
  void Arm(const std::string& path_prefix, bool fail_writes, bool fail_syncs);
  void Disarm();

  // Calls failed on purpose since the process started.
  int64_t injected() const { return injected_.load(); }

  // Returns whether a call of the given kind on `path` must fail, and
  // counts it when it must.
  bool ShouldFail(const char* path, bool is_sync);

 private:
  FaultyVfs() = default;

  std::mutex mutex_;
  std::string prefix_;
  bool fail_writes_ = false;
  bool fail_syncs_ = false;
  std::atomic<int64_t> injected_{0};
};

}  // namespace parlay::reliability

#endif  // PARLAY_TESTS_RELIABILITY_FAULTY_VFS_H_
