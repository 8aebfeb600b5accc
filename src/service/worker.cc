#include "service/worker.h"

#include <algorithm>
#include <set>

#include "service/activity.h"
#include "service/logging.h"

namespace parlay::service {
namespace {

using nlohmann::ordered_json;

// Arrival times of final games kept for the latency histogram; games
// beyond this are settled but not measured.
constexpr size_t kMaxTrackedFinalGames = 100'000;

// Maximum wait for API writes between two backlog batches, so that a
// stuck request cannot stop settlement.
constexpr std::chrono::milliseconds kMaxApiWriteWait{1'000};

// Failed game ids listed in one log line.
constexpr size_t kMaxLoggedFailures = 20;

void MergeInto(const SettleSummary& from, SettleSummary& into) {
  into.games_graded += from.games_graded;
  into.corrections_applied += from.corrections_applied;
  into.corrections_unchanged += from.corrections_unchanged;
  into.corrections_held += from.corrections_held;
  into.legs_corrected += from.legs_corrected;
  into.parlays_corrected += from.parlays_corrected;
  into.postponed_games_voided += from.postponed_games_voided;
  for (const std::string& id : from.games_needing_attention) {
    std::vector<std::string>& games = into.games_needing_attention;
    if (std::find(games.begin(), games.end(), id) == games.end()) {
      games.push_back(id);
    }
  }
  for (const auto& [status, count] : from.legs) into.legs[status] += count;
  for (const auto& [status, count] : from.parlays) {
    into.parlays[status] += count;
  }
  for (const auto& [currency, amount] : from.staked) {
    into.staked[currency] += amount;
  }
  for (const auto& [currency, amount] : from.paid) {
    into.paid[currency] += amount;
  }
  into.failures.insert(into.failures.end(), from.failures.begin(),
                       from.failures.end());
}

int64_t CountOf(const SettleSummary& summary, ParlayStatus status) {
  const auto found = summary.parlays.find(status);
  return found == summary.parlays.end() ? 0 : found->second;
}

}  // namespace

std::string_view ToString(CycleOutcome outcome) {
  switch (outcome) {
    case CycleOutcome::kCompleted:
      return "completed";
    case CycleOutcome::kFailed:
      return "failed";
    case CycleOutcome::kDisabled:
      return "disabled";
    case CycleOutcome::kSkipped:
      return "skipped";
  }
  return "unknown";
}

bool IsFinalOrVoid(GameStatus status) {
  return status == GameStatus::kFinal || IsVoidStatus(status);
}

SettlementWorker::SettlementWorker(WorkerOptions options,
                                   std::unique_ptr<Store> store,
                                   const Clock& clock, ServiceMetrics& metrics)
    : options_(std::move(options)),
      store_(std::move(store)),
      clock_(clock),
      metrics_(metrics),
      engine_(*store_, clock, options_.lifecycle),
      breaker_(options_.breaker_threshold, options_.breaker_reset_ms, clock,
               [this](BreakerState from, BreakerState to,
                      const BreakerSnapshot& now) {
                 metrics_.SetBreakerState(to);
                 if (to == BreakerState::kOpen) metrics_.AddBreakerTrip();
                 LogEvent(to == BreakerState::kOpen ? spdlog::level::err
                                                    : spdlog::level::warn,
                          "breaker_state_changed",
                          "settlement circuit breaker changed state",
                          {{"worker_id", options_.worker_id},
                           {"from", ToString(from)},
                           {"to", ToString(to)},
                           {"consecutive_errors", now.consecutive_errors}});
               }),
      enabled_(options_.enabled) {}

SettlementWorker::~SettlementWorker() {
  RequestStop();
  if (thread_.joinable()) thread_.join();
}

void SettlementWorker::Start() {
  heartbeat_.worker_id = options_.worker_id;
  heartbeat_.started_at_ms = clock_.NowMillis();
  heartbeat_.beat_at_ms = heartbeat_.started_at_ms;
  store_->WriteHeartbeat(heartbeat_);
  last_heartbeat_ms_ = heartbeat_.beat_at_ms;
  heartbeats_written_++;

  if (!enabled_) {
    LogEvent(spdlog::level::warn, "settlement_disabled",
             "settlement is disabled (FEATURE_SETTLEMENT=false): the worker "
             "runs and writes heartbeats but settles nothing",
             {{"worker_id", options_.worker_id}});
  }
  running_ = true;
  thread_ = std::thread([this] { Run(); });
}

void SettlementWorker::RequestStop() {
  stop_flag_ = true;
  std::lock_guard lock(mutex_);
  stop_requested_ = true;
  wake_.notify_all();
  done_.notify_all();
}

void SettlementWorker::Join() {
  if (thread_.joinable()) thread_.join();
}

void SettlementWorker::NotifyFinalGames(std::span<const std::string> game_ids) {
  if (game_ids.empty()) return;
  const int64_t now = clock_.NowMillis();
  std::lock_guard lock(mutex_);
  for (const std::string& id : game_ids) {
    if (woken_set_.insert(id).second) woken_games_.push_back(id);
    if (final_received_ms_.size() < kMaxTrackedFinalGames) {
      final_received_ms_.emplace(id, now);
    }
  }
  wake_.notify_all();
}

std::optional<CycleReport> SettlementWorker::RunCycleNow(
    std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  const int64_t ticket = ++manual_requested_;
  wake_.notify_all();
  const bool served = done_.wait_for(lock, timeout, [&] {
    return manual_served_ >= ticket || stop_requested_ || !running_;
  });
  if (!served || manual_served_ < ticket || !last_report_) return std::nullopt;
  return last_report_;
}

bool SettlementWorker::SetEnabled(bool enabled) {
  const bool previous = enabled_.exchange(enabled);
  if (enabled && !previous) {
    std::lock_guard lock(mutex_);
    run_requested_ = true;
    wake_.notify_all();
  }
  return previous;
}

WorkerStatus SettlementWorker::Status() const {
  WorkerStatus status;
  status.running = running_;
  status.enabled = enabled_;
  status.breaker = breaker_.Snapshot();
  const int64_t beat = last_heartbeat_ms_;
  if (beat >= 0) status.last_heartbeat_ms = beat;
  status.heartbeats_written = heartbeats_written_;
  status.cycles = cycles_;
  return status;
}

void SettlementWorker::Run() {
  LogEvent(spdlog::level::info, "worker_started", "settlement worker started",
           {{"worker_id", options_.worker_id},
            {"enabled", enabled_.load()},
            {"interval_ms", options_.interval.count()},
            {"max_games_per_cycle", options_.max_games_per_cycle}});
  try {
    while (true) {
      int64_t serving;
      {
        std::lock_guard lock(mutex_);
        if (stop_requested_) break;
        serving = manual_requested_;
        run_requested_ = false;
      }
      CycleReport report = RunCycle();
      const bool backlog_left =
          report.outcome == CycleOutcome::kCompleted &&
          report.games_attempted >= options_.max_games_per_cycle;

      std::unique_lock lock(mutex_);
      last_report_ = report;
      manual_served_ = std::max(manual_served_, serving);
      done_.notify_all();
      if (backlog_left) run_requested_ = true;
      wake_.wait_for(lock, options_.interval, [&] {
        return stop_requested_ || run_requested_ || !woken_games_.empty() ||
               manual_requested_ > manual_served_;
      });
    }
  } catch (const std::exception& error) {
    LogEvent(spdlog::level::critical, "worker_crashed",
             "settlement worker stopped by an unexpected error",
             {{"worker_id", options_.worker_id}, {"error", error.what()}});
  }
  {
    std::lock_guard lock(mutex_);
    running_ = false;
    done_.notify_all();
  }
  LogEvent(spdlog::level::info, "worker_stopped", "settlement worker stopped",
           {{"worker_id", options_.worker_id}, {"cycles", cycles_.load()}});
}

std::vector<std::string> SettlementWorker::TakeWokenGames() {
  std::lock_guard lock(mutex_);
  const size_t count = std::min(
      woken_games_.size(), static_cast<size_t>(options_.max_games_per_cycle));
  std::vector<std::string> taken(woken_games_.begin(),
                                 woken_games_.begin() + count);
  woken_games_.erase(woken_games_.begin(), woken_games_.begin() + count);
  for (const std::string& id : taken) woken_set_.erase(id);
  return taken;
}

CycleReport SettlementWorker::RunCycle() {
  const auto started = std::chrono::steady_clock::now();
  CycleReport report;
  report.number = ++cycles_;
  std::vector<std::string> woken = TakeWokenGames();

  if (!enabled_) {
    report.outcome = CycleOutcome::kDisabled;
  } else if (!breaker_.AllowCycle()) {
    // The sweep finds the woken games again once the breaker lets a cycle
    // run, so they are not queued again here.
    report.outcome = CycleOutcome::kSkipped;
  } else {
    try {
      SettleCycle(std::move(woken), report);
      breaker_.RecordSuccess();
    } catch (const std::exception& error) {
      report.outcome = CycleOutcome::kFailed;
      report.error = error.what();
      metrics_.AddError("cycle");
      breaker_.RecordFailure();
    }
  }

  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started)
          .count();
  metrics_.AddCycle(ToString(report.outcome), seconds);
  report.summary.duration_ms = static_cast<int64_t>(seconds * 1000);

