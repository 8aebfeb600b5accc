#include "service/activity.h"

#include "service/logging.h"

namespace parlay::service {
namespace {

int64_t CountOf(const SettleSummary& summary, ParlayStatus status) {
  const auto found = summary.parlays.find(status);
  return found == summary.parlays.end() ? 0 : found->second;
}

// An idle sweep attempts no game, so recording it would add a write per
// sweep and nothing to show.
bool IsEmpty(const HourlyActivity& activity) {
  return activity.games_attempted == 0 && activity.cycles_failed == 0 &&
         activity.legs_settled == 0;
}

}  // namespace

int64_t HourStart(int64_t unix_seconds) {
  int64_t remainder = unix_seconds % kSecondsPerHour;
  if (remainder < 0) remainder += kSecondsPerHour;
  return unix_seconds - remainder;
}

HourlyActivity ActivityOf(const SettleSummary& summary,
                          int64_t games_attempted, bool failed,
                          int64_t now_seconds) {
  HourlyActivity activity;
  activity.hour_start = HourStart(now_seconds);
  activity.cycles = 1;
  activity.cycles_failed = failed ? 1 : 0;
  activity.games_attempted = games_attempted;
  activity.games_failed = static_cast<int64_t>(summary.failures.size());
  activity.legs_settled = summary.legs_settled();
  activity.parlays_won = CountOf(summary, ParlayStatus::kWon);
  activity.parlays_lost = CountOf(summary, ParlayStatus::kLost);
  activity.parlays_push = CountOf(summary, ParlayStatus::kPush);
  activity.parlays_void = CountOf(summary, ParlayStatus::kVoid);
  activity.staked_minor = summary.staked;
  activity.paid_minor = summary.paid;
  return activity;
}

void RecordActivity(Store& store, std::string_view source,
                    const HourlyActivity& activity, ServiceMetrics& metrics) {
  if (IsEmpty(activity)) return;
  try {
    store.RecordActivity(source, activity);
  } catch (const std::exception& error) {
    metrics.AddError("activity");
    LogEvent(spdlog::level::err, "activity_write_failed",
             "writing the settlement activity of the hour failed; the "
             "dashboard undercounts it",
             {{"worker_id", source},
              {"hour_start", activity.hour_start},
              {"error", error.what()}});
  }
}

}  // namespace parlay::service
