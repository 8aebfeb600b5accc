#include "store/row_codec.h"

#include <map>
#include <nlohmann/json.hpp>

#include "rules/money.h"
#include "util/time.h"

namespace parlay {
namespace {

// The parts of a game stored in period_results, by their text names.
constexpr Period kStoredPeriods[] = {
    Period::kRegulation, Period::kFirstHalf, Period::kQuarter1,
    Period::kQuarter2,   Period::kQuarter3,  Period::kQuarter4,
};

// Writes a flat JSON object directly into a string, because building
// nlohmann::json objects took longer than grading. Callers add keys in
// alphabetical order, as nlohmann::json writes them, so the text is the
// same.
class PayloadWriter {
 public:
  PayloadWriter& Add(std::string_view key, std::string_view text) {
    Key(key);
    for (char c : text) {
      if (c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20 ||
          static_cast<unsigned char>(c) >= 0x7f) {
        // Escapes are left to the library. Bytes that are not UTF-8 become
        // U+FFFD rather than an exception: a stored text that slipped past
        // input checks must not stop every read of the outbox.
        out_ += nlohmann::json(std::string(text))
                    .dump(-1, ' ', false,
                          nlohmann::json::error_handler_t::replace);
        return *this;
      }
    }
    out_ += '"';
    out_ += text;
    out_ += '"';
    return *this;
  }

  PayloadWriter& Add(std::string_view key, int64_t number) {
    Key(key);
    out_ += std::to_string(number);
    return *this;
  }

  PayloadWriter& Add(std::string_view key, std::optional<int> number) {
    if (!number) {
      Key(key);
      out_ += "null";
      return *this;
    }
    return Add(key, int64_t{*number});
  }

  std::string Finish() {
    out_ += '}';
    return std::move(out_);
  }

 private:
  void Key(std::string_view key) {
    out_ += out_.size() == 1 ? "\"" : ",\"";
    out_ += key;
    out_ += "\":";
  }

