// Opens a Store from a database URL.

#include <string_view>

#include "store/store.h"

namespace parlay {
namespace {

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

}  // namespace

bool IsPostgresUrl(std::string_view url) {
  return StartsWith(url, "postgresql://") || StartsWith(url, "postgres://");
}

std::unique_ptr<Store> OpenStore(const std::string& url,
                                 const StoreOptions& options) {
  if (IsPostgresUrl(url)) {
    PostgresOptions postgres;
    postgres.statement_timeout_ms = options.statement_timeout_ms;
    postgres.migrate = options.migrate;
    return OpenPostgresStore(url, postgres);
  }
  std::string path = url;
  if (StartsWith(url, "sqlite://")) {
    // sqlite:///var/lib/x.db is the absolute path /var/lib/x.db, and
    // sqlite://x.db the relative path x.db.
    path = url.substr(std::string_view("sqlite://").size());
  } else if (url.find("://") != std::string::npos) {
    throw StoreError("unsupported database URL \"" + url +
                     "\": expected postgresql://..., sqlite:///path or a "
                     "file path");
  }
  if (path.empty()) {
    throw StoreError("database URL \"" + url + "\" names no file");
  }
  SqliteOptions sqlite;
  sqlite.busy_timeout_ms = options.busy_timeout_ms;
  sqlite.migrate = options.migrate;
  return OpenSqliteStore(path, sqlite);
}

}  // namespace parlay
