#include "rules/lifecycle.h"

#include <string>

#include "util/time.h"

namespace parlay {

bool PostponedPastLimit(GameStatus status, int64_t start_time, int64_t now,
                        const LifecyclePolicy& policy) {
  if (status != GameStatus::kPostponed) return false;
  if (policy.postponed_void_seconds <= 0) return false;
  return now - start_time > policy.postponed_void_seconds;
}

Grade PostponementVoid(const GameResult& game, int64_t start_time,
                       const LifecyclePolicy& policy) {
  const int64_t hours = policy.postponed_void_seconds / 3600;
  return {LegStatus::kVoid,
          game.away + " @ " + game.home + " postponed and not played within " +
              std::to_string(hours) + (hours == 1 ? " hour" : " hours") +
              " of the scheduled start " + FormatIso8601(start_time) +
              ", leg void"};
}

bool WithinCorrectionWindow(int64_t first_settled_at, int64_t now,
                            const LifecyclePolicy& policy) {
  if (policy.correction_window_seconds <= 0) return false;
  return now - first_settled_at <= policy.correction_window_seconds;
}

}  // namespace parlay
