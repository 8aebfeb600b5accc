// The vocabulary of settlement: game, leg and parlay statuses, markets and
// selections, with their stable text names (used in the database, the JSON
// formats and the CLI).

#ifndef PARLAY_RULES_TYPES_H_
#define PARLAY_RULES_TYPES_H_

#include <optional>
#include <string_view>

namespace parlay {

enum class GameStatus {
  kScheduled,
  kInProgress,
  kFinal,
  kSuspended,
  kPostponed,
  kCancelled,
};

enum class LegStatus {
  kPending,
  kWon,
  kLost,
  kPush,
  kVoid,
  kHalfWon,
  kHalfLost,
};

enum class ParlayStatus {
  kPending,
  kWon,
  kLost,
  kPush,
  kVoid,
};

enum class Market {
  kMoneyline,      // two-way: home or away, a tie pushes
  kMoneyline3Way,  // 1X2: home, draw or away
  kSpread,         // handicap on the selected side
  kTotal,          // over or under the combined score
};

enum class Selection {
  kHome,
  kAway,
  kDraw,
  kOver,
  kUnder,
};

// Names: "final", "in_progress"; "PENDING", "HALF_WON"; "moneyline_3way";
// "home", "over".
std::string_view ToString(GameStatus status);
std::string_view ToString(LegStatus status);
std::string_view ToString(ParlayStatus status);
std::string_view ToString(Market market);
std::string_view ToString(Selection selection);

// Exact, case-sensitive inverses of ToString; nullopt for any other text.
std::optional<GameStatus> ParseGameStatus(std::string_view text);
std::optional<LegStatus> ParseLegStatus(std::string_view text);
std::optional<ParlayStatus> ParseParlayStatus(std::string_view text);
std::optional<Market> ParseMarket(std::string_view text);

}  // namespace parlay

#endif  // PARLAY_RULES_TYPES_H_
