#include "support/test_database.h"

#include <unistd.h>

#include <atomic>
#include <cstdlib>

#include "store/postgres_db.h"

namespace parlay::testing {
namespace {

std::atomic<int> database_counter{0};

// Replaces the database name (the path after the host) of a
// postgresql://user@host:port/name?options URL.
std::string WithDatabase(const std::string& url, const std::string& name) {
  size_t host = url.find("://");
  size_t slash = url.find('/', host + 3);
  size_t query = url.find('?', host + 3);
  std::string options = query == std::string::npos ? "" : url.substr(query);
  std::string base = url.substr(0, std::min(slash, query));
  return base + "/" + name + options;
}

}  // namespace

TestDatabase::TestDatabase(Backend backend) : backend_(backend) {
  if (backend == Backend::kSqlite) {
    url_ = dir_.File("test.db");
    return;
  }
  const char* server = std::getenv("PARLAY_TEST_POSTGRES_URL");
  if (server == nullptr || *server == '\0') {
    skip_reason_ =
        "PostgreSQL test server not configured: run the tests through "
        "scripts/with-postgres (make test does), which sets "
        "PARLAY_TEST_POSTGRES_URL";
    return;
  }
  name_ = "test_" + std::to_string(getpid()) + "_" +
          std::to_string(database_counter++);
  PgConnection admin(server, PgConnectionOptions{});
  admin.ExecuteScript("DROP DATABASE IF EXISTS " + name_);
  admin.ExecuteScript("CREATE DATABASE " + name_);
  url_ = WithDatabase(server, name_);
}

TestDatabase::~TestDatabase() {
  if (name_.empty()) return;
  try {
    PgConnection admin(std::getenv("PARLAY_TEST_POSTGRES_URL"),
                       PgConnectionOptions{});
    admin.ExecuteScript("DROP DATABASE IF EXISTS " + name_ +
                        " WITH (FORCE)");
  } catch (const StoreError&) {
    // The server may be stopped by the test; the cluster is thrown away
    // at the end of the run anyway.
  }
}

std::unique_ptr<Store> TestDatabase::Open() const { return OpenStore(url_); }

std::string BackendName(const ::testing::TestParamInfo<Backend>& info) {
  return info.param == Backend::kSqlite ? "Sqlite" : "Postgres";
}

}  // namespace parlay::testing
