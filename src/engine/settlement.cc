#include "engine/settlement.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <compare>
#include <limits>
#include <set>
#include <span>
#include <tuple>
#include <unordered_map>

namespace parlay {

GameResult ToResult(const Game& game) {
  GameResult result;
  result.home = game.home;
  result.away = game.away;
  result.status = game.status;
  result.home_score = game.home_score;
  result.away_score = game.away_score;
  result.void_reason = game.void_reason;
  result.soccer = game.sport == "soccer";
  result.extra_time = game.extra_time;
  result.periods = game.periods;
  result.shootout = game.shootout;
  result.status_detail = game.status_detail;
  return result;
}

namespace {

// Sorts ids and drops repeats, for binary_search.
void SortUnique(std::vector<std::string_view>& ids) {
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
}

// A parlay and one of its legs' games, sorted by parlay, then by the
// order in which a pass settles games (see SettleOrder).
struct ParlayGame {
  std::string_view parlay_id;
  int order = 0;
  std::string_view game_id;

  auto operator<=>(const ParlayGame&) const = default;

  // Compares by parlay only, to look one up by its id.
  struct Less {
    bool operator()(const ParlayGame& a, std::string_view b) const {
      return a.parlay_id < b;
    }
    bool operator()(std::string_view a, const ParlayGame& b) const {
      return a < b.parlay_id;
    }
  };
};

// Ranks games as a pass settles them, by start time, then id. The game a
// parlay's audit row names depends only on this order, not on how the
// pass split its games into batches.
std::unordered_map<std::string, int> SettleOrder(std::span<const Game> games) {
  std::vector<const Game*> sorted;
  for (const Game& game : games) sorted.push_back(&game);
  std::sort(sorted.begin(), sorted.end(), [](const Game* a, const Game* b) {
    return std::tie(a->start_time, a->id) < std::tie(b->start_time, b->id);
  });
  std::unordered_map<std::string, int> order;
  for (size_t i = 0; i < sorted.size(); ++i) {
    order.emplace(sorted[i]->id, static_cast<int>(i));
  }
  return order;
}

void AddAttention(const std::string& game_id, SettleSummary& summary) {
  std::vector<std::string>& games = summary.games_needing_attention;
  if (std::find(games.begin(), games.end(), game_id) == games.end()) {
    games.push_back(game_id);
  }
}

void MergeSummary(const SettleSummary& from, SettleSummary& into) {
  into.games_graded += from.games_graded;
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
  into.postponed_games_voided += from.postponed_games_voided;
  for (const std::string& game_id : from.games_needing_attention) {
    AddAttention(game_id, into);
  }
}

void Fault(const SettleOptions& options, std::string_view stage,
           std::span<const std::string> game_ids) {
  if (options.fault_hook) options.fault_hook(stage, game_ids);
}

}  // namespace

int64_t SettleSummary::legs_settled() const {
  int64_t total = 0;
  for (const auto& [status, count] : legs) total += count;
  return total;
}

int64_t SettleSummary::parlays_settled() const {
  int64_t total = 0;
  for (const auto& [status, count] : parlays) total += count;
  return total;
}

SettleSummary Engine::SettleAll(const SettleOptions& options) {
  int limit = options.max_games > 0 ? options.max_games
                                    : std::numeric_limits<int>::max();
  // Corrections first, so that pending legs settled below and corrected
  // legs see the same result.
  SettleSummary corrections;
  if (!options.dry_run) {
    corrections =
        ApplyScoreCorrections(store_.FindGamesWithChangedResults(limit));
  }

  std::vector<std::string> game_ids = store_.FindGamesToSettle(limit);
  for (std::string& id : FindGamesPostponedPastLimit(limit)) {
    game_ids.push_back(std::move(id));
  }
  SettleSummary summary = SettleGames(game_ids, options);
  summary.corrections_applied = corrections.corrections_applied;
  summary.corrections_unchanged = corrections.corrections_unchanged;
  summary.corrections_held = corrections.corrections_held;
  summary.legs_corrected = corrections.legs_corrected;
  summary.parlays_corrected = corrections.parlays_corrected;
  for (GameFailure& failure : corrections.failures) {
    summary.failures.push_back(std::move(failure));
  }
  for (const Game& game : store_.FindGamesNeedingAttention()) {
    AddAttention(game.id, summary);
    if (!game.attention.empty()) {
      spdlog::warn("game needs attention: game_id={} reason=\"{}\"", game.id,
                   game.attention);
    } else {
      spdlog::warn(
          "game needs attention: final without both scores, game_id={}",
          game.id);
    }
  }
  return summary;
}

SettleSummary Engine::SettleGames(std::span<const std::string> game_ids,
                                  const SettleOptions& options) {
  auto started = std::chrono::steady_clock::now();
  SettleSummary summary;
  auto record_failure = [&](const std::string& game_id,
                            const std::exception& error) {
    summary.failures.push_back({game_id, error.what()});
    spdlog::error("settlement failed, batch rolled back: game_id={} error={}",
                  game_id, error.what());
  };

  size_t begin = 0;
  while (begin < game_ids.size()) {
    size_t attempted = begin;
    try {
      begin = SettleTransaction(game_ids, begin, options, summary, attempted);
      continue;
    } catch (const std::exception& error) {
      if (attempted - begin == 1) {
        record_failure(game_ids[begin], error);
        begin = attempted;
        continue;
      }
      spdlog::warn("settlement transaction of {} games failed, retrying "
                   "game by game: {}",
                   attempted - begin, error.what());
    }
    for (; begin < attempted; ++begin) {
      size_t ignored = begin;
      try {
        SettleTransaction(game_ids.subspan(begin, 1), 0, options, summary,
                          ignored);
      } catch (const std::exception& error) {
        record_failure(game_ids[begin], error);
      }
    }
  }

  summary.duration_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::steady_clock::now() - started)
                            .count();
  return summary;
}

