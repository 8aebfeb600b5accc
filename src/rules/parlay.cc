#include "rules/parlay.h"

#include <gmpxx.h>

#include <limits>

#include "rules/money.h"

namespace parlay {
namespace {

mpq_class Multiplier(const PricedLeg& leg) {
  // GMP's rationals take `long`, which is 64 bits on the LP64 targets this
  // service builds for.
  static_assert(sizeof(long) == sizeof(int64_t));
  const mpq_class odds(mpz_class(static_cast<long>(leg.odds.numerator)),
                       mpz_class(static_cast<long>(leg.odds.denominator)));
  switch (leg.status) {
    case LegStatus::kWon:
      return odds;
    case LegStatus::kHalfWon:
      // Half the stake wins at the odds and the other half comes back.
      return (odds + 1) / 2;
    case LegStatus::kHalfLost:
      // Half the stake comes back and the other half is lost.
      return mpq_class(1, 2);
    default:
      // PUSH and VOID return the stake unchanged. LOST and PENDING never
      // reach here, because DeriveParlay decides those parlays first.
      return mpq_class(1);
  }
}

}  // namespace

int CountPendingLegs(std::span<const PricedLeg> legs) {
  int pending = 0;
  for (const PricedLeg& leg : legs) {
    if (leg.status == LegStatus::kPending) ++pending;
  }
  return pending;
}

ParlayOutcome DeriveParlay(int64_t stake_minor,
                           std::span<const PricedLeg> legs) {
  bool any_pending = false;
  bool any_push = false;
  bool all_push_or_void = true;
  for (const PricedLeg& leg : legs) {
    switch (leg.status) {
      case LegStatus::kLost:
        return {ParlayStatus::kLost, 0};
      case LegStatus::kPending:
        any_pending = true;
        break;
      case LegStatus::kPush:
        any_push = true;
        break;
      case LegStatus::kVoid:
        break;
      default:
        all_push_or_void = false;
        break;
    }
  }
  if (any_pending || legs.empty()) return {ParlayStatus::kPending, 0};
  if (all_push_or_void) {
    return {any_push ? ParlayStatus::kPush : ParlayStatus::kVoid, stake_minor};
  }

  mpq_class product(1);
  for (const PricedLeg& leg : legs) product *= Multiplier(leg);

  // Floor division rounds the payout down to a whole minor unit.
  const mpz_class exact_numerator =
      mpz_class(static_cast<long>(stake_minor)) * product.get_num();
  mpz_class payout;
  mpz_fdiv_q(payout.get_mpz_t(), exact_numerator.get_mpz_t(),
             product.get_den_mpz_t());
  // A payout above INT64_MAX minor units is capped there, because
  // ParlayOutcome cannot carry an error. Imports reject such parlays up
  // front (MaxPayoutMinor), so only a row written around them gets here.
  const int64_t payout_minor = payout.fits_slong_p()
                                   ? payout.get_si()
                                   : std::numeric_limits<int64_t>::max();

  const int comparison = cmp(product, 1);
  const ParlayStatus status = comparison > 0    ? ParlayStatus::kWon
                              : comparison == 0 ? ParlayStatus::kPush
                                                : ParlayStatus::kLost;
  return {status, payout_minor};
}

std::optional<int64_t> MaxPayoutMinor(int64_t stake_minor,
                                      std::span<const Odds> odds) {
  mpz_class numerator(static_cast<long>(stake_minor));
  mpz_class denominator(1);
  for (const Odds& leg : odds) {
    numerator *= static_cast<long>(leg.numerator);
    denominator *= static_cast<long>(leg.denominator);
  }
  mpz_class payout;
  mpz_fdiv_q(payout.get_mpz_t(), numerator.get_mpz_t(),
             denominator.get_mpz_t());
  if (payout > mpz_class(static_cast<long>(kMaxAmountMinor))) {
    return std::nullopt;
  }
  return payout.get_si();
}

}  // namespace parlay
