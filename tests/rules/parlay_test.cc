#include "rules/parlay.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "rules/money.h"

namespace parlay {
namespace {

// Odds built by hand, so these tests do not depend on ParseOdds.
Odds American(const std::string& text, int64_t numerator, int64_t denominator) {
  return Odds{text, numerator, denominator};
}

const Odds kMinus110 = American("-110", 21, 11);  // 1 + 100/110 = 21/11
const Odds kPlus150 = American("+150", 5, 2);     // 1 + 150/100 = 5/2
const Odds kEven = American("+100", 2, 1);        // 1 + 100/100 = 2
const Odds kDecimal191 = American("1.91", 191, 100);
const Odds kMaxAmerican = American("+1000000", 10001, 1);  // 1 + 10000

PricedLeg Leg(LegStatus status, const Odds& odds = kMinus110) {
  return PricedLeg{status, odds};
}

ParlayOutcome Derive(int64_t stake, const std::vector<PricedLeg>& legs) {
  return DeriveParlay(stake, legs);
}

TEST(DeriveParlayTest, ThreeWinningLegsAtMinus110) {
  // 10.00 USD = 1000 cents. (21/11)^3 = 9261/1331.
  // 1000 * 9261 / 1331 = 9,261,000 / 1331 = 6957.93 (1331 * 6957 =
  // 9,259,767, remainder 1,233), rounded down to 6957 = 69.57 USD.
  const ParlayOutcome outcome = Derive(
      1000, {Leg(LegStatus::kWon), Leg(LegStatus::kWon), Leg(LegStatus::kWon)});
  EXPECT_EQ(outcome.status, ParlayStatus::kWon);
  EXPECT_EQ(outcome.payout_minor, 6957);
  EXPECT_EQ(FormatAmount(outcome.payout_minor, 2), "69.57");
}

TEST(DeriveParlayTest, SingleWinningLeg) {
  // 1000 * 191/100 = 1910.
  EXPECT_EQ(Derive(1000, {Leg(LegStatus::kWon, kDecimal191)}),
            (ParlayOutcome{ParlayStatus::kWon, 1910}));
  // 1000 * 5/2 = 2500, exact.
  EXPECT_EQ(Derive(1000, {Leg(LegStatus::kWon, kPlus150)}),
            (ParlayOutcome{ParlayStatus::kWon, 2500}));
}

TEST(DeriveParlayTest, VoidLegReducesOdds) {
  // The void leg counts as 1: 1000 * 5/2 * 1 = 2500.
  EXPECT_EQ(Derive(1000, {Leg(LegStatus::kWon, kPlus150),
                          Leg(LegStatus::kVoid, kMinus110)}),
            (ParlayOutcome{ParlayStatus::kWon, 2500}));
  // A push counts as 1 too: 1000 * 21/11 = 1909.09, rounded down to 1909.
  EXPECT_EQ(Derive(1000, {Leg(LegStatus::kPush, kPlus150),
                          Leg(LegStatus::kWon, kMinus110)}),
            (ParlayOutcome{ParlayStatus::kWon, 1909}));
}

TEST(DeriveParlayTest, AllPushIsPush) {
  EXPECT_EQ(Derive(1000, {Leg(LegStatus::kPush), Leg(LegStatus::kPush)}),
            (ParlayOutcome{ParlayStatus::kPush, 1000}));
  EXPECT_EQ(Derive(1000, {Leg(LegStatus::kPush)}),
            (ParlayOutcome{ParlayStatus::kPush, 1000}));
}

TEST(DeriveParlayTest, AllVoidIsVoid) {
  EXPECT_EQ(Derive(1000, {Leg(LegStatus::kVoid), Leg(LegStatus::kVoid),
                          Leg(LegStatus::kVoid)}),
            (ParlayOutcome{ParlayStatus::kVoid, 1000}));
  EXPECT_EQ(Derive(1000, {Leg(LegStatus::kVoid)}),
            (ParlayOutcome{ParlayStatus::kVoid, 1000}));
}

TEST(DeriveParlayTest, PushAndVoidIsPush) {
  EXPECT_EQ(Derive(1000, {Leg(LegStatus::kVoid), Leg(LegStatus::kPush)}),
            (ParlayOutcome{ParlayStatus::kPush, 1000}));
  EXPECT_EQ(Derive(1000, {Leg(LegStatus::kPush), Leg(LegStatus::kVoid),
                          Leg(LegStatus::kVoid)}),
            (ParlayOutcome{ParlayStatus::kPush, 1000}));
}

TEST(DeriveParlayTest, LostLegLosesAtOnce) {
  const ParlayOutcome expected{ParlayStatus::kLost, 0};
  // Other legs still pending do not delay a loss.
  EXPECT_EQ(Derive(1000, {Leg(LegStatus::kPending), Leg(LegStatus::kLost),
                          Leg(LegStatus::kWon)}),
            expected);
  EXPECT_EQ(Derive(1000, {Leg(LegStatus::kLost), Leg(LegStatus::kPending)}),
            expected);
  EXPECT_EQ(Derive(1000, {Leg(LegStatus::kWon), Leg(LegStatus::kWon),
                          Leg(LegStatus::kLost)}),
            expected);
  EXPECT_EQ(Derive(1000, {Leg(LegStatus::kVoid), Leg(LegStatus::kLost)}),
            expected);
  EXPECT_EQ(Derive(1000, {Leg(LegStatus::kHalfWon), Leg(LegStatus::kLost)}),
            expected);
}

TEST(DeriveParlayTest, PendingLegKeepsParlayPending) {
  const ParlayOutcome expected{ParlayStatus::kPending, 0};
  EXPECT_EQ(Derive(1000, {Leg(LegStatus::kWon), Leg(LegStatus::kPending)}),
            expected);
  EXPECT_EQ(Derive(1000, {Leg(LegStatus::kPending)}), expected);
  EXPECT_EQ(Derive(1000, {Leg(LegStatus::kVoid), Leg(LegStatus::kPending)}),
            expected);
  EXPECT_EQ(Derive(1000, {Leg(LegStatus::kPush), Leg(LegStatus::kPending),
                          Leg(LegStatus::kHalfLost)}),
            expected);
}

TEST(DeriveParlayTest, HalfWonLegs) {
  // HALF_WON at -110 multiplies by (21/11 + 1) / 2 = (32/11) / 2 = 16/11.
  // With a win at +100: 16/11 * 2 = 32/11. 1000 * 32/11 = 2909.09 -> 2909.
  EXPECT_EQ(Derive(1000, {Leg(LegStatus::kHalfWon, kMinus110),
                          Leg(LegStatus::kWon, kEven)}),
            (ParlayOutcome{ParlayStatus::kWon, 2909}));
  // Alone at -110: 1000 * 16/11 = 1454.54 -> 1454.
  EXPECT_EQ(Derive(1000, {Leg(LegStatus::kHalfWon, kMinus110)}),
            (ParlayOutcome{ParlayStatus::kWon, 1454}));
  // Alone at 1.91: (191/100 + 1) / 2 = 291/200. 1000 * 291/200 = 1455.
  EXPECT_EQ(Derive(1000, {Leg(LegStatus::kHalfWon, kDecimal191)}),
            (ParlayOutcome{ParlayStatus::kWon, 1455}));
}

TEST(DeriveParlayTest, HalfLostLegs) {
  // HALF_LOST multiplies by 1/2. With a win at +150: 1/2 * 5/2 = 5/4 > 1.
  // 1000 * 5/4 = 1250.
  EXPECT_EQ(Derive(1000, {Leg(LegStatus::kHalfLost, kMinus110),
                          Leg(LegStatus::kWon, kPlus150)}),
            (ParlayOutcome{ParlayStatus::kWon, 1250}));
  // With only a push besides: 1/2 < 1, so LOST with half the stake back.
  EXPECT_EQ(Derive(1000, {Leg(LegStatus::kHalfLost), Leg(LegStatus::kPush)}),
            (ParlayOutcome{ParlayStatus::kLost, 500}));
  // Alone: 1000 * 1/2 = 500.
  EXPECT_EQ(Derive(1000, {Leg(LegStatus::kHalfLost)}),
            (ParlayOutcome{ParlayStatus::kLost, 500}));
  // An odd stake: 999 * 1/2 = 499.5 -> 499.
  EXPECT_EQ(Derive(999, {Leg(LegStatus::kHalfLost)}),
            (ParlayOutcome{ParlayStatus::kLost, 499}));
  // With a win at +100: 1/2 * 2 = 1 exactly, so PUSH and the stake back.
  EXPECT_EQ(Derive(1000, {Leg(LegStatus::kHalfLost, kMinus110),
                          Leg(LegStatus::kWon, kEven)}),
            (ParlayOutcome{ParlayStatus::kPush, 1000}));
  // With a half win at +100: 1/2 * (2 + 1) / 2 = 3/4 < 1. 1000 * 3/4 = 750.
  EXPECT_EQ(Derive(1000, {Leg(LegStatus::kHalfLost, kMinus110),
                          Leg(LegStatus::kHalfWon, kEven)}),
            (ParlayOutcome{ParlayStatus::kLost, 750}));
  // Two half losses: 1/2 * 1/2 = 1/4. 1000 * 1/4 = 250.
  EXPECT_EQ(
      Derive(1000, {Leg(LegStatus::kHalfLost), Leg(LegStatus::kHalfLost)}),
      (ParlayOutcome{ParlayStatus::kLost, 250}));
}

TEST(DeriveParlayTest, PayoutsRoundDown) {
  // 1 cent at -110: 21/11 = 1.909 -> 1.
  EXPECT_EQ(Derive(1, {Leg(LegStatus::kWon, kMinus110)}),
            (ParlayOutcome{ParlayStatus::kWon, 1}));
  // 10 cents at -110 twice: 10 * 441/121 = 4410/121 = 36.45 -> 36.
  EXPECT_EQ(Derive(10, {Leg(LegStatus::kWon), Leg(LegStatus::kWon)}),
            (ParlayOutcome{ParlayStatus::kWon, 36}));
  // A zero stake wins nothing but still counts as WON.
  EXPECT_EQ(Derive(0, {Leg(LegStatus::kWon)}),
            (ParlayOutcome{ParlayStatus::kWon, 0}));
}

TEST(DeriveParlayTest, PayoutInYen) {
  // JPY has no minor unit, so amounts are whole yen.
  // 1500 yen at 1.91 twice: (191/100)^2 = 36481/10000.
  // 1500 * 36481 / 10000 = 54,721,500 / 10000 = 5472.15 -> 5472 yen.
  const ParlayOutcome two_legs = Derive(
      1500,
      {Leg(LegStatus::kWon, kDecimal191), Leg(LegStatus::kWon, kDecimal191)});
  EXPECT_EQ(two_legs, (ParlayOutcome{ParlayStatus::kWon, 5472}));
  EXPECT_EQ(FormatAmount(two_legs.payout_minor, 0), "5472");

  // 333 yen at +150 and -110: 5/2 * 21/11 = 105/22.
  // 333 * 105 / 22 = 34,965 / 22 = 1589.32 (22 * 1589 = 34,958) -> 1589.
  EXPECT_EQ(Derive(333, {Leg(LegStatus::kWon, kPlus150),
                         Leg(LegStatus::kWon, kMinus110)}),
            (ParlayOutcome{ParlayStatus::kWon, 1589}));
}

TEST(DeriveParlayTest, LargeStakeStaysExact) {
  // 10^15 * 9261 = 9.261 * 10^18 is above INT64_MAX (about 9.223 * 10^18),
  // so only exact arithmetic gets this right.
  // 9,261,000,000,000,000,000 / 1331 = 6,957,926,371,149,511 remainder 859.
  EXPECT_EQ(Derive(kMaxAmountMinor, {Leg(LegStatus::kWon), Leg(LegStatus::kWon),
                                     Leg(LegStatus::kWon)}),
            (ParlayOutcome{ParlayStatus::kWon, 6'957'926'371'149'511}));
}

TEST(DeriveParlayTest, PayoutAboveInt64IsCapped) {
  // 10^15 * 10001^2 is about 10^23, far above INT64_MAX.
  EXPECT_EQ(
      Derive(kMaxAmountMinor, {Leg(LegStatus::kWon, kMaxAmerican),
                               Leg(LegStatus::kWon, kMaxAmerican)}),
      (ParlayOutcome{ParlayStatus::kWon, std::numeric_limits<int64_t>::max()}));
}

}  // namespace
}  // namespace parlay

namespace parlay {
namespace {

TEST(MaxPayoutTest, StaysWithinLimit) {
  // 10.00 at +150 and -110: 1000 * 5/2 * 21/11 = 52500 / 11 = 4772.7.
  std::vector<Odds> odds = {Odds{"+150", 5, 2}, Odds{"-110", 21, 11}};
  EXPECT_EQ(MaxPayoutMinor(1000, odds), 4772);
}

TEST(MaxPayoutTest, RejectsPayoutAboveLimit) {
  // 10^15 on two legs at +1000000 (decimal 10001) is about 10^23.
  std::vector<Odds> odds = {Odds{"+1000000", 10001, 1},
                            Odds{"+1000000", 10001, 1}};
  EXPECT_FALSE(MaxPayoutMinor(kMaxAmountMinor, odds).has_value());
  // Exactly the limit is accepted: 10^14 at decimal 10 pays 10^15.
  std::vector<Odds> ten = {Odds{"10", 10, 1}};
  EXPECT_EQ(MaxPayoutMinor(kMaxAmountMinor / 10, ten), kMaxAmountMinor);
  EXPECT_FALSE(MaxPayoutMinor(kMaxAmountMinor / 10 + 1, ten).has_value());
}

}  // namespace
}  // namespace parlay
