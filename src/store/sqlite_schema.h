// The SQLite schema as numbered migrations. Migration N is applied once, in
// order, and recorded in schema_migrations.

#ifndef PARLAY_STORE_SQLITE_SCHEMA_H_
#define PARLAY_STORE_SQLITE_SCHEMA_H_

#include <span>
#include <string_view>

namespace parlay {

struct Migration {
  int version;
  std::string_view sql;
};

std::span<const Migration> SqliteMigrations();

}  // namespace parlay

#endif  // PARLAY_STORE_SQLITE_SCHEMA_H_
