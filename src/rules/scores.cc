#include "rules/scores.h"

namespace parlay {
namespace {

// Index into PeriodScores::quarters, or -1 for a period that is not a
// quarter.
int QuarterIndex(Period period) {
  switch (period) {
    case Period::kQuarter1:
      return 0;
    case Period::kQuarter2:
      return 1;
    case Period::kQuarter3:
      return 2;
    case Period::kQuarter4:
      return 3;
    default:
      return -1;
  }
}

}  // namespace

std::optional<Score> PeriodScores::Get(Period period) const {
  if (period == Period::kRegulation) return regulation;
  if (period == Period::kFirstHalf) return first_half;
  const int quarter = QuarterIndex(period);
  if (quarter < 0) return std::nullopt;
  return quarters[static_cast<size_t>(quarter)];
}

void PeriodScores::Set(Period period, std::optional<Score> score) {
  if (period == Period::kRegulation) {
    regulation = score;
  } else if (period == Period::kFirstHalf) {
    first_half = score;
  } else if (const int quarter = QuarterIndex(period); quarter >= 0) {
    quarters[static_cast<size_t>(quarter)] = score;
  }
}

}  // namespace parlay
