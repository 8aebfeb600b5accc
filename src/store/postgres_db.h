// Thin RAII wrappers over libpq: a connection that reconnects with backoff,
// query results, and text parameters. Every failure throws StoreError with
// the operation, PostgreSQL's message and its SQLSTATE.

#ifndef PARLAY_STORE_POSTGRES_DB_H_
#define PARLAY_STORE_POSTGRES_DB_H_

#include <libpq-fe.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace parlay {

// Query parameters, sent as text ($1, $2, ... in order of Add calls).
class PgParams {
 public:
  PgParams& Add(std::string_view value);
  PgParams& Add(int64_t value);
  PgParams& Add(std::optional<int64_t> value);
  PgParams& AddNull();

  int size() const { return static_cast<int>(values_.size()); }
  // Pointers into the stored values, nullptr for NULL; valid until the
  // next Add.
  std::vector<const char*> Pointers() const;

 private:
  std::vector<std::optional<std::string>> values_;
};

// The rows of one statement. Columns are 0-based.
class PgResult {
 public:
  explicit PgResult(PGresult* result) : result_(result, &PQclear) {}

  int rows() const { return PQntuples(result_.get()); }
  int64_t affected_rows() const;
  bool IsNull(int row, int column) const;
  std::string Text(int row, int column) const;
  int64_t Int(int row, int column) const;
  std::optional<int64_t> OptionalInt(int row, int column) const;

 private:
  std::unique_ptr<PGresult, decltype(&PQclear)> result_;
};

struct PgConnectionOptions {
  // Server-side limit of one statement; 0 leaves the server's default.
  int statement_timeout_ms = 30'000;
  // How often a lost connection is re-established before a call fails,
  // waiting 100 ms, 200 ms, 400 ms, ... between attempts.
  int reconnect_attempts = 3;
};

// One connection. Not thread-safe: one thread at a time.
class PgConnection {
 public:
  // Connects to `url` (postgresql://user@host:port/database?...).
  PgConnection(std::string url, PgConnectionOptions options);
  ~PgConnection();
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  // Runs one statement with parameters. If the connection was lost
  // outside a transaction, reconnects first (with backoff). Throws
  // StoreError on failure.
  PgResult Execute(std::string_view sql, const PgParams& params = {});

  // Runs statements without parameters (several may be separated by ';').
  void ExecuteScript(std::string_view sql);

  // Runs `copy_sql`, a COPY ... FROM STDIN, and sends `rows` in COPY's
  // text format (see CopyRows). Throws StoreError on failure.
  void CopyIn(std::string_view copy_sql, std::string_view rows);

  bool in_transaction() const;

 private:
  void Connect();
  void EnsureConnected();

  std::string url_;
  PgConnectionOptions options_;
  PGconn* connection_ = nullptr;
};

// Builds rows in COPY's text format: fields separated by tabs, rows ended
// by newlines, NULL written as \N.
class CopyRows {
 public:
  CopyRows& Add(std::string_view text);
  CopyRows& Add(int64_t number);
  CopyRows& Add(std::optional<int64_t> number);
  CopyRows& AddNull();
  // Ends the current row.
  CopyRows& End();

  const std::string& text() const { return text_; }

 private:
  void Separate();

  std::string text_;
  bool row_started_ = false;
};

// Returns `url` with any password replaced by "***", for logs and errors.
std::string RedactDatabaseUrl(std::string_view url);

}  // namespace parlay

#endif  // PARLAY_STORE_POSTGRES_DB_H_
