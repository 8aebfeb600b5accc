// The settlement worker: a thread that settles games in cycles.
//
// A cycle runs when a game becomes final through the API or a feed poll
// (at once), when an operator asks for one, when the previous cycle
// reached its game limit, and otherwise every sweep interval. It takes at
// most max_games_per_cycle games, in this order:
// - the games that became final since the last cycle, in arrival order;
// - games whose result changed after settlement (score corrections), each
//   checked in its own transaction;
// - the games Store::FindGamesToSettle returns (pending legs, oldest
//   first), then games postponed past the lifecycle limit, whose pending
//   legs are voided.
// In each group, games that failed in the previous cycle go last. The
// corrections run first, as in Engine::SettleAll, then the newly final
// games are settled, and then the other games to settle, in batches of at
// most batch_games, one transaction each. Backlog batches are sized from the
// time per game of the previous batch so that each takes about
// backlog_batch_time, and before each one the worker settles any games that
// became final since the cycle began. A game posted final therefore waits
// for about one backlog batch, not for the rest of the cycle.
//
// The worker never stops because of a settlement error. A game that fails
// is rolled back, logged with its id and counted, and the other games go
// on. A cycle that fails as a whole (an exception outside the engine, or
// every game failing) counts toward the circuit breaker. After every cycle
// the worker writes its heartbeat row, and after a cycle that attempted
// games or failed it adds the outcome to the hourly activity
// (service/activity.h).

#ifndef PARLAY_SERVICE_WORKER_H_
#define PARLAY_SERVICE_WORKER_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "engine/settlement.h"
#include "service/breaker.h"
#include "service/metrics.h"
#include "store/store.h"
#include "util/time.h"

namespace parlay::service {

struct WorkerOptions {
  std::string worker_id;
  bool enabled = false;  // settle at all (FEATURE_SETTLEMENT)
  // Sweep period, measured with std::chrono::steady_clock. Breaker and
  // heartbeat times come from the injected Clock instead.
  std::chrono::milliseconds interval{30'000};
  int max_games_per_cycle = 100;
  int batch_games = 64;
  // Target duration of one backlog transaction, which is how long a newly
  // final game may wait for the write lock behind the backlog.
  std::chrono::milliseconds backlog_batch_time{50};
  // Returns true while an API request uses a write connection. Between
  // backlog batches the worker waits up to one second for such requests,
  // because SQLite's busy handler retries only after sleeps and so would
  // let the worker take the write lock again first. Unset means no wait.
  std::function<bool()> api_writes_in_flight;
  // Held around each settlement batch when set. On SQLite the API's write
  // connections hold it too, so that a request waiting to write is woken
  // as soon as a batch commits instead of after a busy-handler sleep.
  std::mutex* write_mutex = nullptr;
  // Limits for voiding postponed games and applying score corrections.
  LifecyclePolicy lifecycle;
  int breaker_threshold = 5;
  int64_t breaker_reset_ms = 300'000;
};

enum class CycleOutcome {
  kCompleted,  // ran; single games may still have failed
  kFailed,     // failed as a whole
  kDisabled,   // settlement is switched off
  kSkipped,    // the circuit breaker is open
};

// "completed", "failed", "disabled", "skipped".
std::string_view ToString(CycleOutcome outcome);

// True for the statuses that let the worker settle a game's legs at once:
// final, and the void statuses (cancelled, abandoned, no contest). Games
// that reach them through the API or a feed poll wake the worker.
bool IsFinalOrVoid(GameStatus status);

struct CycleReport {
  int64_t number = 0;  // 1 for the first cycle after Start()
  CycleOutcome outcome = CycleOutcome::kCompleted;
  int64_t games_attempted = 0;
  SettleSummary summary;  // what the committed batches settled
  std::string error;      // why the cycle failed
  // A stop was requested during the cycle, so its remaining batches were
  // left for the next start.
  bool stopped_early = false;
};

// The worker's state for the health check and /metrics, read without
// touching the database.
struct WorkerStatus {
  bool running = false;
  bool enabled = false;
  BreakerSnapshot breaker;
  std::optional<int64_t> last_heartbeat_ms;  // Unix ms of the last written
  // Heartbeats written so far; it changes whenever the stored heartbeat
  // does, even when the clock has not moved.
  int64_t heartbeats_written = 0;
  int64_t cycles = 0;
};

// Thread-safety: every public method may be called from any thread. The
// worker's Store is used only by the worker's thread (and by Start()
// before the thread begins).
class SettlementWorker {
 public:
  SettlementWorker(WorkerOptions options, std::unique_ptr<Store> store,
                   const Clock& clock, ServiceMetrics& metrics);
  ~SettlementWorker();  // stops and joins
  SettlementWorker(const SettlementWorker&) = delete;
  SettlementWorker& operator=(const SettlementWorker&) = delete;

