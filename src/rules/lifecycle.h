// Game lifecycle rules that depend on time: postponements that void legs
// and the window in which a score correction re-grades settled legs. The
// caller passes the current time, so nothing here reads a clock. The rules
// are written out in docs/settlement-rules.md.

#ifndef PARLAY_RULES_LIFECYCLE_H_
#define PARLAY_RULES_LIFECYCLE_H_

#include <cstdint>

#include "rules/grading.h"

namespace parlay {

// Limits in seconds; the engine reads them from its configuration.
struct LifecyclePolicy {
  // A postponed game's legs are void once this long has passed since the
  // scheduled start. 0 turns the rule off.
  int64_t postponed_void_seconds = 48 * 3600;
  // A changed result re-grades settled legs automatically only this long
  // after the game's first settlement. Later changes wait for an operator,
  // and with 0 every change does.
  int64_t correction_window_seconds = 72 * 3600;
};

// True when a game is postponed and `now` is more than the policy's limit
// after its scheduled start `start_time`.
bool PostponedPastLimit(GameStatus status, int64_t start_time, int64_t now,
                        const LifecyclePolicy& policy);

// The VOID grade of a leg on a game postponed past the limit, e.g.
// "Japan @ Brazil postponed and not played within 48 hours of the
// scheduled start 2026-06-29T17:00:00Z, leg void".
Grade PostponementVoid(const GameResult& game, int64_t start_time,
                       const LifecyclePolicy& policy);

// True when a result change found at `now` may still re-grade legs first
// settled at `first_settled_at`.
bool WithinCorrectionWindow(int64_t first_settled_at, int64_t now,
                            const LifecyclePolicy& policy);

}  // namespace parlay

#endif  // PARLAY_RULES_LIFECYCLE_H_
