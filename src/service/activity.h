// Settlement activity per clock hour, written to the database after every
// worker cycle and admin action, so that the dashboard of every process
// sharing the database shows the same numbers.

#ifndef PARLAY_SERVICE_ACTIVITY_H_
#define PARLAY_SERVICE_ACTIVITY_H_

#include <cstdint>
#include <string_view>

#include "engine/settlement.h"
#include "service/metrics.h"
#include "store/store.h"

namespace parlay::service {

inline constexpr int64_t kSecondsPerHour = 3600;

// The start of the clock hour that contains `unix_seconds`.
int64_t HourStart(int64_t unix_seconds);

// The activity of one cycle or admin action that committed `summary`, in
// the hour of `now_seconds`. `failed` marks a cycle that failed as a whole.
HourlyActivity ActivityOf(const SettleSummary& summary,
                          int64_t games_attempted, bool failed,
                          int64_t now_seconds);

// Adds `activity` to the row of `source`, unless it attempted no game and
// did not fail, as an idle sweep. A database
// error is logged and counted as parlay_settlement_errors_total{type=
// "activity"}, not thrown: the settlement it describes is already
// committed.
void RecordActivity(Store& store, std::string_view source,
                    const HourlyActivity& activity, ServiceMetrics& metrics);

}  // namespace parlay::service

#endif  // PARLAY_SERVICE_ACTIVITY_H_
