// Parlay derivation: a ticket's status and exact payout from its legs.
// Pure functions; the rules are written out in docs/settlement-rules.md.

#ifndef PARLAY_RULES_PARLAY_H_
#define PARLAY_RULES_PARLAY_H_

#include <cstdint>
#include <optional>
#include <span>

#include "rules/odds.h"
#include "rules/types.h"

namespace parlay {

// One leg as parlay derivation sees it.
struct PricedLeg {
  LegStatus status = LegStatus::kPending;
  Odds odds;
};

// payout_minor is the amount returned to the bettor, stake included, in
// minor units: 0 for a lost or pending parlay, the stake for push and void.
struct ParlayOutcome {
  ParlayStatus status = ParlayStatus::kPending;
  int64_t payout_minor = 0;

  bool operator==(const ParlayOutcome&) const = default;
};

// Derives a parlay's outcome:
// - any LOST leg: LOST at once, even with legs still pending;
// - else any PENDING leg: PENDING;
// - else every leg PUSH or VOID: PUSH if any pushed, otherwise VOID, and
//   the stake comes back;
// - else payout = floor(stake x product of the leg multipliers), where WON
//   multiplies by the decimal odds, PUSH and VOID by 1, HALF_WON by
//   (odds + 1) / 2 and HALF_LOST by 1/2; the status is WON when the product
//   is above 1, PUSH when it is exactly 1 and LOST (with the partial
//   refund as payout) when it is below 1.
// REQUIRES: stake_minor >= 0 and legs is not empty.
ParlayOutcome DeriveParlay(int64_t stake_minor, std::span<const PricedLeg> legs);

// Returns how many of the legs are still PENDING.
int CountPendingLegs(std::span<const PricedLeg> legs);

// Returns the payout in minor units if every leg wins, floor(stake x
// product of the odds), or nullopt when it would exceed kMaxAmountMinor.
// Parlays are checked with it when placed, so that no settlement can
// produce a payout too large to store.
std::optional<int64_t> MaxPayoutMinor(int64_t stake_minor,
                                      std::span<const Odds> odds);

}  // namespace parlay

#endif  // PARLAY_RULES_PARLAY_H_