  std::string out_ = "{";
};

std::string FormatForCurrency(int64_t minor, std::string_view currency) {
  return FormatAmount(minor, CurrencyExponent(currency).value_or(0));
}

}  // namespace

std::string LegSettledPayload(const AuditEvent& leg) {
  return PayloadWriter()
      .Add("away_score", leg.away_score)
      .Add("game_id", leg.game_id)
      .Add("home_score", leg.home_score)
      .Add("leg_index", int64_t{leg.leg_index})
      .Add("parlay_id", leg.parlay_id)
      .Add("reason", leg.reason)
      .Add("settled_at", FormatIso8601(leg.at))
      .Add("status", leg.new_status)
      .Finish();
}

std::string ParlaySettledPayload(const AuditEvent& parlay,
                                 std::string_view currency,
                                 int64_t stake_minor) {
  const int64_t payout = parlay.payout_minor.value_or(0);
  return PayloadWriter()
      .Add("currency", currency)
      .Add("parlay_id", parlay.parlay_id)
      .Add("payout", FormatForCurrency(payout, currency))
      .Add("payout_minor", payout)
      .Add("settled_at", FormatIso8601(parlay.at))
      .Add("stake", FormatForCurrency(stake_minor, currency))
      .Add("status", parlay.new_status)
      .Finish();
}

void BuildPayload(OutboxEvent& event, const OutboxSource& source) {
  if (!source.audit) {
    throw CorruptDataError(
        "outbox event " + std::to_string(event.seq) + " refers to audit row " +
        std::to_string(event.event_id) +
        ", which is missing; restore settlement_events from a backup, since "
        "events are built from it");
  }
  if (event.type == "leg_settled") {
    event.payload = LegSettledPayload(*source.audit);
  } else if (event.type == "parlay_settled" && source.stake_minor) {
    event.payload = ParlaySettledPayload(*source.audit, source.currency,
                                         *source.stake_minor);
  } else if (event.type == "parlay_settled") {
    throw CorruptDataError("outbox event " + std::to_string(event.seq) +
                           " refers to parlay \"" + event.parlay_id +
                           "\", which is missing; restore it from a backup");
  } else {
    throw CorruptDataError("corrupt row: outbox event " +
                           std::to_string(event.seq) + " of type \"" +
                           event.type +
                           "\" has an event_id, which only leg_settled and "
                           "parlay_settled events have");
  }
}

std::optional<int64_t> Widen(std::optional<int> value) {
  if (!value) return std::nullopt;
  return *value;
}

std::string IdArray(std::span<const std::string> ids) {
  nlohmann::json array = nlohmann::json::array();
  for (const std::string& id : ids) array.push_back(id);
  return array.dump();
}

std::string IdArray(std::span<ParlayLegs* const> parlays) {
  nlohmann::json array = nlohmann::json::array();
  for (const ParlayLegs* parlay : parlays) array.push_back(parlay->id);
  return array.dump();
}

void RejectNewerSchema(int stored, int latest) {
  if (stored <= latest) return;
  throw StoreError("database schema version " + std::to_string(stored) +
                   " is newer than this parlay-settler supports (" +
                   std::to_string(latest) +
                   "); a newer release upgraded it. Run that release, or "
                   "restore the backup taken before the upgrade");
}

int64_t PendingLegCount(const Parlay& parlay) {
  int64_t count = 0;
  for (const Leg& leg : parlay.legs) {
    if (leg.status == LegStatus::kPending) ++count;
  }
  return count;
}

std::vector<ParlayLegs*> Pointers(std::vector<ParlayLegs>& parlays) {
  std::vector<ParlayLegs*> pointers;
  pointers.reserve(parlays.size());
  for (ParlayLegs& parlay : parlays) pointers.push_back(&parlay);
  return pointers;
}

std::string PeriodResultsText(const PeriodScores& periods) {
  nlohmann::ordered_json object = nlohmann::ordered_json::object();
  for (Period period : kStoredPeriods) {
    if (const std::optional<Score> score = periods.Get(period)) {
      object[std::string(ToString(period))] = {score->home, score->away};
    }
  }
  return object.empty() ? "" : object.dump();
}

PeriodScores ParsePeriodResults(const std::string& text) {
  PeriodScores periods;
  if (text.empty()) return periods;
  const nlohmann::json object = nlohmann::json::parse(text, nullptr, false);
  if (!object.is_object()) {
    throw StoreError("corrupt row: invalid period_results \"" + text + "\"");
  }
  for (const auto& [name, pair] : object.items()) {
    const std::optional<Period> period = ParsePeriod(name);
    if (!period || !pair.is_array() || pair.size() != 2 ||
        !pair[0].is_number_integer() || !pair[1].is_number_integer()) {
      throw StoreError("corrupt row: invalid period_results \"" + text + "\"");
    }
    periods.Set(*period, Score{pair[0].get<int>(), pair[1].get<int>()});
  }
  return periods;
}

std::string ResultText(const Game& game) {
  const auto number = [](std::optional<int> value) {
    return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
  };
  nlohmann::ordered_json result = {
      {"status", ToString(game.status)},
      {"home", number(game.home_score)},
      {"away", number(game.away_score)},
      {"sport", game.sport},
      {"extra_time", game.extra_time ? nlohmann::json(*game.extra_time)
                                     : nlohmann::json(nullptr)},
      {"periods", PeriodResultsText(game.periods)},
      {"shootout", game.shootout ? nlohmann::json({game.shootout->home,
                                                   game.shootout->away})
                                 : nlohmann::json(nullptr)},
      {"void_reason", game.void_reason},
  };
  return result.dump();
}

std::string Placeholders(std::string_view sql) {
  std::string out(sql);
  for (size_t i = 0; i + 1 < out.size(); ++i) {
    if (out[i] == '$' && out[i + 1] >= '0' && out[i + 1] <= '9') out[i] = '?';
  }
  return out;
}

std::vector<CurrencyAmounts> ActivityMoney(const HourlyActivity& delta) {
  std::map<std::string, CurrencyAmounts> merged;
  for (const auto& [currency, amount] : delta.staked_minor) {
    merged[currency].staked_minor += amount;
  }
  for (const auto& [currency, amount] : delta.paid_minor) {
    merged[currency].paid_minor += amount;
  }
  std::vector<CurrencyAmounts> amounts;
  for (auto& [currency, amount] : merged) {
    amount.currency = currency;
    amounts.push_back(amount);
  }
  return amounts;
}

}  // namespace parlay
