// Score corrections: re-grading the settled legs of a game whose result
// changed, and the lifecycle limits read from the environment.

#include <spdlog/spdlog.h>

#include <cerrno>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>

#include "engine/settlement.h"
#include "rules/money.h"
#include "util/time.h"

namespace parlay {
namespace {

nlohmann::json OptionalNumber(std::optional<int64_t> value) {
  return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

nlohmann::json OptionalNumber(std::optional<int> value) {
  return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

std::string Amount(std::optional<int64_t> minor, const std::string& currency) {
  if (!minor) return "";
  return FormatAmount(*minor, CurrencyExponent(currency).value_or(0));
}

int64_t ReadHours(const char* name, int64_t default_hours) {
  const char* text = std::getenv(name);
  if (text == nullptr || *text == '\0') return default_hours;
  errno = 0;
  char* end = nullptr;
  const long long hours = std::strtoll(text, &end, 10);
  if (errno != 0 || *end != '\0' || hours < 0 ||
      hours > kMaxLifecycleLimitHours) {
    throw std::invalid_argument(
        std::string("invalid ") + name + " \"" + text +
        "\": expected a whole number of hours from 0 to " +
        std::to_string(kMaxLifecycleLimitHours));
  }
  return hours;
}

// The legs of one game re-graded from its current result, keeping only
// those whose status changes. A leg that the current result cannot decide
// (PENDING) is kept as settled.
std::vector<LegCorrection> RegradeLegs(const GameResult& result,
                                       std::span<const SettledLeg> legs,
                                       int64_t now) {
  std::vector<LegCorrection> corrections;
  for (const SettledLeg& leg : legs) {
    Grade grade = GradeLeg(result, leg.terms);
    if (grade.status == LegStatus::kPending) continue;
    if (grade.status == leg.status) continue;
    LegCorrection correction;
    correction.old_leg = leg;
    correction.status = grade.status;
    correction.reason = std::move(grade.reason);
    if (!IsVoidStatus(result.status)) {
      correction.home_score = result.home_score;
      correction.away_score = result.away_score;
    }
    correction.settled_at = now;
    corrections.push_back(std::move(correction));
  }
  return corrections;
}

}  // namespace

void Engine::CheckChangedResult(const std::string& game_id, bool force,
                                SettleSummary& summary) {
  const int64_t now = clock_.NowSeconds();
  std::unique_ptr<Transaction> transaction = store_.Begin();
  const std::string ids[] = {game_id};
  std::vector<Game> games;
  if (!transaction->ClaimGames(ids).empty()) {
    games = transaction->LoadGames(ids);
  } else if (!store_.GetGame(game_id)) {
    throw StoreError("game not found: \"" + game_id + "\"");
  } else {
    return;  // another worker has claimed the game; a later pass checks it
  }
  if (games.empty()) {
    throw StoreError("game not found: \"" + game_id + "\"");
  }
  const Game& game = games.front();
  const GameResult result = ToResult(game);
  const std::vector<SettledLeg> legs = transaction->LoadSettledLegs(ids);
  std::vector<LegCorrection> corrections = RegradeLegs(result, legs, now);

  if (corrections.empty()) {
    transaction->MarkResultChecked(game_id);
    if (force) transaction->SetGameAttention(game_id, "");
    transaction->Commit();
    summary.corrections_unchanged++;
    spdlog::info(
        "result of game {} changed after settlement, no leg "
        "changes: status={}",
        game_id, ToString(game.status));
    return;
  }

  const int64_t first_settled = game.first_settled_at.value_or(now);
  if (!force && !WithinCorrectionWindow(first_settled, now, policy_)) {
    const std::string attention =
        "result changed " + std::to_string((now - first_settled) / 3600) +
        " hours after the first settlement at " + FormatIso8601(first_settled) +
        ", outside the " +
        std::to_string(policy_.correction_window_seconds / 3600) +
        "-hour correction window: " + std::to_string(corrections.size()) +
        " settled legs would change; stored but not applied, check the "
        "result and run resettle-game " +
        game_id;
    transaction->SetGameAttention(game_id, attention);
    transaction->Commit();
    summary.corrections_held++;
    spdlog::warn("score correction held for an operator: game_id={} {}",
                 game_id, attention);
    return;
  }

  // Legs: each re-grade is conditional on the leg being as it was read.
  std::vector<bool> changed = transaction->CorrectLegs(corrections);
  std::vector<AuditEvent> audit;
  std::vector<OutboxEvent> outbox;
  std::set<std::string> touched_parlays;
  int64_t legs_corrected = 0;
  for (size_t i = 0; i < corrections.size(); ++i) {
    if (!changed[i]) continue;
    const LegCorrection& leg = corrections[i];
    touched_parlays.insert(leg.old_leg.parlay_id);
    legs_corrected++;

    AuditEvent event;
    event.entity = "leg";
    event.parlay_id = leg.old_leg.parlay_id;
    event.leg_index = leg.old_leg.index;
    event.game_id = game_id;
    event.old_status = ToString(leg.old_leg.status);
    event.new_status = ToString(leg.status);
    event.home_score = leg.home_score;
    event.away_score = leg.away_score;
    event.reason = "score correction: " + leg.reason;
    event.at = now;
    event.rules_version = kRulesVersion;
    audit.push_back(std::move(event));

    nlohmann::json payload = {
        {"parlay_id", leg.old_leg.parlay_id},
        {"leg_index", leg.old_leg.index},
        {"game_id", game_id},
        {"old_status", ToString(leg.old_leg.status)},
        {"status", ToString(leg.status)},
        {"reason", leg.reason},
        {"old_home_score", OptionalNumber(leg.old_leg.home_score)},
        {"old_away_score", OptionalNumber(leg.old_leg.away_score)},
        {"home_score", OptionalNumber(leg.home_score)},
        {"away_score", OptionalNumber(leg.away_score)},
        {"corrected_at", FormatIso8601(now)},
    };
    outbox.push_back({0, "leg_corrected", leg.old_leg.parlay_id,
                      leg.old_leg.index, payload.dump(), now});
  }

  // Parlays: re-derived from all their legs. A parlay that was pending is
  // settled as usual. A settled one whose outcome changes is corrected,
  // and it goes back to PENDING when a lost leg becomes a win while other
  // legs are pending.
  std::vector<std::string> parlay_ids(touched_parlays.begin(),
                                      touched_parlays.end());
  std::vector<ParlayLegs> parlays = transaction->LoadParlays(parlay_ids);
  std::vector<ParlayUpdate> first_settlements;
  std::vector<const ParlayLegs*> first_settled_parlays;
  std::vector<ParlayCorrection> parlay_corrections;
  std::vector<const ParlayLegs*> corrected_parlays;
  // A parlay that goes back to PENDING needs its count of pending legs
  // again (see Transaction::SetPendingLegs).
  std::vector<const ParlayLegs*> reopened;
  for (ParlayLegs& parlay : parlays) {
    if (parlay.legs.empty()) continue;
    const ParlayOutcome outcome = DeriveParlay(parlay.stake_minor, parlay.legs);
    if (parlay.status == ParlayStatus::kPending) {
      if (outcome.status == ParlayStatus::kPending) continue;
      first_settlements.push_back({parlay.id, outcome, now});
      first_settled_parlays.push_back(&parlay);
      continue;
    }
    if (outcome.status == parlay.status &&
        std::optional<int64_t>(outcome.payout_minor) == parlay.payout_minor) {
      continue;
    }
    parlay_corrections.push_back(
        {parlay.id, parlay.status, parlay.payout_minor, outcome, now});
    corrected_parlays.push_back(&parlay);
    if (outcome.status == ParlayStatus::kPending) {
      parlay.pending_legs = CountPendingLegs(parlay.legs);
      reopened.push_back(&parlay);
    }
  }

  const std::vector<bool> settled =
      transaction->SettleParlays(first_settlements);
  for (size_t i = 0; i < first_settlements.size(); ++i) {
    if (!settled[i]) continue;
    const ParlayUpdate& update = first_settlements[i];
    const ParlayLegs& parlay = *first_settled_parlays[i];
    summary.parlays[update.outcome.status]++;
    summary.staked[parlay.currency] += parlay.stake_minor;
    summary.paid[parlay.currency] += update.outcome.payout_minor;
    AuditEvent event;
    event.entity = "parlay";
    event.parlay_id = parlay.id;
    event.game_id = game_id;
    event.old_status = ToString(ParlayStatus::kPending);
    event.new_status = ToString(update.outcome.status);
    event.payout_minor = update.outcome.payout_minor;
    event.reason = "derived from " + std::to_string(parlay.legs.size()) +
                   " legs after a score correction";
    event.at = now;
    event.rules_version = kRulesVersion;
    audit.push_back(std::move(event));
    nlohmann::json payload = {
        {"parlay_id", parlay.id},
        {"status", ToString(update.outcome.status)},
        {"currency", parlay.currency},
        {"stake", Amount(parlay.stake_minor, parlay.currency)},
        {"payout", Amount(update.outcome.payout_minor, parlay.currency)},
        {"payout_minor", update.outcome.payout_minor},
        {"settled_at", FormatIso8601(now)},
    };
    outbox.push_back({0, "parlay_settled", parlay.id, -1, payload.dump(), now});
  }

  const std::vector<bool> corrected =
      transaction->CorrectParlays(parlay_corrections);
  transaction->SetPendingLegs(reopened);
  int64_t parlays_corrected = 0;
  for (size_t i = 0; i < parlay_corrections.size(); ++i) {
    if (!corrected[i]) continue;
    const ParlayCorrection& correction = parlay_corrections[i];
    const ParlayLegs& parlay = *corrected_parlays[i];
    const bool pending = correction.outcome.status == ParlayStatus::kPending;
    const std::optional<int64_t> new_payout =
        pending ? std::nullopt
                : std::optional<int64_t>(correction.outcome.payout_minor);
    parlays_corrected++;

    AuditEvent event;
    event.entity = "parlay";
    event.parlay_id = parlay.id;
    event.game_id = game_id;
    event.old_status = ToString(correction.old_status);
    event.new_status = ToString(correction.outcome.status);
    event.payout_minor = new_payout;
    // "20.00 -> 0.00 USD", or "0.00 USD -> none" for a reopened parlay.
    auto with_currency = [&](std::optional<int64_t> minor) {
      return minor ? Amount(minor, parlay.currency) + " " + parlay.currency
                   : std::string("none");
    };
    const std::string payouts =
        correction.old_payout_minor && new_payout
            ? Amount(correction.old_payout_minor, parlay.currency) + " -> " +
                  with_currency(new_payout)
            : with_currency(correction.old_payout_minor) + " -> " +
                  with_currency(new_payout);
    event.reason = "score correction on game " + game_id + ": payout " +
                   payouts;
    event.at = now;
    event.rules_version = kRulesVersion;
    audit.push_back(std::move(event));

    // A wallet adjusts the account by payout_minor - old_payout_minor.
    nlohmann::json payload = {
        {"parlay_id", parlay.id},
        {"game_id", game_id},
        {"old_status", ToString(correction.old_status)},
        {"status", ToString(correction.outcome.status)},
        {"currency", parlay.currency},
        {"stake", Amount(parlay.stake_minor, parlay.currency)},
        {"old_payout", Amount(correction.old_payout_minor, parlay.currency)},
        {"old_payout_minor", OptionalNumber(correction.old_payout_minor)},
        {"payout", new_payout
                       ? nlohmann::json(Amount(new_payout, parlay.currency))
                       : nlohmann::json(nullptr)},
        {"payout_minor", OptionalNumber(new_payout)},
        {"corrected_at", FormatIso8601(now)},
    };
    outbox.push_back(
        {0, "parlay_corrected", parlay.id, -1, payload.dump(), now});
  }

  transaction->AppendAudit(audit);
  transaction->AppendOutbox(outbox);
  transaction->MarkResultChecked(game_id);
  if (force) transaction->SetGameAttention(game_id, "");
  transaction->Commit();

  summary.corrections_applied++;
  summary.legs_corrected += legs_corrected;
  summary.parlays_corrected += parlays_corrected;
  spdlog::info(
      "score correction applied: game_id={} status={} home_score={} "
      "away_score={} legs_corrected={} parlays_corrected={}",
      game_id, ToString(game.status),
      game.home_score ? std::to_string(*game.home_score) : "null",
      game.away_score ? std::to_string(*game.away_score) : "null",
      legs_corrected, parlays_corrected);
}

SettleSummary Engine::ResettleGame(std::string_view game_id) {
  const std::string id(game_id);
  SettleSummary corrections;
  CheckChangedResult(id, /*force=*/true, corrections);
  SettleSummary summary = SettleGames(std::span<const std::string>(&id, 1));
  summary.corrections_applied = corrections.corrections_applied;
  summary.corrections_unchanged = corrections.corrections_unchanged;
  summary.legs_corrected = corrections.legs_corrected;
  summary.parlays_corrected = corrections.parlays_corrected;
  for (const auto& [status, count] : corrections.parlays) {
    summary.parlays[status] += count;
  }
  for (const auto& [currency, amount] : corrections.staked) {
    summary.staked[currency] += amount;
  }
  for (const auto& [currency, amount] : corrections.paid) {
    summary.paid[currency] += amount;
  }
  spdlog::info(
      "game re-settled by an operator: game_id={} legs_corrected={} "
      "parlays_corrected={} legs_settled={}",
      id, summary.legs_corrected, summary.parlays_corrected,
      summary.legs_settled());
  return summary;
}

SettleSummary Engine::ApplyScoreCorrections(
    std::span<const std::string> game_ids) {
  SettleSummary summary;
  for (const std::string& game_id : game_ids) {
    try {
      CheckChangedResult(game_id, /*force=*/false, summary);
    } catch (const std::exception& error) {
      summary.failures.push_back({game_id, error.what()});
      spdlog::error(
          "score correction failed, rolled back: game_id={} "
          "error={}",
          game_id, error.what());
    }
  }
  return summary;
}

std::vector<std::string> Engine::FindGamesPostponedPastLimit(int limit) {
  if (policy_.postponed_void_seconds <= 0) return {};
  const int64_t started_before =
      clock_.NowSeconds() - policy_.postponed_void_seconds;
  return store_.FindPostponedGames(started_before, limit);
}

LifecyclePolicy LifecyclePolicyFromEnvironment() {
  LifecyclePolicy policy;
  policy.postponed_void_seconds =
      ReadHours("SETTLEMENT_POSTPONED_VOID_HOURS", 48) * 3600;
  policy.correction_window_seconds =
      ReadHours("SETTLEMENT_CORRECTION_WINDOW_HOURS", 72) * 3600;
  return policy;
}

}  // namespace parlay
