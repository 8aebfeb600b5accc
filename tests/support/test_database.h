// Fresh databases for tests, on either backend. Tests that exercise the
// store, the engine, the service or the feeds run once per backend.

#ifndef PARLAY_TESTS_SUPPORT_TEST_DATABASE_H_
#define PARLAY_TESTS_SUPPORT_TEST_DATABASE_H_

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "store/store.h"
#include "support/test_support.h"

namespace parlay::testing {

enum class Backend { kSqlite, kPostgres };

// A new, empty database for one test: a SQLite file in a temporary
// directory, or a new database on the PostgreSQL test server named by
// PARLAY_TEST_POSTGRES_URL (see scripts/with-postgres), dropped afterwards.
class TestDatabase {
 public:
  explicit TestDatabase(Backend backend);
  ~TestDatabase();
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  // Empty when the backend is not available here; see skip_reason().
  const std::string& url() const { return url_; }
  const std::string& skip_reason() const { return skip_reason_; }
  Backend backend() const { return backend_; }

  // Opens a new connection to the database (migrated).
  std::unique_ptr<Store> Open() const;

 private:
  Backend backend_;
  TempDir dir_;
  std::string url_;
  std::string name_;  // PostgreSQL database name
  std::string skip_reason_;
};

// "Sqlite" or "Postgres", for test names.
std::string BackendName(const ::testing::TestParamInfo<Backend>& info);

// Both backends, for INSTANTIATE_TEST_SUITE_P.
inline auto AllBackends() {
  return ::testing::Values(Backend::kSqlite, Backend::kPostgres);
}

}  // namespace parlay::testing

// Skips the test when `database` cannot run here. Fails it instead when
// PARLAY_REQUIRE_POSTGRES is set, as `make test` does, so that a missing
// server cannot pass for a green run.
#define PARLAY_REQUIRE_DATABASE(database)                                 \
  do {                                                                    \
    if ((database).url().empty()) {                                       \
      if (std::getenv("PARLAY_REQUIRE_POSTGRES") != nullptr) {            \
        FAIL() << (database).skip_reason();                               \
      }                                                                   \
      GTEST_SKIP() << (database).skip_reason();                           \
    }                                                                     \
  } while (false)

#endif  // PARLAY_TESTS_SUPPORT_TEST_DATABASE_H_
