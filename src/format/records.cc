#include "format/records.h"

#include <fmt/format.h>

#include "rules/money.h"
#include "util/time.h"

namespace parlay {
namespace {

using nlohmann::json;

json OptionalInt(std::optional<int> value) {
  return value ? json(*value) : json(nullptr);
}

json OptionalTime(std::optional<int64_t> unix_seconds) {
  return unix_seconds ? json(FormatIso8601(*unix_seconds)) : json(nullptr);
}

std::string Amount(int64_t minor, const std::string& currency) {
  return FormatAmount(minor, CurrencyExponent(currency).value_or(0));
}

std::string LegTermsText(const Leg& leg) {
  std::string text = std::string(ToString(leg.market)) + " " +
                     leg.selection_text;
  if (leg.period != Period::kGame) {
    text = std::string(ToString(leg.period)) + " " + text;
  }
  if (leg.line) {
    text += " " + FormatLine(*leg.line, leg.market == Market::kSpread);
  }
  return text + " @ " + leg.odds.text;
}

std::string ScoreText(std::optional<int> home, std::optional<int> away) {
  auto one = [](std::optional<int> score) {
    return score ? std::to_string(*score) : std::string("-");
  };
  return one(home) + "-" + one(away);
}

}  // namespace

json GameToJson(const Game& game) {
  json out = {
      {"id", game.id},
      {"league", game.league},
      {"home", game.home},
      {"away", game.away},
      {"start_time", FormatIso8601(game.start_time)},
      {"status", ToString(game.status)},
      {"home_score", OptionalInt(game.home_score)},
      {"away_score", OptionalInt(game.away_score)},
      {"updated_at", FormatIso8601(game.updated_at)},
  };
  if (!game.period_scores.empty()) {
    out["period_scores"] = json::parse(game.period_scores, nullptr, false);
  }
  if (!game.void_reason.empty()) out["void_reason"] = game.void_reason;
  if (!game.sport.empty()) out["sport"] = game.sport;
  if (!game.status_detail.empty()) out["status_detail"] = game.status_detail;
  if (game.extra_time) out["extra_time"] = *game.extra_time;
  json periods = json::object();
  for (Period period :
       {Period::kRegulation, Period::kFirstHalf, Period::kQuarter1,
        Period::kQuarter2, Period::kQuarter3, Period::kQuarter4}) {
    if (const std::optional<Score> score = game.periods.Get(period)) {
      periods[std::string(ToString(period))] = {score->home, score->away};
    }
  }
  if (!periods.empty()) out["periods"] = periods;
  if (game.shootout) {
    out["shootout"] = {game.shootout->home, game.shootout->away};
  }
  if (game.first_settled_at) {
    out["first_settled_at"] = FormatIso8601(*game.first_settled_at);
  }
  if (!game.attention.empty()) out["attention"] = game.attention;
  return out;
}

json LegToJson(const Leg& leg) {
  return {
      {"index", leg.index},
      {"game", leg.game_id},
      {"market", ToString(leg.market)},
      {"selection", ToString(leg.selection)},
      {"selection_text", leg.selection_text},
      {"line", leg.line ? json(FormatLine(*leg.line, false)) : json(nullptr)},
      {"period", ToString(leg.period)},
      {"odds", leg.odds.text},
      {"status", ToString(leg.status)},
      {"reason", leg.reason},
      {"home_score", OptionalInt(leg.graded_home_score)},
      {"away_score", OptionalInt(leg.graded_away_score)},
      {"settled_at", OptionalTime(leg.settled_at)},
  };
}

json ParlayToJson(const Parlay& parlay) {
  json legs = json::array();
  for (const Leg& leg : parlay.legs) legs.push_back(LegToJson(leg));
  return {
      {"id", parlay.id},
      {"account", parlay.account},
      {"stake", Amount(parlay.stake_minor, parlay.currency)},
      {"currency", parlay.currency},
      {"placed_at", FormatIso8601(parlay.placed_at)},
      {"status", ToString(parlay.status)},
      {"payout", parlay.payout_minor
                     ? json(Amount(*parlay.payout_minor, parlay.currency))
                     : json(nullptr)},
      {"settled_at", OptionalTime(parlay.settled_at)},
      {"legs", legs},
  };
}

json AuditEventToJson(const AuditEvent& event) {
  return {
      {"id", event.id},
      {"entity", event.entity},
      {"parlay_id", event.parlay_id},
      {"leg_index", event.leg_index >= 0 ? json(event.leg_index)
                                         : json(nullptr)},
      {"game_id", event.game_id.empty() ? json(nullptr) : json(event.game_id)},
      {"old_status", event.old_status},
      {"new_status", event.new_status},
      {"payout_minor", event.payout_minor ? json(*event.payout_minor)
                                          : json(nullptr)},
      {"home_score", OptionalInt(event.home_score)},
      {"away_score", OptionalInt(event.away_score)},
      {"reason", event.reason},
      {"at", FormatIso8601(event.at)},
      {"rules_version", event.rules_version},
  };
}

json OutboxEventToJson(const OutboxEvent& event) {
  return {
      {"seq", event.seq},
      {"type", event.type},
      {"parlay_id", event.parlay_id},
      {"leg_index", event.leg_index >= 0 ? json(event.leg_index)
                                         : json(nullptr)},
      {"payload", json::parse(event.payload, nullptr, false)},
      {"created_at", FormatIso8601(event.created_at)},
  };
}

json SummaryToJson(const SettleSummary& summary) {
  json legs = json::object();
  for (const auto& [status, count] : summary.legs) {
    legs[std::string(ToString(status))] = count;
  }
  json parlays = json::object();
  for (const auto& [status, count] : summary.parlays) {
    parlays[std::string(ToString(status))] = count;
  }
  json staked = json::object();
  for (const auto& [currency, amount] : summary.staked) {
    staked[currency] = Amount(amount, currency);
  }
  json paid = json::object();
  for (const auto& [currency, amount] : summary.paid) {
    paid[currency] = Amount(amount, currency);
  }
  json failures = json::array();
  for (const GameFailure& failure : summary.failures) {
    failures.push_back({{"game_id", failure.game_id},
                        {"error", failure.error}});
  }
  return {
      {"games_graded", summary.games_graded},
      {"legs_settled", summary.legs_settled()},
      {"legs", legs},
      {"parlays_settled", summary.parlays_settled()},
      {"parlays", parlays},
      {"staked", staked},
      {"paid", paid},
      {"games_needing_attention", summary.games_needing_attention},
      {"failures", failures},
      {"duration_ms", summary.duration_ms},
      {"corrections",
       {{"applied", summary.corrections_applied},
        {"unchanged", summary.corrections_unchanged},
        {"held", summary.corrections_held},
        {"legs_corrected", summary.legs_corrected},
        {"parlays_corrected", summary.parlays_corrected}}},
      {"postponed_games_voided", summary.postponed_games_voided},
  };
}

std::string QuoteForMessage(std::string_view text) {
  return nlohmann::json(std::string(text))
      .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string FormatMoney(int64_t minor, const std::string& currency) {
  return currency + " " + Amount(minor, currency);
}

std::string SummaryToText(const SettleSummary& summary) {
  std::string out;
  out += fmt::format("games graded        {}\n", summary.games_graded);
  out += fmt::format("legs settled        {}", summary.legs_settled());
  for (const auto& [status, count] : summary.legs) {
    out += fmt::format("  {} {}", ToString(status), count);
  }
  out += fmt::format("\nparlays settled     {}", summary.parlays_settled());
  for (const auto& [status, count] : summary.parlays) {
    out += fmt::format("  {} {}", ToString(status), count);
  }
  out += "\n";
  for (const auto& [currency, amount] : summary.staked) {
    out += fmt::format("staked              {}\n", FormatMoney(amount, currency));
  }
  for (const auto& [currency, amount] : summary.paid) {
    out += fmt::format("paid                {}\n", FormatMoney(amount, currency));
  }
  out += fmt::format("needing attention   {}\n",
                     summary.games_needing_attention.size());
  for (const std::string& game_id : summary.games_needing_attention) {
    out += fmt::format("  {}\n", game_id);
  }
  out += fmt::format(
      "score corrections   applied {}  unchanged {}  held {}  (legs {}, "
      "parlays {})\n",
      summary.corrections_applied, summary.corrections_unchanged,
      summary.corrections_held, summary.legs_corrected,
      summary.parlays_corrected);
  if (summary.postponed_games_voided > 0) {
    out +=
        fmt::format("postponed voided    {}\n", summary.postponed_games_voided);
  }
  out += fmt::format("failed games        {}\n", summary.failures.size());
  for (const GameFailure& failure : summary.failures) {
    out += fmt::format("  {}: {}\n", failure.game_id, failure.error);
  }
  out += fmt::format("duration            {:.3f} s\n",
                     static_cast<double>(summary.duration_ms) / 1000.0);
  return out;
}

std::string GamesToTable(std::span<const Game> games) {
  std::string out = fmt::format("{:<24} {:<6} {:<12} {:>7}  {}\n", "ID",
                                "LEAGUE", "STATUS", "SCORE", "AWAY @ HOME");
  for (const Game& game : games) {
    out += fmt::format("{:<24} {:<6} {:<12} {:>7}  {} @ {}\n", game.id,
                       game.league, ToString(game.status),
                       ScoreText(game.away_score, game.home_score), game.away,
                       game.home);
  }
  return out;
}

std::string ParlaysToTable(std::span<const Parlay> parlays) {
  std::string out = fmt::format("{:<20} {:<12} {:>4} {:>16} {:<8} {:>16}\n",
                                "ID", "ACCOUNT", "LEGS", "STAKE", "STATUS",
                                "PAYOUT");
  for (const Parlay& parlay : parlays) {
    out += fmt::format(
        "{:<20} {:<12} {:>4} {:>16} {:<8} {:>16}\n", parlay.id,
        parlay.account, parlay.legs.size(),
        FormatMoney(parlay.stake_minor, parlay.currency),
        ToString(parlay.status),
        parlay.payout_minor ? FormatMoney(*parlay.payout_minor, parlay.currency)
                            : std::string("-"));
  }
  return out;
}

std::string ParlayToText(const Parlay& parlay) {
  std::string out = fmt::format(
      "parlay {}  account {}  stake {}  placed {}\nstatus {}", parlay.id,
      parlay.account, FormatMoney(parlay.stake_minor, parlay.currency),
      FormatIso8601(parlay.placed_at), ToString(parlay.status));
  if (parlay.payout_minor) {
    out += "  payout " + FormatMoney(*parlay.payout_minor, parlay.currency);
  }
  if (parlay.settled_at) out += "  settled " + FormatIso8601(*parlay.settled_at);
  out += "\n";
  for (const Leg& leg : parlay.legs) {
    out += fmt::format("  leg {}  {}  game {}  {}\n", leg.index,
                       LegTermsText(leg), leg.game_id, ToString(leg.status));
    if (!leg.reason.empty()) out += "         " + leg.reason + "\n";
  }
  return out;
}

}  // namespace parlay
