#include "service/breaker.h"

namespace parlay::service {

std::string_view ToString(BreakerState state) {
  switch (state) {
    case BreakerState::kClosed:
      return "closed";
    case BreakerState::kOpen:
      return "open";
    case BreakerState::kHalfOpen:
      return "half_open";
  }
  return "unknown";
}

CircuitBreaker::CircuitBreaker(int threshold, int64_t reset_ms,
                               const Clock& clock, ChangeListener on_change)
    : threshold_(threshold),
      reset_ms_(reset_ms),
      clock_(clock),
      on_change_(std::move(on_change)) {}

bool CircuitBreaker::AllowCycle() {
  BreakerSnapshot after;
  {
    std::lock_guard lock(mutex_);
    if (state_.state != BreakerState::kOpen) return true;
    if (clock_.NowMillis() - *state_.opened_at_ms < reset_ms_) return false;
    state_.state = BreakerState::kHalfOpen;
    after = state_;
  }
  Notify(BreakerState::kOpen, after);
  return true;
}

void CircuitBreaker::RecordSuccess() {
  BreakerState before;
  BreakerSnapshot after;
  {
    std::lock_guard lock(mutex_);
    before = state_.state;
    state_.consecutive_errors = 0;
    if (before == BreakerState::kClosed) return;
    state_.state = BreakerState::kClosed;
    state_.opened_at_ms.reset();
    after = state_;
  }
  Notify(before, after);
}

void CircuitBreaker::RecordFailure() {
  BreakerState before;
  BreakerSnapshot after;
  {
    std::lock_guard lock(mutex_);
    before = state_.state;
    ++state_.consecutive_errors;
    const bool opens = before == BreakerState::kHalfOpen ||
                       (before == BreakerState::kClosed &&
                        state_.consecutive_errors >= threshold_);
    if (!opens) return;
    state_.state = BreakerState::kOpen;
    state_.opened_at_ms = clock_.NowMillis();
    ++state_.trips;
    after = state_;
  }
  Notify(before, after);
}

BreakerSnapshot CircuitBreaker::Snapshot() const {
  std::lock_guard lock(mutex_);
  return state_;
}

void CircuitBreaker::Notify(BreakerState from, const BreakerSnapshot& now) {
  if (on_change_) on_change_(from, now.state, now);
}

}  // namespace parlay::service
