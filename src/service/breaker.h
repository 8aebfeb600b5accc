// The settlement worker's circuit breaker. A cycle that fails as a whole
// counts as a consecutive error. At the threshold the breaker opens and
// cycles are skipped until the reset period has passed. Then one trial
// cycle runs (half-open): success closes the breaker, failure opens it
// again.

#ifndef PARLAY_SERVICE_BREAKER_H_
#define PARLAY_SERVICE_BREAKER_H_

#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string_view>

#include "util/time.h"

namespace parlay::service {

enum class BreakerState { kClosed, kOpen, kHalfOpen };

// "closed", "open", "half_open".
std::string_view ToString(BreakerState state);

struct BreakerSnapshot {
  BreakerState state = BreakerState::kClosed;
  int consecutive_errors = 0;
  std::optional<int64_t> opened_at_ms;  // Unix ms; set unless closed
  int64_t trips = 0;                    // times it opened
};

// Thread-safe. Times come from the injected clock.
class CircuitBreaker {
 public:
  // Called after every state change, outside the breaker's lock.
  using ChangeListener = std::function<void(BreakerState from, BreakerState to,
                                            const BreakerSnapshot& now)>;

  // REQUIRES: threshold >= 1, reset_ms >= 0.
  CircuitBreaker(int threshold, int64_t reset_ms, const Clock& clock,
                 ChangeListener on_change);

  // Returns whether a cycle may run now. When open and the reset period
  // has passed since it opened, moves to half-open and returns true.
  bool AllowCycle();

  // Records a cycle that succeeded: closes the breaker.
  void RecordSuccess();

  // Records a cycle that failed as a whole. Opens the breaker at the
  // threshold, and from half-open at once.
  void RecordFailure();

  BreakerSnapshot Snapshot() const;

 private:
  void Notify(BreakerState from, const BreakerSnapshot& now);

  const int threshold_;
  const int64_t reset_ms_;
  const Clock& clock_;
  ChangeListener on_change_;
  mutable std::mutex mutex_;
  BreakerSnapshot state_;
};

}  // namespace parlay::service

#endif  // PARLAY_SERVICE_BREAKER_H_
