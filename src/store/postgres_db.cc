#include "store/postgres_db.h"

#include <algorithm>
#include <chrono>
#include <thread>

#include "store/store.h"

namespace parlay {
namespace {

std::string ErrorText(const PGconn* connection, const PGresult* result) {
  std::string message =
      result ? PQresultErrorMessage(result) : PQerrorMessage(connection);
  while (!message.empty() &&
         (message.back() == '\n' || message.back() == ' ')) {
    message.pop_back();
  }
  if (result) {
    // The detail names the offending row, e.g. "Key (id)=(t-1) already
    // exists."
    const char* detail = PQresultErrorField(result, PG_DIAG_MESSAGE_DETAIL);
    if (detail) message += std::string(" ") + detail;
    const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE);
    if (state) message += std::string(" (SQLSTATE ") + state + ")";
  }
  return message;
}

}  // namespace

PgParams& PgParams::Add(std::string_view value) {
  values_.emplace_back(std::string(value));
  return *this;
}

PgParams& PgParams::Add(int64_t value) {
  values_.emplace_back(std::to_string(value));
  return *this;
}

PgParams& PgParams::Add(std::optional<int64_t> value) {
  return value ? Add(*value) : AddNull();
}

PgParams& PgParams::AddNull() {
  values_.emplace_back(std::nullopt);
  return *this;
}

std::vector<const char*> PgParams::Pointers() const {
  std::vector<const char*> pointers;
  pointers.reserve(values_.size());
  for (const auto& value : values_) {
    pointers.push_back(value ? value->c_str() : nullptr);
  }
  return pointers;
}

int64_t PgResult::affected_rows() const {
  const char* count = PQcmdTuples(result_.get());
  return (count && *count) ? std::stoll(count) : 0;
}

bool PgResult::IsNull(int row, int column) const {
  return PQgetisnull(result_.get(), row, column) != 0;
}

std::string PgResult::Text(int row, int column) const {
  return std::string(PQgetvalue(result_.get(), row, column),
                     PQgetlength(result_.get(), row, column));
}

int64_t PgResult::Int(int row, int column) const {
  return std::stoll(PQgetvalue(result_.get(), row, column));
}

std::optional<int64_t> PgResult::OptionalInt(int row, int column) const {
  if (IsNull(row, column)) return std::nullopt;
  return Int(row, column);
}

PgConnection::PgConnection(std::string url, PgConnectionOptions options)
    : url_(std::move(url)), options_(options) {
  Connect();
}

PgConnection::~PgConnection() { PQfinish(connection_); }

void PgConnection::Connect() {
  PQfinish(connection_);
  connection_ = PQconnectdb(url_.c_str());
  if (PQstatus(connection_) != CONNECTION_OK) {
    std::string message = ErrorText(connection_, nullptr);
    PQfinish(connection_);
    connection_ = nullptr;
    throw StoreError("postgres: cannot connect to " + RedactDatabaseUrl(url_) +
                     ": " + message);
  }
  // Notices such as "table already exists, skipping" are not errors;
  // the default processor would print them on standard error.
  PQsetNoticeProcessor(
      connection_, [](void*, const char*) {}, nullptr);
  if (options_.statement_timeout_ms > 0) {
    ExecuteScript("SET statement_timeout = " +
                  std::to_string(options_.statement_timeout_ms));
  }
}

void PgConnection::EnsureConnected() {
  if (connection_ != nullptr && PQstatus(connection_) == CONNECTION_OK) {
    return;
  }
  std::chrono::milliseconds wait(100);
  for (int attempt = 1;; ++attempt) {
    try {
      Connect();
      return;
    } catch (const StoreError&) {
      if (attempt >= options_.reconnect_attempts) throw;
    }
    std::this_thread::sleep_for(wait);
    wait *= 2;
  }
}

