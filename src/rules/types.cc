#include "rules/types.h"

#include <utility>

namespace parlay {
namespace {

// Each table lists every enumerator once, with its stable text name.
constexpr std::pair<GameStatus, std::string_view> kGameStatusNames[] = {
    {GameStatus::kScheduled, "scheduled"},
    {GameStatus::kInProgress, "in_progress"},
    {GameStatus::kFinal, "final"},
    {GameStatus::kSuspended, "suspended"},
    {GameStatus::kPostponed, "postponed"},
    {GameStatus::kCancelled, "cancelled"},
    {GameStatus::kAbandoned, "abandoned"},
    {GameStatus::kNoContest, "no_contest"},
    {GameStatus::kUnknown, "unknown"},
};

constexpr std::pair<LegStatus, std::string_view> kLegStatusNames[] = {
    {LegStatus::kPending, "PENDING"},    {LegStatus::kWon, "WON"},
    {LegStatus::kLost, "LOST"},          {LegStatus::kPush, "PUSH"},
    {LegStatus::kVoid, "VOID"},          {LegStatus::kHalfWon, "HALF_WON"},
    {LegStatus::kHalfLost, "HALF_LOST"},
};

constexpr std::pair<ParlayStatus, std::string_view> kParlayStatusNames[] = {
    {ParlayStatus::kPending, "PENDING"}, {ParlayStatus::kWon, "WON"},
    {ParlayStatus::kLost, "LOST"},       {ParlayStatus::kPush, "PUSH"},
    {ParlayStatus::kVoid, "VOID"},
};

constexpr std::pair<Market, std::string_view> kMarketNames[] = {
    {Market::kMoneyline, "moneyline"},
    {Market::kMoneyline3Way, "moneyline_3way"},
    {Market::kSpread, "spread"},
    {Market::kTotal, "total"},
    {Market::kTeamTotal, "team_total"},
    {Market::kDrawNoBet, "draw_no_bet"},
    {Market::kToAdvance, "to_advance"},
};

constexpr std::pair<Selection, std::string_view> kSelectionNames[] = {
    {Selection::kHome, "home"},
    {Selection::kAway, "away"},
    {Selection::kDraw, "draw"},
    {Selection::kOver, "over"},
    {Selection::kUnder, "under"},
    {Selection::kHomeOver, "home_over"},
    {Selection::kHomeUnder, "home_under"},
    {Selection::kAwayOver, "away_over"},
    {Selection::kAwayUnder, "away_under"},
};

constexpr std::pair<Period, std::string_view> kPeriodNames[] = {
    {Period::kGame, "game"},
    {Period::kRegulation, "regulation"},
    {Period::kFirstHalf, "first_half"},
    {Period::kQuarter1, "q1"},
    {Period::kQuarter2, "q2"},
    {Period::kQuarter3, "q3"},
    {Period::kQuarter4, "q4"},
};

template <typename Enum, size_t N>
std::string_view NameOf(const std::pair<Enum, std::string_view> (&names)[N],
                        Enum value) {
  for (const auto& [candidate, name] : names) {
    if (candidate == value) return name;
  }
  // Reached only for a value cast from an integer outside the enumeration.
  return "unknown";
}

template <typename Enum, size_t N>
std::optional<Enum> ValueOf(const std::pair<Enum, std::string_view> (&names)[N],
                            std::string_view text) {
  for (const auto& [value, name] : names) {
    if (name == text) return value;
  }
  return std::nullopt;
}

}  // namespace

std::string_view ToString(GameStatus status) {
  return NameOf(kGameStatusNames, status);
}

std::string_view ToString(LegStatus status) {
  return NameOf(kLegStatusNames, status);
}

std::string_view ToString(ParlayStatus status) {
  return NameOf(kParlayStatusNames, status);
}

std::string_view ToString(Market market) {
  return NameOf(kMarketNames, market);
}

std::string_view ToString(Selection selection) {
  return NameOf(kSelectionNames, selection);
}

std::string_view ToString(Period period) {
  return NameOf(kPeriodNames, period);
}

std::optional<GameStatus> ParseGameStatus(std::string_view text) {
  return ValueOf(kGameStatusNames, text);
}

std::optional<LegStatus> ParseLegStatus(std::string_view text) {
  return ValueOf(kLegStatusNames, text);
}

std::optional<ParlayStatus> ParseParlayStatus(std::string_view text) {
  return ValueOf(kParlayStatusNames, text);
}

std::optional<Market> ParseMarket(std::string_view text) {
  return ValueOf(kMarketNames, text);
}

std::optional<Selection> ParseSelection(std::string_view text) {
  return ValueOf(kSelectionNames, text);
}

std::optional<Period> ParsePeriod(std::string_view text) {
  return ValueOf(kPeriodNames, text);
}

bool IsVoidStatus(GameStatus status) {
  return status == GameStatus::kCancelled || status == GameStatus::kAbandoned ||
         status == GameStatus::kNoContest;
}

}  // namespace parlay
