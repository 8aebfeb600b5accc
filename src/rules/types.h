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
  kAbandoned,  // stopped and not resumed: legs are void like a cancellation
  kNoContest,  // declared void by the league: legs are void
  kUnknown,    // a provider status this service does not recognise
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
  kTeamTotal,      // over or under one team's score
  kDrawNoBet,      // home or away, a draw pushes
  kToAdvance,      // who goes through, extra time and penalties included
};

enum class Selection {
  kHome,
  kAway,
  kDraw,
  kOver,
  kUnder,
  kHomeOver,  // team totals
  kHomeUnder,
  kAwayOver,
  kAwayUnder,
};

// The part of a game a leg is settled on. kGame is the whole game as the
// market's sport counts it: overtime included in US sports, 90 minutes plus
// stoppage time in soccer.
enum class Period {
  kGame,
  kRegulation,  // without overtime or extra time
  kFirstHalf,
  kQuarter1,
  kQuarter2,
  kQuarter3,
  kQuarter4,
};

// Names: "final", "in_progress"; "PENDING", "HALF_WON"; "moneyline_3way";
// "home", "over".
std::string_view ToString(GameStatus status);
std::string_view ToString(LegStatus status);
std::string_view ToString(ParlayStatus status);
std::string_view ToString(Market market);
std::string_view ToString(Selection selection);
std::string_view ToString(Period period);  // "game", "first_half", "q1"

// Exact, case-sensitive inverses of ToString; nullopt for any other text.
std::optional<GameStatus> ParseGameStatus(std::string_view text);
std::optional<LegStatus> ParseLegStatus(std::string_view text);
std::optional<ParlayStatus> ParseParlayStatus(std::string_view text);
std::optional<Market> ParseMarket(std::string_view text);
std::optional<Selection> ParseSelection(std::string_view text);
std::optional<Period> ParsePeriod(std::string_view text);

// True for the statuses whose legs are void: cancelled, abandoned and no
// contest.
bool IsVoidStatus(GameStatus status);

}  // namespace parlay

#endif  // PARLAY_RULES_TYPES_H_
