// Thin RAII wrappers over the SQLite C API: a connection and prepared
// statements. Every failure throws StoreError with the SQL and SQLite's
// message.

#ifndef PARLAY_STORE_SQLITE_DB_H_
#define PARLAY_STORE_SQLITE_DB_H_

#include <sqlite3.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace parlay {

// A prepared statement. Bind with 1-based indexes, step, read columns with
// 0-based indexes. Reset() makes it reusable.
class SqliteStatement {
 public:
  SqliteStatement(sqlite3* db, std::string_view sql);
  ~SqliteStatement();
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;

  SqliteStatement& Bind(int index, int64_t value);
  SqliteStatement& Bind(int index, std::string_view value);
  SqliteStatement& Bind(int index, std::optional<int64_t> value);
  SqliteStatement& BindNull(int index);

  // Returns true while a row is available.
  bool Step();
  // Steps a statement that returns no rows.
  void Run();
  void Reset();

  bool IsNull(int column) const;
  int64_t Int(int column) const;
  std::optional<int64_t> OptionalInt(int column) const;
  std::string Text(int column) const;
  // The column's text without a copy, valid until the next Step or Reset.
  std::string_view TextView(int column) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* statement_ = nullptr;
  std::string sql_;
};

// A guard that resets a statement when its scope ends, also through an
// exception. A statement stopped before its last row keeps the
// connection's read snapshot until it is reset, so later reads on the
// connection would miss rows committed since.
// NOTE: most readers of SqliteStore reset their statement only at its next
// Prepare, so a row that fails to parse mid-read pins the snapshot of that
// connection until then.
class StatementReset {
 public:
  explicit StatementReset(SqliteStatement& statement)
      : statement_(statement) {}
  ~StatementReset() { statement_.Reset(); }
  StatementReset(const StatementReset&) = delete;
  StatementReset& operator=(const StatementReset&) = delete;

 private:
  SqliteStatement& statement_;
};

// An open database connection with a cache of prepared statements.
class SqliteDb {
 public:
  // Opens `path`; with `create` false a missing file is an error instead
  // of a new empty database.
  explicit SqliteDb(const std::string& path, bool create = true);
  ~SqliteDb();
  SqliteDb(const SqliteDb&) = delete;
  SqliteDb& operator=(const SqliteDb&) = delete;

  // Runs one or more statements that return no rows.
  void Execute(std::string_view sql);

  // Returns the cached statement for `sql`, reset and with bindings cleared.
  SqliteStatement& Prepare(const std::string& sql);

  int64_t Changes() const;
  sqlite3* handle() { return db_; }

 private:
  sqlite3* db_ = nullptr;
  std::map<std::string, std::unique_ptr<SqliteStatement>, std::less<>> cache_;
};

}  // namespace parlay

#endif  // PARLAY_STORE_SQLITE_DB_H_
