// The settlement engine: grades the pending legs of gradable games in
// batches and derives the parlays those legs belong to.
//
// Each batch runs in one transaction: read the batch's pending legs in one
// query, grade them in memory, write the legs, then load only the parlays
// they touch, derive them and write parlays, audit rows and outbox events.
// Every write is conditional on the row still being pending, so settling
// twice changes nothing the second time.

#ifndef PARLAY_ENGINE_SETTLEMENT_H_
#define PARLAY_ENGINE_SETTLEMENT_H_

#include <cstdint>
#include <functional>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "rules/lifecycle.h"
#include "rules/types.h"
#include "store/store.h"
#include "util/time.h"

namespace parlay {

// Version of the grading rules, recorded with every audit row.
inline constexpr std::string_view kRulesVersion = "1";

struct SettleOptions {
  int batch_games = 256;  // games read, graded and written at a time
  // A transaction commits after the batch that brings the legs it settled
  // to at least this many; with 0, after every batch. Fewer commits write
  // each touched page fewer times. Memory holds one batch either way, but
  // the transaction keeps the write lock until it commits.
  int64_t transaction_legs = 0;
  int max_games = 0;     // games per pass; 0 means no limit
  // A dry run grades and derives the whole pass in one transaction, then
  // rolls back. So a parlay whose legs fall in different batches is
  // counted as a real pass would count it.
  bool dry_run = false;
  // Called at named points of a batch ("legs_written", "parlays_written",
  // "before_commit", and "committed" after a successful commit) with the
  // batch's game ids. A test makes it throw to simulate a failure there,
  // or kill the process to simulate a crash.
  std::function<void(std::string_view stage,
                     std::span<const std::string> game_ids)>
      fault_hook;
};

struct GameFailure {
  std::string game_id;
  std::string error;
};

// What one pass did. Amounts are per currency, in minor units.
struct SettleSummary {
  int games_graded = 0;
  std::map<LegStatus, int64_t> legs;
  std::map<ParlayStatus, int64_t> parlays;
  std::map<std::string, int64_t> staked;  // stakes of parlays settled
  std::map<std::string, int64_t> paid;    // payouts of parlays settled
  std::vector<std::string> games_needing_attention;
  std::vector<GameFailure> failures;
  int64_t duration_ms = 0;

  // Score corrections: games whose result changed after legs were settled.
  // Applied ones re-graded at least one leg; unchanged ones changed no
  // outcome; held ones arrived after the correction window and wait for an
  // operator (Game::attention).
  int64_t corrections_applied = 0;
  int64_t corrections_unchanged = 0;
  int64_t corrections_held = 0;
  int64_t legs_corrected = 0;     // settled legs whose status changed
  int64_t parlays_corrected = 0;  // settled parlays whose outcome changed
  int64_t postponed_games_voided = 0;

  int64_t legs_settled() const;
  int64_t parlays_settled() const;
};

// Thread-safety: one Engine per thread; it uses its Store exclusively.
class Engine {
 public:
  Engine(Store& store, const Clock& clock, LifecyclePolicy policy = {})
      : store_(store), clock_(clock), policy_(policy) {}

  // Checks the games whose result changed after settlement (score
  // corrections), voids the legs of games postponed past the limit, then
  // settles every gradable game with pending legs (up to max_games).
  SettleSummary SettleAll(const SettleOptions& options = {});

  // Settles the given games, in batches (see SettleOptions). If a
  // transaction fails, its games are retried one per transaction, so that
  // one bad game cannot hold back the rest. The pending legs of games
  // postponed past the policy's limit are voided. Other games that are not
  // gradable or have no pending legs are skipped.
  SettleSummary SettleGames(std::span<const std::string> game_ids,
                            const SettleOptions& options = {});

  // Checks the given games for score corrections, one transaction each.
  // The games come from Store::FindGamesWithChangedResults. Within the
  // policy's correction window, a changed result re-grades the settled
  // legs and re-derives their parlays. A later change is held for an
  // operator (Game::attention). A game that fails is rolled back, logged
  // and listed in the summary's failures.
  SettleSummary ApplyScoreCorrections(std::span<const std::string> game_ids);

  // Returns the ids of postponed games with pending legs whose scheduled
  // start is more than the policy's limit ago, earliest start first, at
  // most `limit`. SettleGames voids their legs. Returns none when the
  // policy turns postponement voiding off.
  std::vector<std::string> FindGamesPostponedPastLimit(int limit);

  // Marks a game cancelled with `reason` and voids its pending legs, in one
  // transaction. Throws StoreError if the game does not exist.
  SettleSummary VoidGame(std::string_view game_id, std::string_view reason);

  // Re-grades every settled leg of a game from its stored result, whatever
  // the correction window, re-derives the affected parlays, clears the
  // game's operator flag and then settles its pending legs. For an
  // operator who checked a held correction. Throws StoreError if the game
  // does not exist.
  SettleSummary ResettleGame(std::string_view game_id);

 private:
  // Settles batches of `game_ids` from `begin` in one transaction, until
  // they reach options.transaction_legs, and adds what it committed to
  // `summary`. Returns the end of the games it settled, and sets
  // `attempted` to the end of the batches it began. Throws on any failure,
  // having rolled back, with `attempted` set as well.
  size_t SettleTransaction(std::span<const std::string> game_ids,
                           size_t begin, const SettleOptions& options,
                           SettleSummary& summary, size_t& attempted);

  // Grades and writes inside `transaction`; adds to `summary`.
  void SettleInTransaction(Transaction& transaction,
                           std::span<const std::string> game_ids,
                           const SettleOptions& options,
                           SettleSummary& summary);

  // Re-grades the settled legs of one game whose result changed, in one
  // transaction. Outside the correction window, and unless `force`, only
  // flags the game for an operator. Adds to `summary`.
  void CheckChangedResult(const std::string& game_id, bool force,
                          SettleSummary& summary);

  Store& store_;
  const Clock& clock_;
  LifecyclePolicy policy_;
};

// Returns what grading reads from a stored game.
GameResult ToResult(const Game& game);

// The largest lifecycle limit accepted, in hours: one year.
inline constexpr int kMaxLifecycleLimitHours = 24 * 365;

// Reads the lifecycle limits from SETTLEMENT_POSTPONED_VOID_HOURS (default
// 48, 0 turns postponement voiding off) and
// SETTLEMENT_CORRECTION_WINDOW_HOURS (default 72). Throws
// std::invalid_argument naming the variable for a value that is not a
// whole number of hours from 0 to 8760.
LifecyclePolicy LifecyclePolicyFromEnvironment();

}  // namespace parlay

#endif  // PARLAY_ENGINE_SETTLEMENT_H_
