// The PostgreSQL schema as numbered migrations, mirroring the SQLite ones
// version for version.

#ifndef PARLAY_STORE_POSTGRES_SCHEMA_H_
#define PARLAY_STORE_POSTGRES_SCHEMA_H_

#include <span>

#include "store/sqlite_schema.h"

namespace parlay {

std::span<const Migration> PostgresMigrations();

}  // namespace parlay

#endif  // PARLAY_STORE_POSTGRES_SCHEMA_H_
