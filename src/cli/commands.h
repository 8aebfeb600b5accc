// The command-line commands. Each returns the process exit code: 0 ok,
// 2 invalid input or usage, 1 any other failure.

#ifndef PARLAY_CLI_COMMANDS_H_
#define PARLAY_CLI_COMMANDS_H_

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace parlay::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitInvalid = 2;

// Thrown for bad input or usage; main() prints it and exits with 2.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct DemoOptions {
  std::string data_dir = "data/nfl";  // spreadspoke_scores.csv, nfl_teams.csv
  int first_season = 2015;
  int last_season = 2024;
  int parlays = 100'000;
  int max_legs = 6;
  uint64_t seed = 20150910;
  bool fresh = false;  // delete an existing database first
  bool settle = true;  // false: load only, e.g. for `serve` to settle
  std::string format = "text";
};

int ImportGamesCommand(const std::string& db,
                       const std::vector<std::string>& files,
                       bool skip_invalid);
int ImportParlaysCommand(const std::string& db,
                         const std::vector<std::string>& files,
                         bool skip_invalid);
int ImportNflCsvCommand(const std::string& db, const std::string& file,
                        const std::string& teams, bool skip_invalid);
// Legs a `settle` transaction settles on SQLite before it commits. A pass
// is a bulk job, so it commits rarely there: each commit rewrites every
// page the transaction touched, and a batch's parlays are spread over most
// pages of their table. Other writers wait for the commit.
inline constexpr int64_t kSqliteTransactionLegs = 500'000;

// Returns the --transaction-legs default for the database `db`:
// kSqliteTransactionLegs on SQLite, and 0 (commit every batch) on
// PostgreSQL, where a transaction of many batches was slower because the
// row versions it leaves cannot be pruned until it ends.
int64_t DefaultTransactionLegs(const std::string& db);

int SettleCommand(const std::string& db, bool dry_run,
                  const std::string& format, int batch_games,
                  int64_t transaction_legs, int max_games);
int ParlaysCommand(const std::string& db, const std::string& status,
                   const std::string& account, int limit,
                   const std::string& format);
int ParlayCommand(const std::string& db, const std::string& id,
                  const std::string& format);
int GamesCommand(const std::string& db, const std::string& status,
                 const std::string& format, int limit);
int VoidGameCommand(const std::string& db, const std::string& id,
                    const std::string& reason);
int EventsCommand(const std::string& db, int64_t after, int limit);
int DemoCommand(const std::string& db, const DemoOptions& options);

}  // namespace parlay::cli

#endif  // PARLAY_CLI_COMMANDS_H_