void PgConnection::CopyIn(std::string_view copy_sql, std::string_view rows) {
  EnsureConnected();
  std::string text(copy_sql);
  PGresult* start = PQexec(connection_, text.c_str());
  if (PQresultStatus(start) != PGRES_COPY_IN) {
    std::string message = ErrorText(connection_, start);
    PQclear(start);
    throw StoreError("postgres: copy failed: " + message + " (in: " +
                     text.substr(0, 200) + ")");
  }
  PQclear(start);

  // PQputCopyData takes an int length, so large batches go in pieces.
  constexpr size_t kPiece = 1 << 20;
  bool sent = true;
  for (size_t offset = 0; sent && offset < rows.size(); offset += kPiece) {
    const size_t size = std::min(kPiece, rows.size() - offset);
    sent = PQputCopyData(connection_, rows.data() + offset,
                         static_cast<int>(size)) == 1;
  }
  // With an error text, the server aborts the COPY and reports it.
  const char* failure = sent ? nullptr : "sending rows failed";
  if (PQputCopyEnd(connection_, failure) != 1) sent = false;

  std::string message;
  while (PGresult* result = PQgetResult(connection_)) {
    if (PQresultStatus(result) != PGRES_COMMAND_OK && message.empty()) {
      message = ErrorText(connection_, result);
    }
    PQclear(result);
  }
  if (!sent && message.empty()) message = ErrorText(connection_, nullptr);

  if (!message.empty()) {
    throw StoreError("postgres: copy failed: " + message + " (in: " +
                     text.substr(0, 200) + ")");
  }
}

void CopyRows::Separate() {
  if (row_started_) text_ += '\t';
  row_started_ = true;
}

CopyRows& CopyRows::Add(std::string_view text) {
  Separate();
  for (char c : text) {
    switch (c) {
      case '\\':
        text_ += "\\\\";
        break;
      case '\t':
        text_ += "\\t";
        break;
      case '\n':
        text_ += "\\n";
        break;
      case '\r':
        text_ += "\\r";
        break;
      default:
        text_ += c;
    }
  }
  return *this;
}

CopyRows& CopyRows::Add(int64_t number) {
  Separate();
  text_ += std::to_string(number);
  return *this;
}

CopyRows& CopyRows::Add(std::optional<int64_t> number) {
  return number ? Add(*number) : AddNull();
}

CopyRows& CopyRows::AddNull() {
  Separate();
  text_ += "\\N";
  return *this;
}

CopyRows& CopyRows::End() {
  text_ += '\n';
  row_started_ = false;
  return *this;
}

bool PgConnection::in_transaction() const {
  return connection_ != nullptr &&
         PQtransactionStatus(connection_) != PQTRANS_IDLE;
}

PgResult PgConnection::Execute(std::string_view sql, const PgParams& params) {
  EnsureConnected();
  std::string text(sql);
  std::vector<const char*> values = params.Pointers();
  const bool outside_transaction = !in_transaction();
  PGresult* raw = PQexecParams(connection_, text.c_str(), params.size(),
                               nullptr, values.data(), nullptr, nullptr, 0);
  ExecStatusType status = PQresultStatus(raw);
  if (status == PGRES_FATAL_ERROR && outside_transaction &&
      PQstatus(connection_) == CONNECTION_BAD) {
    // The server dropped the connection (restart, failover, idle timeout).
    // Outside a transaction nothing is lost, so reconnect and run the
    // statement once more; the stores' statements there are idempotent.
    PQclear(raw);
    EnsureConnected();
    raw = PQexecParams(connection_, text.c_str(), params.size(), nullptr,
                       values.data(), nullptr, nullptr, 0);
    status = PQresultStatus(raw);
  }
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    std::string message = ErrorText(connection_, raw);
    PQclear(raw);
    throw StoreError("postgres: statement failed: " + message + " (in: " +
                     text.substr(0, 200) + ")");
  }
  return PgResult(raw);
}

void PgConnection::ExecuteScript(std::string_view sql) {
  EnsureConnected();
  std::string text(sql);
  PGresult* result = PQexec(connection_, text.c_str());
  ExecStatusType status = PQresultStatus(result);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    std::string message = ErrorText(connection_, result);
    PQclear(result);
    throw StoreError("postgres: execute failed: " + message + " (in: " +
                     text.substr(0, 200) + ")");
  }
  PQclear(result);
}

std::string RedactDatabaseUrl(std::string_view url) {
  std::string text(url);
  size_t scheme = text.find("://");
  size_t at = text.find('@');
  if (scheme == std::string::npos || at == std::string::npos) return text;
  size_t colon = text.find(':', scheme + 3);
  if (colon == std::string::npos || colon > at) return text;
  return text.substr(0, colon + 1) + "***" + text.substr(at);
}

}  // namespace parlay
