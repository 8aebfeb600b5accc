#include "store/row_codec.h"

#include <map>
#include <nlohmann/json.hpp>

namespace parlay {
namespace {

// The parts of a game stored in period_results, by their text names.
constexpr Period kStoredPeriods[] = {
    Period::kRegulation, Period::kFirstHalf, Period::kQuarter1,
    Period::kQuarter2,   Period::kQuarter3,  Period::kQuarter4,
};

}  // namespace

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
