// Grading: the outcome of one leg from a game's result. Pure functions over
// value types; no I/O and no clock. The rules are written out for readers in
// docs/settlement-rules.md.

#ifndef PARLAY_RULES_GRADING_H_
#define PARLAY_RULES_GRADING_H_

#include <optional>
#include <string>
#include <string_view>

#include "rules/line.h"
#include "rules/scores.h"
#include "rules/types.h"
#include "util/result.h"

namespace parlay {

// What grading needs to know about a game.
struct GameResult {
  std::string home;  // team names, used in reasons
  std::string away;
  GameStatus status = GameStatus::kScheduled;
  // The whole game's score: overtime and extra time included, a penalty
  // shootout not.
  std::optional<int> home_score;
  std::optional<int> away_score;
  std::string void_reason;  // why a cancelled game was voided, if known
  // True for soccer, whose match markets settle on the score after 90
  // minutes plus stoppage time.
  bool soccer = false;
  // Whether the game went to overtime or extra time; nullopt when the feed
  // did not report it.
  std::optional<bool> extra_time;
  PeriodScores periods;
  std::optional<Score> shootout;  // goals of a penalty shootout
  // The provider's own status text, e.g. "STATUS_ABANDONED", for reasons.
  std::string status_detail;
};

// The terms of one leg: what was bet, without the price.
struct LegTerms {
  Market market = Market::kMoneyline;
  Selection selection = Selection::kHome;
  std::optional<Line> line;  // spread, total and team total only
  Period period = Period::kGame;
};

// A leg's outcome and a sentence a person can check it by, e.g.
// "Detroit Lions 21 @ Kansas City Chiefs 20 final: Kansas City Chiefs -4.5
// not covered".
struct Grade {
  LegStatus status = LegStatus::kPending;
  std::string reason;
  // Set on a PENDING grade of a final game whose feed lacks the score the
  // leg needs, such as the score after 90 minutes of a match that went to
  // extra time: an operator must look at the game.
  bool needs_attention = false;
};

// True when legs on this game can be decided now: a final game with both
// scores, or a cancelled, abandoned or no-contest game (whose legs are
// void). A leg on a part of the game whose score is missing still stays
// pending.
bool IsGradable(const GameResult& game);

// True for a final game that is missing a score: its legs stay pending and
// an operator must look at it.
bool NeedsAttention(const GameResult& game);

// Grades one leg. Returns kPending (with the reason) when the game cannot be
// graded yet. REQUIRES: ValidateLegTerms(terms) succeeded.
Grade GradeLeg(const GameResult& game, const LegTerms& terms);

// Resolves a selection as given in input: "home", "away", "draw", "over",
// "under", "home_over", "home_under", "away_over", "away_under", or a team
// name, compared ignoring case and spacing. Returns an
// error naming both teams when the text matches neither team, or when the
// resolved selection does not fit the market (e.g. "draw" on a spread).
Result<Selection> ResolveSelection(Market market, std::string_view text,
                                   std::string_view home,
                                   std::string_view away);

// Checks that `terms` are complete and consistent: spread, total and team
// total need a line, the other markets take none, a total line is positive,
// and to_advance is a bet on the whole game only.
Result<LegTerms> ValidateLegTerms(LegTerms terms);

// Lowercases ASCII letters and drops spaces, dots and hyphens, so that
// "Kansas City  Chiefs" and "kansas city chiefs" compare equal.
std::string NormalizeTeamName(std::string_view name);

}  // namespace parlay

#endif  // PARLAY_RULES_GRADING_H_
