#include "store/sqlite_db.h"

#include "store/store.h"

namespace parlay {
namespace {

[[noreturn]] void Fail(sqlite3* db, std::string_view what,
                       std::string_view sql) {
  std::string message = "sqlite: " + std::string(what) + " failed: " +
                        sqlite3_errmsg(db);
  if (!sql.empty()) {
    message += " (in: " + std::string(sql.substr(0, 200)) + ")";
  }
  throw StoreError(message);
}

}  // namespace

SqliteStatement::SqliteStatement(sqlite3* db, std::string_view sql)
    : db_(db), sql_(sql) {
  if (sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()),
                         SQLITE_PREPARE_PERSISTENT, &statement_,
                         nullptr) != SQLITE_OK) {
    Fail(db, "prepare", sql);
  }
}

SqliteStatement::~SqliteStatement() { sqlite3_finalize(statement_); }

SqliteStatement& SqliteStatement::Bind(int index, int64_t value) {
  if (sqlite3_bind_int64(statement_, index, value) != SQLITE_OK) {
    Fail(db_, "bind", sql_);
  }
  return *this;
}

SqliteStatement& SqliteStatement::Bind(int index, std::string_view value) {
  if (sqlite3_bind_text(statement_, index, value.data(),
                        static_cast<int>(value.size()),
                        SQLITE_TRANSIENT) != SQLITE_OK) {
    Fail(db_, "bind", sql_);
  }
  return *this;
}

SqliteStatement& SqliteStatement::Bind(int index,
                                       std::optional<int64_t> value) {
  return value ? Bind(index, *value) : BindNull(index);
}

SqliteStatement& SqliteStatement::BindNull(int index) {
  if (sqlite3_bind_null(statement_, index) != SQLITE_OK) {
    Fail(db_, "bind", sql_);
  }
  return *this;
}

bool SqliteStatement::Step() {
  int rc = sqlite3_step(statement_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  Fail(db_, "step", sql_);
}

void SqliteStatement::Run() {
  while (Step()) {
  }
}

void SqliteStatement::Reset() {
  sqlite3_reset(statement_);
  sqlite3_clear_bindings(statement_);
}

bool SqliteStatement::IsNull(int column) const {
  return sqlite3_column_type(statement_, column) == SQLITE_NULL;
}

int64_t SqliteStatement::Int(int column) const {
  return sqlite3_column_int64(statement_, column);
}

std::optional<int64_t> SqliteStatement::OptionalInt(int column) const {
  if (IsNull(column)) return std::nullopt;
  return Int(column);
}

std::string SqliteStatement::Text(int column) const {
  const unsigned char* text = sqlite3_column_text(statement_, column);
  if (text == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(text),
                     sqlite3_column_bytes(statement_, column));
}

std::string_view SqliteStatement::TextView(int column) const {
  const unsigned char* text = sqlite3_column_text(statement_, column);
  if (text == nullptr) return {};
  return std::string_view(reinterpret_cast<const char*>(text),
                          sqlite3_column_bytes(statement_, column));
}

SqliteDb::SqliteDb(const std::string& path, bool create) {
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
  if (create) flags |= SQLITE_OPEN_CREATE;
  if (sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
    std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    db_ = nullptr;
    if (!create) {
      message +=
          "; this connection does not create the file, so check that the "
          "database still exists at that path (it may have been moved or "
          "deleted while the service ran)";
    }
    throw StoreError("sqlite: cannot open database \"" + path +
                     "\": " + message);
  }
  sqlite3_extended_result_codes(db_, 1);
}

SqliteDb::~SqliteDb() {
  cache_.clear();
  sqlite3_close(db_);
}

void SqliteDb::Execute(std::string_view sql) {
  std::string text(sql);
  char* error = nullptr;
  if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &error) !=
      SQLITE_OK) {
    std::string message = "sqlite: execute failed: " +
                          std::string(error ? error : "unknown error") +
                          " (in: " + text.substr(0, 200) + ")";
    sqlite3_free(error);
    throw StoreError(message);
  }
}

SqliteStatement& SqliteDb::Prepare(const std::string& sql) {
  auto found = cache_.find(sql);
  if (found == cache_.end()) {
    found =
        cache_.emplace(sql, std::make_unique<SqliteStatement>(db_, sql)).first;
  }
  found->second->Reset();
  return *found->second;
}

int64_t SqliteDb::Changes() const { return sqlite3_changes64(db_); }

}  // namespace parlay