SettleSummary Engine::VoidGame(std::string_view game_id,
                               std::string_view reason) {
  SettleSummary summary;
  std::string id(game_id);
  std::unique_ptr<Transaction> transaction = store_.Begin();
  transaction->VoidGame(id, reason, clock_.NowSeconds());
  SettleInTransaction(*transaction, std::span<const std::string>(&id, 1), {},
                      summary);
  transaction->Commit();
  spdlog::info("game voided: game_id={} reason=\"{}\" legs_voided={} "
               "parlays_settled={}",
               id, reason, summary.legs_settled(), summary.parlays_settled());
  return summary;
}

size_t Engine::SettleTransaction(std::span<const std::string> game_ids,
                                 size_t begin, const SettleOptions& options,
                                 SettleSummary& summary, size_t& attempted) {
  const size_t batch_size =
      static_cast<size_t>(std::max(1, options.batch_games));
  // Set before Begin(), so that a transaction that cannot begin still
  // counts its first batch as attempted, and the caller moves on.
  attempted = std::min(begin + batch_size, game_ids.size());
  SettleSummary settled;
  std::unique_ptr<Transaction> transaction = store_.Begin();
  size_t end = begin;
  do {
    const size_t batch_end = std::min(end + batch_size, game_ids.size());
    attempted = batch_end;
    SettleInTransaction(*transaction,
                        game_ids.subspan(end, batch_end - end), options,
                        settled);
    end = batch_end;
  } while (end < game_ids.size() &&
           (options.dry_run ||
            settled.legs_settled() < options.transaction_legs));
  const auto committed = game_ids.subspan(begin, end - begin);
  Fault(options, "before_commit", committed);
  if (!options.dry_run) transaction->Commit();  // a dry run rolls back
  MergeSummary(settled, summary);
  if (!options.dry_run) Fault(options, "committed", committed);
  return end;
}

