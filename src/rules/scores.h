// Scores of a game and of its parts (halves, quarters, regulation time), as
// the feeds report them. Plain value types.

#ifndef PARLAY_RULES_SCORES_H_
#define PARLAY_RULES_SCORES_H_

#include <array>
#include <optional>

#include "rules/types.h"

namespace parlay {

struct Score {
  int home = 0;
  int away = 0;

  bool operator==(const Score&) const = default;
};

// The scores of the parts of a game that a feed gave; a part the feed did
// not give is nullopt. Each score counts only the points of that part:
// quarters[2] is the third quarter alone.
struct PeriodScores {
  // At the end of regulation time: 90 minutes plus stoppage time in soccer,
  // four quarters in American football and basketball, three periods in
  // ice hockey.
  std::optional<Score> regulation;
  std::optional<Score> first_half;
  std::array<std::optional<Score>, 4> quarters;

  bool operator==(const PeriodScores&) const = default;

  // Returns the stored score of `period`, or nullopt when the feed did not
  // give it. REQUIRES: period is not Period::kGame.
  std::optional<Score> Get(Period period) const;
  void Set(Period period, std::optional<Score> score);
};

}  // namespace parlay

#endif  // PARLAY_RULES_SCORES_H_
