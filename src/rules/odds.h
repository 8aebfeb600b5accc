// Exact odds. American (+150, -110) and decimal (1.91) odds are kept as
// given and converted to an exact decimal multiplier, a fraction of two
// integers, never a double.

#ifndef PARLAY_RULES_ODDS_H_
#define PARLAY_RULES_ODDS_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "util/result.h"

namespace parlay {

// Odds as a bettor wrote them, with the decimal multiplier (total return per
// unit staked, stake included) as the reduced fraction numerator/denominator.
// Invariant: numerator > denominator > 0, gcd(numerator, denominator) == 1.
struct Odds {
  std::string text;     // as given, e.g. "-110"
  int64_t numerator;    // -110 -> 21
  int64_t denominator;  // -110 -> 11

  bool operator==(const Odds&) const = default;
};

// Parses American odds ("+150", "-110", "100"; magnitude >= 100 and at most
// 1,000,000) or decimal odds ("1.91", "2", at most 6 decimals, above 1 and at
// most 1,000,000). A leading sign or a magnitude of 100 or more reads as
// American; anything else as decimal.
Result<Odds> ParseOdds(std::string_view text);

// Odds accepted on a newly placed leg: decimal 1.01 to 10000, which is
// American -10000 to +999900. ParseOdds reads a wider range, so that the
// error can name the problem. Legs already stored settle whatever their
// odds.
inline constexpr std::string_view kPlaceableOddsRange =
    "decimal odds from 1.01 to 10000 (American -10000 to +999900)";

// Returns whether `odds` lies within kPlaceableOddsRange, ends included.
bool IsPlaceableOdds(const Odds& odds);

}  // namespace parlay

#endif  // PARLAY_RULES_ODDS_H_