  // Writes the first heartbeat and starts the thread, which runs a cycle
  // at once. Throws StoreError when the heartbeat cannot be written.
  void Start();

  // Asks the thread to stop after the batch in flight; returns at once.
  void RequestStop();

  // Waits for the thread to end. REQUIRES: RequestStop() was called.
  void Join();

  // Wakes the worker for games that became final or were cancelled; they
  // go first in the next cycle. Remembers when each arrived, for the
  // final-to-settled latency.
  void NotifyFinalGames(std::span<const std::string> game_ids);

  // Asks for a cycle that starts after this call and waits for its report.
  // Returns nullopt when the worker stops or `timeout` passes first.
  std::optional<CycleReport> RunCycleNow(std::chrono::milliseconds timeout);

  // Switches settlement on or off and returns the previous value. Switching
  // it on starts a cycle at once.
  bool SetEnabled(bool enabled);
  bool enabled() const { return enabled_; }

  WorkerStatus Status() const;
  const std::string& id() const { return options_.worker_id; }

 private:
  void Run();
  CycleReport RunCycle();
  // Settles the cycle's games; throws when the cycle fails as a whole.
  void SettleCycle(std::vector<std::string> woken, CycleReport& report);
  // Checks up to `max_games` games whose result changed after settlement.
  // Returns how many it checked.
  size_t ApplyCorrections(size_t max_games, CycleReport& report);
  // Settles `games` in batches of batch_games, stopping between batches
  // when asked to.
  void SettleBatches(std::span<const std::string> games, CycleReport& report);
  // Settles backlog `games` in batches of about backlog_batch_time, and
  // the games that became final meanwhile ahead of each batch.
  void SettleBacklog(std::span<const std::string> games, CycleReport& report);
  // Waits while API requests hold write connections, at most
  // kMaxApiWriteWait (one second).
  void YieldToApiWrites();
  // Settles one batch of games in one transaction and records it.
  void SettleBatch(std::span<const std::string> games, CycleReport& report);
  // Returns up to `max_games` of `candidates` that are not in `chosen`,
  // with the games that failed in the previous cycle last, and adds them
  // to `chosen`.
  std::vector<std::string> ChooseGames(std::vector<std::string> candidates,
                                       size_t max_games,
                                       std::set<std::string>& chosen) const;
  // Takes up to max_games_per_cycle games from the woken queue.
  std::vector<std::string> TakeWokenGames();
  void ObserveLatency(std::span<const std::string> game_ids,
                      const SettleSummary& summary);
  void WriteHeartbeat(const CycleReport* report);

  const WorkerOptions options_;
  std::unique_ptr<Store> store_;
  const Clock& clock_;
  ServiceMetrics& metrics_;
  Engine engine_;
  CircuitBreaker breaker_;
  WorkerHeartbeat heartbeat_;  // worker thread only, after Start()
  // Games that failed in the last cycle that ran; worker thread only.
  std::unordered_set<std::string> failed_before_;
  // Games in the next backlog batch; worker thread only.
  size_t backlog_batch_games_ = 1;

  std::atomic<bool> enabled_;
  std::atomic<bool> running_{false};
  std::atomic<bool> stop_flag_{false};  // read between batches
  std::atomic<int64_t> last_heartbeat_ms_{-1};
  std::atomic<int64_t> heartbeats_written_{0};
  std::atomic<int64_t> cycles_{0};

  mutable std::mutex mutex_;
  std::condition_variable wake_;  // the worker waits on it
  std::condition_variable done_;  // RunCycleNow waits on it
  bool stop_requested_ = false;
  bool run_requested_ = false;  // backlog left, or settlement switched on
  std::vector<std::string> woken_games_;
  std::unordered_set<std::string> woken_set_;
  std::unordered_map<std::string, int64_t> final_received_ms_;
  int64_t manual_requested_ = 0;
  int64_t manual_served_ = 0;
  std::optional<CycleReport> last_report_;

  std::thread thread_;
};

}  // namespace parlay::service

#endif  // PARLAY_SERVICE_WORKER_H_
