#include "reliability/faulty_vfs.h"

#include <sqlite3.h>

#include <cstring>

namespace parlay::reliability {
namespace {

sqlite3_vfs* base_vfs = nullptr;
sqlite3_vfs faulty_vfs;
sqlite3_io_methods faulty_methods;

// Each open file: our methods, the path, then the base VFS's file object.
struct FaultyFile {
  sqlite3_file base;  // pMethods points to faulty_methods
  const char* path;
  sqlite3_file* real() { return reinterpret_cast<sqlite3_file*>(this + 1); }
};

FaultyFile* Cast(sqlite3_file* file) {
  return reinterpret_cast<FaultyFile*>(file);
}

int Close(sqlite3_file* file) {
  sqlite3_file* real = Cast(file)->real();
  return real->pMethods != nullptr ? real->pMethods->xClose(real) : SQLITE_OK;
}

int Read(sqlite3_file* file, void* buffer, int amount, sqlite3_int64 offset) {
  sqlite3_file* real = Cast(file)->real();
  return real->pMethods->xRead(real, buffer, amount, offset);
}

int Write(sqlite3_file* file, const void* buffer, int amount,
          sqlite3_int64 offset) {
  if (FaultyVfs::Install().ShouldFail(Cast(file)->path, false)) {
    return SQLITE_IOERR_WRITE;
  }
  sqlite3_file* real = Cast(file)->real();
  return real->pMethods->xWrite(real, buffer, amount, offset);
}

int Truncate(sqlite3_file* file, sqlite3_int64 size) {
  sqlite3_file* real = Cast(file)->real();
  return real->pMethods->xTruncate(real, size);
}

int Sync(sqlite3_file* file, int flags) {
  if (FaultyVfs::Install().ShouldFail(Cast(file)->path, true)) {
    return SQLITE_IOERR_FSYNC;
  }
  sqlite3_file* real = Cast(file)->real();
  return real->pMethods->xSync(real, flags);
}

int FileSize(sqlite3_file* file, sqlite3_int64* size) {
  sqlite3_file* real = Cast(file)->real();
  return real->pMethods->xFileSize(real, size);
}

int Lock(sqlite3_file* file, int level) {
  sqlite3_file* real = Cast(file)->real();
  return real->pMethods->xLock(real, level);
}

int Unlock(sqlite3_file* file, int level) {
  sqlite3_file* real = Cast(file)->real();
  return real->pMethods->xUnlock(real, level);
}

int CheckReservedLock(sqlite3_file* file, int* result) {
  sqlite3_file* real = Cast(file)->real();
  return real->pMethods->xCheckReservedLock(real, result);
}

int FileControl(sqlite3_file* file, int op, void* arg) {
  sqlite3_file* real = Cast(file)->real();
  return real->pMethods->xFileControl(real, op, arg);
}

int SectorSize(sqlite3_file* file) {
  sqlite3_file* real = Cast(file)->real();
  return real->pMethods->xSectorSize(real);
}

int DeviceCharacteristics(sqlite3_file* file) {
  sqlite3_file* real = Cast(file)->real();
  return real->pMethods->xDeviceCharacteristics(real);
}

int ShmMap(sqlite3_file* file, int page, int size, int extend,
           void volatile** memory) {
  sqlite3_file* real = Cast(file)->real();
  return real->pMethods->xShmMap(real, page, size, extend, memory);
}

int ShmLock(sqlite3_file* file, int offset, int count, int flags) {
  sqlite3_file* real = Cast(file)->real();
  return real->pMethods->xShmLock(real, offset, count, flags);
}

void ShmBarrier(sqlite3_file* file) {
  sqlite3_file* real = Cast(file)->real();
  real->pMethods->xShmBarrier(real);
}

int ShmUnmap(sqlite3_file* file, int delete_flag) {
  sqlite3_file* real = Cast(file)->real();
  return real->pMethods->xShmUnmap(real, delete_flag);
}

int Fetch(sqlite3_file* file, sqlite3_int64 offset, int amount, void** page) {
  sqlite3_file* real = Cast(file)->real();
  return real->pMethods->xFetch(real, offset, amount, page);
}

int Unfetch(sqlite3_file* file, sqlite3_int64 offset, void* page) {
  sqlite3_file* real = Cast(file)->real();
  return real->pMethods->xUnfetch(real, offset, page);
}

int Open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* file, int flags,
         int* out_flags) {
  FaultyFile* faulty = Cast(file);
  faulty->path = name;  // SQLite keeps the name valid until xClose
  faulty->base.pMethods = nullptr;
  int rc = base_vfs->xOpen(base_vfs, name, faulty->real(), flags, out_flags);
  if (rc == SQLITE_OK) faulty->base.pMethods = &faulty_methods;
  return rc;
}

int Delete(sqlite3_vfs*, const char* name, int sync_dir) {
  return base_vfs->xDelete(base_vfs, name, sync_dir);
}

int Access(sqlite3_vfs*, const char* name, int flags, int* result) {
  return base_vfs->xAccess(base_vfs, name, flags, result);
}

int FullPathname(sqlite3_vfs*, const char* name, int size, char* out) {
  return base_vfs->xFullPathname(base_vfs, name, size, out);
}

}  // namespace

FaultyVfs& FaultyVfs::Install() {
  static FaultyVfs* instance = [] {
    base_vfs = sqlite3_vfs_find(nullptr);
    faulty_vfs = *base_vfs;
    faulty_vfs.zName = "parlay-faulty";
    faulty_vfs.szOsFile =
        static_cast<int>(sizeof(FaultyFile)) + base_vfs->szOsFile;
    faulty_vfs.pNext = nullptr;
    faulty_vfs.xOpen = Open;
    faulty_vfs.xDelete = Delete;
    faulty_vfs.xAccess = Access;
    faulty_vfs.xFullPathname = FullPathname;
    // The unix VFS's methods are version 3: shared memory (WAL) and
    // memory-mapped reads.
    faulty_methods = sqlite3_io_methods{3,
                                        Close,
                                        Read,
                                        Write,
                                        Truncate,
                                        Sync,
                                        FileSize,
                                        Lock,
                                        Unlock,
                                        CheckReservedLock,
                                        FileControl,
                                        SectorSize,
                                        DeviceCharacteristics,
                                        ShmMap,
                                        ShmLock,
                                        ShmBarrier,
                                        ShmUnmap,
                                        Fetch,
                                        Unfetch};
    sqlite3_vfs_register(&faulty_vfs, 1);
    return new FaultyVfs();
  }();
  return *instance;
}

void FaultyVfs::Arm(const std::string& path_prefix, bool fail_writes,
                    bool fail_syncs) {
  std::lock_guard lock(mutex_);
  prefix_ = path_prefix;
  fail_writes_ = fail_writes;
  fail_syncs_ = fail_syncs;
}

void FaultyVfs::Disarm() {
  std::lock_guard lock(mutex_);
  fail_writes_ = false;
  fail_syncs_ = false;
}

bool FaultyVfs::ShouldFail(const char* path, bool is_sync) {
  if (path == nullptr) return false;
  std::lock_guard lock(mutex_);
  const bool armed = is_sync ? fail_syncs_ : fail_writes_;
  if (!armed || std::strncmp(path, prefix_.c_str(), prefix_.size()) != 0) {
    return false;
  }
  ++injected_;
  return true;
}

}  // namespace parlay::reliability