  ordered_json fields = {
      {"worker_id", options_.worker_id},
      {"cycle", report.number},
      {"outcome", ToString(report.outcome)},
      {"games", report.games_attempted},
      {"games_graded", report.summary.games_graded},
      {"legs_settled", report.summary.legs_settled()},
      {"parlays_settled", report.summary.parlays_settled()},
      {"parlays_won", CountOf(report.summary, ParlayStatus::kWon)},
      {"parlays_lost", CountOf(report.summary, ParlayStatus::kLost)},
      {"corrections_applied", report.summary.corrections_applied},
      {"corrections_unchanged", report.summary.corrections_unchanged},
      {"corrections_held", report.summary.corrections_held},
      {"legs_corrected", report.summary.legs_corrected},
      {"parlays_corrected", report.summary.parlays_corrected},
      {"postponed_games_voided", report.summary.postponed_games_voided},
      {"failed_games", report.summary.failures.size()},
      {"duration_ms", report.summary.duration_ms},
  };
  if (report.stopped_early) fields["stopped_early"] = true;
  if (report.outcome == CycleOutcome::kFailed) {
    fields["error"] = report.error;
    fields["consecutive_errors"] = breaker_.Snapshot().consecutive_errors;
    LogEvent(spdlog::level::err, "cycle_failed", "settlement cycle failed",
             fields);
  } else if (report.outcome == CycleOutcome::kSkipped) {
    LogEvent(spdlog::level::debug, "cycle_skipped",
             "settlement cycle skipped: the circuit breaker is open", fields);
  } else if (report.outcome == CycleOutcome::kDisabled) {
    LogEvent(spdlog::level::debug, "cycle_disabled",
             "settlement cycle did nothing: settlement is disabled", fields);
  } else {
    LogEvent(spdlog::level::info, "cycle_completed",
             "settlement cycle completed", fields);
  }

