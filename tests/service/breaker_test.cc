// CircuitBreaker transitions with a manual clock.

#include "service/breaker.h"

#include <gtest/gtest.h>

#include <vector>

#include "support/test_support.h"

namespace parlay::service {
namespace {

struct Change {
  BreakerState from;
  BreakerState to;
  int errors;
};

class BreakerTest : public ::testing::Test {
 protected:
  testing::ManualClock clock_{1'000'000};
  std::vector<Change> changes_;
  // Threshold 3, reset after 300 s.
  CircuitBreaker breaker_{
      3, 300'000, clock_,
      [this](BreakerState from, BreakerState to, const BreakerSnapshot& now) {
        changes_.push_back({from, to, now.consecutive_errors});
      }};
};

TEST_F(BreakerTest, OpensAtThreshold) {
  breaker_.RecordFailure();
  breaker_.RecordFailure();
  EXPECT_EQ(breaker_.Snapshot().state, BreakerState::kClosed);
  EXPECT_TRUE(breaker_.AllowCycle());
  breaker_.RecordFailure();

  BreakerSnapshot open = breaker_.Snapshot();
  EXPECT_EQ(open.state, BreakerState::kOpen);
  EXPECT_EQ(open.consecutive_errors, 3);
  EXPECT_EQ(open.opened_at_ms, 1'000'000);
  EXPECT_EQ(open.trips, 1);
  ASSERT_EQ(changes_.size(), 1u);
  EXPECT_EQ(changes_[0].from, BreakerState::kClosed);
  EXPECT_EQ(changes_[0].to, BreakerState::kOpen);
  EXPECT_EQ(changes_[0].errors, 3);
}

TEST_F(BreakerTest, SuccessResetsCount) {
  breaker_.RecordFailure();
  breaker_.RecordFailure();
  breaker_.RecordSuccess();
  breaker_.RecordFailure();
  breaker_.RecordFailure();
  EXPECT_EQ(breaker_.Snapshot().state, BreakerState::kClosed);
  EXPECT_EQ(breaker_.Snapshot().consecutive_errors, 2);
  EXPECT_TRUE(changes_.empty());
}

TEST_F(BreakerTest, HalfOpenAfterResetPeriod) {
  for (int i = 0; i < 3; ++i) breaker_.RecordFailure();
  clock_.Advance(299'999);
  EXPECT_FALSE(breaker_.AllowCycle());
  clock_.Advance(1);
  EXPECT_TRUE(breaker_.AllowCycle());
  EXPECT_EQ(breaker_.Snapshot().state, BreakerState::kHalfOpen);

  // The trial fails: open again, timed from now.
  breaker_.RecordFailure();
  BreakerSnapshot reopened = breaker_.Snapshot();
  EXPECT_EQ(reopened.state, BreakerState::kOpen);
  EXPECT_EQ(reopened.opened_at_ms, 1'300'000);
  EXPECT_EQ(reopened.consecutive_errors, 4);
  EXPECT_EQ(reopened.trips, 2);
  EXPECT_FALSE(breaker_.AllowCycle());

  // The next trial succeeds: closed.
  clock_.Advance(300'000);
  EXPECT_TRUE(breaker_.AllowCycle());
  breaker_.RecordSuccess();
  BreakerSnapshot closed = breaker_.Snapshot();
  EXPECT_EQ(closed.state, BreakerState::kClosed);
  EXPECT_EQ(closed.consecutive_errors, 0);
  EXPECT_FALSE(closed.opened_at_ms.has_value());

  // Every change was reported, in order.
  const std::vector<std::pair<BreakerState, BreakerState>> expected = {
      {BreakerState::kClosed, BreakerState::kOpen},
      {BreakerState::kOpen, BreakerState::kHalfOpen},
      {BreakerState::kHalfOpen, BreakerState::kOpen},
      {BreakerState::kOpen, BreakerState::kHalfOpen},
      {BreakerState::kHalfOpen, BreakerState::kClosed},
  };
  ASSERT_EQ(changes_.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(changes_[i].from, expected[i].first) << i;
    EXPECT_EQ(changes_[i].to, expected[i].second) << i;
  }
}

}  // namespace
}  // namespace parlay::service
