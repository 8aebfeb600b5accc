// Lines (spreads, totals, handicaps) are exact multiples of 0.25 and are
// stored as a count of quarter points: -4.5 is -18, 47.25 is 189.

#ifndef PARLAY_RULES_LINE_H_
#define PARLAY_RULES_LINE_H_

#include <string>
#include <string_view>

#include "util/result.h"

namespace parlay {

struct Line {
  int quarters = 0;

  bool operator==(const Line&) const = default;

  // A quarter line (x.25 or x.75) splits a bet into two halves.
  bool is_quarter() const { return quarters % 2 != 0; }
};

// Parses "-4.5", "+3", "0", "47.25", "2.50". Rejects anything that is not an
// exact multiple of 0.25 or whose magnitude exceeds 1000 points.
Result<Line> ParseLine(std::string_view text);

// Formats a line in points: -18 -> "-4.5", 12 -> "3", 189 -> "47.25".
// With `signed_form`, positive lines get a '+' and zero is "0" ("+3").
std::string FormatLine(Line line, bool signed_form);

}  // namespace parlay

#endif  // PARLAY_RULES_LINE_H_