  if (report.outcome == CycleOutcome::kCompleted ||
      report.outcome == CycleOutcome::kFailed) {
    RecordActivity(*store_, options_.worker_id,
                   ActivityOf(report.summary, report.games_attempted,
                              report.outcome == CycleOutcome::kFailed,
                              clock_.NowSeconds()),
                   metrics_);
  }
  WriteHeartbeat(&report);
  return report;
}

void SettlementWorker::SettleCycle(std::vector<std::string> woken,
                                   CycleReport& report) {
  const size_t max_games = static_cast<size_t>(options_.max_games_per_cycle);
  // TakeWokenGames returns at most max_games games.
  const size_t room = max_games - std::min(max_games, woken.size());
  const size_t corrections = ApplyCorrections(room, report);

  SettleBatches(woken, report);
  std::set<std::string> chosen(woken.begin(), woken.end());
  std::vector<std::string> backlog;
  const size_t settle_room = room - corrections;
  if (settle_room > 0) {
    const int limit = static_cast<int>(settle_room + failed_before_.size());
    std::vector<std::string> candidates = store_->FindGamesToSettle(limit);
    for (std::string& id : engine_.FindGamesPostponedPastLimit(limit)) {
      candidates.push_back(std::move(id));
    }
    backlog = ChooseGames(std::move(candidates), settle_room, chosen);
  }
  SettleBacklog(backlog, report);

  const std::vector<GameFailure>& failures = report.summary.failures;
  failed_before_.clear();
  for (const GameFailure& failure : failures) {
    failed_before_.insert(failure.game_id);
  }
  if (!failures.empty()) {
    ordered_json ids = ordered_json::array();
    for (size_t i = 0; i < failures.size() && i < kMaxLoggedFailures; ++i) {
      ids.push_back(failures[i].game_id);
    }
    LogEvent(spdlog::level::err, "games_failed",
             "games failed to settle and were rolled back; the next cycles "
             "retry them",
             {{"worker_id", options_.worker_id},
              {"cycle", report.number},
              {"failed_games", failures.size()},
              {"game_ids", ids},
              {"first_error", failures.front().error}});
  }
  if (report.games_attempted > 0 &&
      static_cast<int64_t>(failures.size()) == report.games_attempted) {
    throw StoreError("every game of the cycle failed; first error: " +
                     failures.front().error);
  }
}

size_t SettlementWorker::ApplyCorrections(size_t max_games,
                                          CycleReport& report) {
  if (max_games == 0) return 0;
  std::set<std::string> chosen;
  const int limit = static_cast<int>(max_games + failed_before_.size());
  const std::vector<std::string> games = ChooseGames(
      store_->FindGamesWithChangedResults(limit), max_games, chosen);
  size_t checked = 0;
  for (const std::string& id : games) {
    // Each check is its own transaction, so stopping here leaves none
    // half done.
    if (stop_flag_) {
      report.stopped_early = true;
      break;
    }
    const SettleSummary summary =
        engine_.ApplyScoreCorrections(std::span<const std::string>(&id, 1));
    ++checked;
    report.games_attempted++;
    metrics_.AddGamesAttempted(1);
    metrics_.AddSettled(summary);
    if (!summary.failures.empty()) {
      metrics_.AddError("game", static_cast<int64_t>(summary.failures.size()));
    }
    if (summary.corrections_held > 0) {
      report.summary.games_needing_attention.push_back(id);
      LogEvent(spdlog::level::warn, "score_correction_held",
               "score correction held for an operator: the result changed "
               "after the correction window; check it, then apply it with "
               "POST /v1/admin/games/{id}/resettle",
               {{"worker_id", options_.worker_id},
                {"cycle", report.number},
                {"game_id", id}});
    } else if (summary.corrections_applied > 0) {
      LogEvent(spdlog::level::info, "score_correction_applied",
               "score correction applied: settled legs re-graded",
               {{"worker_id", options_.worker_id},
                {"cycle", report.number},
                {"game_id", id},
                {"legs_corrected", summary.legs_corrected},
                {"parlays_corrected", summary.parlays_corrected}});
    }
    MergeInto(summary, report.summary);
  }
  return checked;
}

void SettlementWorker::SettleBatches(std::span<const std::string> games,
                                     CycleReport& report) {
  const size_t batch = static_cast<size_t>(std::max(1, options_.batch_games));
  for (size_t begin = 0; begin < games.size(); begin += batch) {
    // Stopping between batches leaves no transaction half done.
    if (stop_flag_) {
      report.stopped_early = true;
      break;
    }
    SettleBatch(games.subspan(begin, std::min(batch, games.size() - begin)),
                report);
  }
}

void SettlementWorker::SettleBacklog(std::span<const std::string> games,
                                     CycleReport& report) {
  const size_t max_batch =
      static_cast<size_t>(std::max(1, options_.batch_games));
  const double target_seconds =
      std::chrono::duration<double>(options_.backlog_batch_time).count();
  size_t begin = 0;
  while (begin < games.size()) {
    if (stop_flag_) {
      report.stopped_early = true;
      break;
    }
    // Games posted final during the cycle go ahead of the rest of the
    // backlog. They may also be in `games`, which is harmless because
    // settling a game again finds no pending legs.
    YieldToApiWrites();
    const std::vector<std::string> arrived = TakeWokenGames();
    if (!arrived.empty()) {
      SettleBatches(arrived, report);
      continue;
    }

    const size_t count =
        std::min({backlog_batch_games_, max_batch, games.size() - begin});
    const auto started = std::chrono::steady_clock::now();
    SettleBatch(games.subspan(begin, count), report);
    begin += count;
    const double seconds = std::chrono::duration<double>(
                               std::chrono::steady_clock::now() - started)
                               .count();

    // The next batch gets as many games as fit in the target time at this
    // batch's time per game, growing at most twofold per batch so that
    // one batch of small games cannot make the next one far too long.
    const double per_game = seconds / static_cast<double>(count);
    const size_t growth_limit = std::min(max_batch, 2 * backlog_batch_games_);
    size_t fit = growth_limit;
    if (per_game > 0 && target_seconds / per_game < growth_limit) {
      fit = static_cast<size_t>(target_seconds / per_game);
    }
    backlog_batch_games_ = std::max<size_t>(1, fit);
    LogEvent(spdlog::level::debug, "backlog_batch_settled",
             "settlement backlog batch committed",
             {{"worker_id", options_.worker_id},
              {"cycle", report.number},
              {"games", count},
              {"duration_ms", static_cast<int64_t>(seconds * 1000)},
              {"next_batch_games", backlog_batch_games_}});
  }
}

void SettlementWorker::YieldToApiWrites() {
  if (!options_.api_writes_in_flight) return;
  const auto deadline = std::chrono::steady_clock::now() + kMaxApiWriteWait;
  while (options_.api_writes_in_flight() && !stop_flag_ &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

void SettlementWorker::SettleBatch(std::span<const std::string> ids,
                                   CycleReport& report) {
  SettleOptions settle;
  settle.batch_games = options_.batch_games;
  std::unique_lock<std::mutex> turn;
  if (options_.write_mutex != nullptr) {
    turn = std::unique_lock(*options_.write_mutex);
  }
  SettleSummary summary = engine_.SettleGames(ids, settle);
  if (turn.owns_lock()) turn.unlock();
  report.games_attempted += static_cast<int64_t>(ids.size());
  metrics_.AddGamesAttempted(static_cast<int64_t>(ids.size()));
  metrics_.AddSettled(summary);
  if (!summary.failures.empty()) {
    metrics_.AddError("game", static_cast<int64_t>(summary.failures.size()));
  }
  ObserveLatency(ids, summary);
  MergeInto(summary, report.summary);
}

std::vector<std::string> SettlementWorker::ChooseGames(
    std::vector<std::string> candidates, size_t max_games,
    std::set<std::string>& chosen) const {
  // Games that failed in the previous cycle go last, so that a block of
  // old games that keep failing cannot hold back the others.
  std::vector<std::string> games;
  std::vector<std::string> retries;
  for (std::string& id : candidates) {
    if (chosen.contains(id)) continue;
    if (failed_before_.contains(id)) {
      retries.push_back(std::move(id));
    } else if (games.size() < max_games) {
      chosen.insert(id);
      games.push_back(std::move(id));
    }
  }
  for (std::string& id : retries) {
    if (games.size() >= max_games) break;
    if (!chosen.insert(id).second) continue;
    games.push_back(std::move(id));
  }
  return games;
}

void SettlementWorker::ObserveLatency(std::span<const std::string> game_ids,
                                      const SettleSummary& summary) {
  std::set<std::string> failed;
  for (const GameFailure& failure : summary.failures) {
    failed.insert(failure.game_id);
  }
  const int64_t now = clock_.NowMillis();
  std::lock_guard lock(mutex_);
  for (const std::string& id : game_ids) {
    if (failed.contains(id)) continue;
    const auto found = final_received_ms_.find(id);
    if (found == final_received_ms_.end()) continue;
    metrics_.ObserveFinalToSettled(
        static_cast<double>(std::max<int64_t>(0, now - found->second)) /
        1000.0);
    final_received_ms_.erase(found);
  }
}

void SettlementWorker::WriteHeartbeat(const CycleReport* report) {
  heartbeat_.beat_at_ms = clock_.NowMillis();
  if (report != nullptr) {
    const SettleSummary& summary = report->summary;
    heartbeat_.cycles = report->number;
    heartbeat_.last_parlays_settled = summary.parlays_settled();
    heartbeat_.last_parlays_won = CountOf(summary, ParlayStatus::kWon);
    heartbeat_.last_parlays_lost = CountOf(summary, ParlayStatus::kLost);
    heartbeat_.total_parlays_settled += heartbeat_.last_parlays_settled;
    heartbeat_.total_parlays_won += heartbeat_.last_parlays_won;
    heartbeat_.total_parlays_lost += heartbeat_.last_parlays_lost;
    heartbeat_.total_legs_settled += summary.legs_settled();
  }
  try {
    store_->WriteHeartbeat(heartbeat_);
    last_heartbeat_ms_ = heartbeat_.beat_at_ms;
    heartbeats_written_++;
  } catch (const std::exception& error) {
    metrics_.AddError("heartbeat");
    LogEvent(spdlog::level::err, "heartbeat_failed",
             "writing the worker heartbeat failed",
             {{"worker_id", options_.worker_id}, {"error", error.what()}});
  }
}

}  // namespace parlay::service