void Engine::SettleInTransaction(Transaction& transaction,
                                 std::span<const std::string> requested_ids,
                                 const SettleOptions& options,
                                 SettleSummary& summary) {
  const int64_t now = clock_.NowSeconds();

  // Step 0: claim the games. Games another worker is settling right now
  // are left to it; whatever it leaves pending, a later pass finds.
  const std::vector<std::string> claimed = transaction.ClaimGames(requested_ids);
  const std::span<const std::string> game_ids(claimed);

  // Step 1: read the batch's games and pending legs, grade in memory. A
  // game postponed past the limit voids its legs; a final game whose feed
  // lacks a score some leg needs is reported for attention.
  std::unordered_map<std::string, GameResult> results;
  std::set<std::string, std::less<>> postponed_past_limit;
  const std::vector<Game> games = transaction.LoadGames(game_ids);
  for (const Game& game : games) {
    if (PostponedPastLimit(game.status, game.start_time, now, policy_)) {
      postponed_past_limit.insert(game.id);
    }
    GameResult result = ToResult(game);
    if (postponed_past_limit.contains(game.id)) {
      // The void reason is built once per game, from its schedule.
      result.void_reason =
          PostponementVoid(result, game.start_time, policy_).reason;
    }
    results.emplace(game.id, std::move(result));
  }
  const std::unordered_map<std::string, int> settle_order = SettleOrder(games);
  std::vector<LegUpdate> leg_updates;
  for (const PendingLeg& leg : transaction.LoadPendingLegs(game_ids)) {
    auto found = results.find(leg.game_id);
    if (found == results.end()) continue;
    const bool postponement = postponed_past_limit.contains(leg.game_id);
    if (!postponement && !IsGradable(found->second)) continue;
    Grade grade = postponement
                      ? Grade{LegStatus::kVoid, found->second.void_reason}
                      : GradeLeg(found->second, leg.terms);
    if (grade.status == LegStatus::kPending) {
      if (grade.needs_attention) {
        AddAttention(leg.game_id, summary);
        spdlog::warn(
            "leg cannot be graded: game_id={} parlay_id={} "
            "leg_index={} reason=\"{}\"",
            leg.game_id, leg.parlay_id, leg.index, grade.reason);
      }
      continue;
    }
    LegUpdate update;
    update.game_id = leg.game_id;
    update.parlay_id = leg.parlay_id;
    update.index = leg.index;
    update.status = grade.status;
    update.reason = std::move(grade.reason);
    update.home_score = found->second.home_score;
    update.away_score = found->second.away_score;
    update.settled_at = now;
    update.postponement_void = postponement;
    if (postponement) {
      update.home_score.reset();
      update.away_score.reset();
    }
    leg_updates.push_back(std::move(update));
  }

  // Step 2: write the legs that are still pending; collect their parlays.
  std::vector<bool> legs_changed = transaction.SettleLegs(leg_updates);
  std::vector<AuditEvent> audit;
  audit.reserve(leg_updates.size());
  // Ids point into leg_updates, and each list is sorted below. The parlay
  // lists keep an entry for each settled or lost leg, with its game, so
  // that a parlay's audit row can name one. graded_games is deduplicated.
  std::vector<ParlayGame> settled_leg_parlays;
  std::vector<std::string_view> touched_parlays;
  std::vector<ParlayGame> lost_parlays;
  std::vector<std::string_view> graded_games;
  for (size_t i = 0; i < leg_updates.size(); ++i) {
    if (!legs_changed[i]) continue;
    const LegUpdate& leg = leg_updates[i];
    const ParlayGame parlay_game{leg.parlay_id,
                                 settle_order.at(leg.game_id), leg.game_id};
    settled_leg_parlays.push_back(parlay_game);
    if (leg.status == LegStatus::kLost) lost_parlays.push_back(parlay_game);
    graded_games.push_back(leg.game_id);
    summary.legs[leg.status]++;

    AuditEvent event;
    event.entity = "leg";
    event.parlay_id = leg.parlay_id;
    event.leg_index = leg.index;
    event.game_id = leg.game_id;
    event.old_status = ToString(LegStatus::kPending);
    event.new_status = ToString(leg.status);
    event.home_score = leg.home_score;
    event.away_score = leg.away_score;
    event.reason = leg.reason;
    event.at = now;
    event.rules_version = kRulesVersion;
    audit.push_back(std::move(event));
  }
  std::sort(settled_leg_parlays.begin(), settled_leg_parlays.end());
  for (const ParlayGame& entry : settled_leg_parlays) {
    if (touched_parlays.empty() || touched_parlays.back() != entry.parlay_id) {
      touched_parlays.push_back(entry.parlay_id);
    }
  }
  std::sort(lost_parlays.begin(), lost_parlays.end());
  SortUnique(graded_games);
  summary.games_graded += static_cast<int>(graded_games.size());
  for (std::string_view game_id : graded_games) {
    if (postponed_past_limit.contains(game_id)) {
      summary.postponed_games_voided++;
    }
  }
  std::vector<std::string> settled_games(graded_games.begin(),
                                         graded_games.end());
  transaction.MarkGamesSettled(settled_games, now);
  Fault(options, "legs_written", game_ids);

  // Step 3: derive only the parlays these legs belong to. Any lost leg
  // loses its parlay at once (see DeriveParlay). The legs of the other
  // parlays are read only when their count of pending legs reaches 0 with
  // this batch. The rest keep waiting, and their new count is stored.
  std::vector<std::string> parlay_ids(touched_parlays.begin(),
                                      touched_parlays.end());
  std::vector<ParlayLegs> parlays = transaction.LoadParlayRows(parlay_ids);
  // The first game, in settle order, of a leg of the parlay lost in this
  // batch, or empty.
  auto lost_in_batch = [&](std::string_view id) {
    auto found = std::lower_bound(lost_parlays.begin(), lost_parlays.end(),
                                  id, ParlayGame::Less());
    return found != lost_parlays.end() && found->parlay_id == id
               ? found->game_id
               : std::string_view();
  };
  auto settled_in_batch = [&](std::string_view id) {
    auto [first, last] =
        std::equal_range(settled_leg_parlays.begin(),
                         settled_leg_parlays.end(), id, ParlayGame::Less());
    return std::span<const ParlayGame>(first, last);
  };
  std::vector<ParlayLegs*> need_legs;
  for (ParlayLegs& parlay : parlays) {
    if (parlay.status != ParlayStatus::kPending ||
        !lost_in_batch(parlay.id).empty()) {
      continue;
    }
    parlay.pending_legs -= static_cast<int>(settled_in_batch(parlay.id).size());
    if (parlay.pending_legs <= 0) need_legs.push_back(&parlay);
  }
  transaction.LoadLegs(need_legs);
  std::vector<ParlayUpdate> parlay_updates;
  std::vector<const ParlayLegs*> updated_parlays;
  std::vector<const ParlayLegs*> still_pending;
  for (ParlayLegs& parlay : parlays) {
    if (parlay.status != ParlayStatus::kPending) continue;
    ParlayOutcome outcome{ParlayStatus::kLost, 0};
    if (lost_in_batch(parlay.id).empty()) {
      if (parlay.legs.empty()) {
        still_pending.push_back(&parlay);
        continue;
      }
      outcome = DeriveParlay(parlay.stake_minor, parlay.legs);
    }
    if (outcome.status == ParlayStatus::kPending) {
      // The stored count was too low, so store the true one from the legs
      // just read.
      parlay.pending_legs = CountPendingLegs(parlay.legs);
      still_pending.push_back(&parlay);
      continue;
    }
    parlay_updates.push_back({parlay.id, outcome, now});
    updated_parlays.push_back(&parlay);
  }
  transaction.SetPendingLegs(still_pending);
  std::vector<bool> parlays_changed = transaction.SettleParlays(parlay_updates);
  audit.reserve(audit.size() + parlay_updates.size());
  for (size_t i = 0; i < parlay_updates.size(); ++i) {
    if (!parlays_changed[i]) continue;
    const ParlayUpdate& update = parlay_updates[i];
    const ParlayLegs& parlay = *updated_parlays[i];
    summary.parlays[update.outcome.status]++;
    summary.staked[parlay.currency] += parlay.stake_minor;
    summary.paid[parlay.currency] += update.outcome.payout_minor;

    AuditEvent event;
    event.entity = "parlay";
    event.parlay_id = parlay.id;
    // A leg lost in this batch lost the parlay. Otherwise its last pending
    // legs settled in this batch.
    event.game_id = lost_in_batch(parlay.id);
    if (event.game_id.empty()) {
      event.game_id = settled_in_batch(parlay.id).back().game_id;
    }
    event.old_status = ToString(ParlayStatus::kPending);
    event.new_status = ToString(update.outcome.status);
    event.payout_minor = update.outcome.payout_minor;
    event.reason = "derived from " + std::to_string(parlay.leg_count) +
                   (parlay.leg_count == 1 ? " leg" : " legs");
    event.at = now;
    event.rules_version = kRulesVersion;
    audit.push_back(std::move(event));
  }
  Fault(options, "parlays_written", game_ids);

  // Step 4: audit rows, then an outbox event for each, in the same
  // transaction. An event refers to its audit row instead of copying the
  // row's fields, and reads build its payload from the row.
  transaction.AppendAudit(audit);
  std::vector<OutboxEvent> outbox;
  outbox.reserve(audit.size());
  for (const AuditEvent& event : audit) {
    const char* type = event.entity == "leg" ? "leg_settled" : "parlay_settled";
    outbox.push_back(
        {0, type, event.parlay_id, event.leg_index, "", event.at, event.id});
  }
  transaction.AppendOutbox(outbox);
}

}  // namespace parlay
