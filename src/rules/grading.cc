#include "rules/grading.h"

#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <utility>

namespace parlay {
namespace {

// Lines accepted by ValidateLegTerms, in quarter points: the range ParseLine
// accepts, +-1000 points.
constexpr int kMaxLineQuarters = 4000;

// "Detroit Lions @ Kansas City Chiefs": the away team first, as schedules
// write it.
std::string Matchup(std::string_view home, std::string_view away) {
  return std::string(away) + " @ " + std::string(home);
}

// "Detroit Lions 21 @ Kansas City Chiefs 20 final", the start of every
// reason for a graded leg. REQUIRES: both scores are set.
std::string FinalScoreLine(const GameResult& game) {
  return game.away + " " + std::to_string(*game.away_score) + " @ " +
         game.home + " " + std::to_string(*game.home_score) + " final";
}

bool IsAsciiSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
         c == '\v';
}

std::string StatusWords(GameStatus status) {
  std::string words(ToString(status));
  for (char& c : words) {
    if (c == '_') c = ' ';
  }
  return words;
}

// The outcome of a bet on a whole or half-point line, from its edge: the
// bet's result minus the line, in quarter points.
LegStatus StatusFromEdge(int64_t edge) {
  if (edge > 0) return LegStatus::kWon;
  if (edge < 0) return LegStatus::kLost;
  return LegStatus::kPush;
}

// Combines the two halves of a quarter-line bet. The halves sit on
// neighbouring half-point lines, one whole and one half, so with integer
// scores they never split into won and lost, and at most one can push.
LegStatus CombineHalves(LegStatus first, LegStatus second) {
  if (first == second) return first;
  const LegStatus decided = first == LegStatus::kPush ? second : first;
  return decided == LegStatus::kWon ? LegStatus::kHalfWon
                                    : LegStatus::kHalfLost;
}

// A quarter line's two half-point lines, nearer zero first:
// -0.25 -> 0 and -0.5, 47.25 -> 47 and 47.5.
std::pair<Line, Line> SplitQuarterLine(Line line) {
  if (line.quarters > 0) {
    return {Line{line.quarters - 1}, Line{line.quarters + 1}};
  }
  return {Line{line.quarters + 1}, Line{line.quarters - 1}};
}

// Spread bets read "covered" and "not covered", other bets "won" and "lost".
std::string_view OutcomeWords(LegStatus status, bool spread) {
  switch (status) {
    case LegStatus::kWon:
      return spread ? "covered" : "won";
    case LegStatus::kLost:
      return spread ? "not covered" : "lost";
    case LegStatus::kPush:
      return "push";
    case LegStatus::kHalfWon:
      return "half won";
    case LegStatus::kHalfLost:
      return "half lost";
    default:
      return ToString(status);
  }
}

// A bet graded against its line. `summary` is "<line> <outcome>", and
// `halves` is " (<line> <outcome>, <line> <outcome>)" for a quarter line and
// empty otherwise: "-0.25 half lost" and " (0 push, -0.5 not covered)".
struct LineGrade {
  LegStatus status = LegStatus::kPending;
  std::string summary;
  std::string halves;
};

// Grades a bet on `line` whose edge at a whole or half-point line `at` is
// edge_at(at). A quarter line is graded as two half bets on its neighbours.
template <typename EdgeAt>
LineGrade GradeAgainstLine(Line line, bool spread, EdgeAt edge_at) {
  const bool signed_form = spread;
  const auto describe = [&](Line at, LegStatus status) {
    return FormatLine(at, signed_form) + " " +
           std::string(OutcomeWords(status, spread));
  };
  if (!line.is_quarter()) {
    const LegStatus status = StatusFromEdge(edge_at(line));
    return {status, describe(line, status), ""};
  }
  const auto [near, far] = SplitQuarterLine(line);
  const LegStatus near_status = StatusFromEdge(edge_at(near));
  const LegStatus far_status = StatusFromEdge(edge_at(far));
  const LegStatus status = CombineHalves(near_status, far_status);
  return {status, describe(line, status),
          " (" + describe(near, near_status) + ", " +
              describe(far, far_status) + ")"};
}

// The selected team's name and its margin of victory (negative in defeat).
// REQUIRES: selection is kHome or kAway.
std::pair<std::string, int64_t> TeamMargin(const GameResult& game,
                                           Selection selection) {
  const int64_t home_margin =
      static_cast<int64_t>(*game.home_score) - *game.away_score;
  if (selection == Selection::kHome) return {game.home, home_margin};
  return {game.away, -home_margin};
}

std::string WonOrLostBy(const std::string& team, int64_t margin) {
  return team + (margin > 0 ? " won by " : " lost by ") +
         std::to_string(std::llabs(margin));
}

Grade GradeMoneyline(const GameResult& game, Selection selection) {
  const auto [team, margin] = TeamMargin(game, selection);
  if (margin == 0) {
    return {LegStatus::kPush, "tie, " + team + " moneyline push"};
  }
  return {StatusFromEdge(margin), WonOrLostBy(team, margin)};
}

Grade GradeMoneyline3Way(const GameResult& game, Selection selection) {
  const int64_t home_margin =
      static_cast<int64_t>(*game.home_score) - *game.away_score;
  if (selection == Selection::kDraw) {
    if (home_margin == 0) return {LegStatus::kWon, "draw won"};
    const Selection winner =
        home_margin > 0 ? Selection::kHome : Selection::kAway;
    const auto [team, margin] = TeamMargin(game, winner);
    return {LegStatus::kLost, WonOrLostBy(team, margin) + ", draw lost"};
  }
  const auto [team, margin] = TeamMargin(game, selection);
  if (margin == 0) return {LegStatus::kLost, "draw, " + team + " did not win"};
  return {StatusFromEdge(margin), WonOrLostBy(team, margin)};
}

// "Kansas City Chiefs -4.5 not covered".
Grade GradeSpread(const GameResult& game, Selection selection, Line line) {
  const auto [team, margin] = TeamMargin(game, selection);
  const LineGrade graded = GradeAgainstLine(
      line, /*spread=*/true, [&](Line at) { return margin * 4 + at.quarters; });
  return {graded.status, team + " " + graded.summary + graded.halves};
}

// "over 47.5 won with 48 points".
Grade GradeTotal(const GameResult& game, Selection selection, Line line) {
  const int64_t points =
      static_cast<int64_t>(*game.home_score) + *game.away_score;
  const bool over = selection == Selection::kOver;
  const LineGrade graded =
      GradeAgainstLine(line, /*spread=*/false, [&](Line at) {
        return over ? points * 4 - at.quarters : at.quarters - points * 4;
      });
  return {graded.status,
          std::string(over ? "over " : "under ") + graded.summary + " with " +
              std::to_string(points) + (points == 1 ? " point" : " points") +
              graded.halves};
}

bool SelectionFitsMarket(Market market, Selection selection) {
  switch (market) {
    case Market::kMoneyline:
    case Market::kSpread:
      return selection == Selection::kHome || selection == Selection::kAway;
    case Market::kMoneyline3Way:
      return selection == Selection::kHome || selection == Selection::kAway ||
             selection == Selection::kDraw;
    case Market::kTotal:
      return selection == Selection::kOver || selection == Selection::kUnder;
  }
  return false;
}

std::string_view TrimSpaces(std::string_view text) {
  while (!text.empty() && IsAsciiSpace(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsAsciiSpace(text.back())) text.remove_suffix(1);
  return text;
}

std::string ToLowerAscii(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return lower;
}

std::optional<Selection> SelectionKeyword(std::string_view text) {
  const std::string lower = ToLowerAscii(TrimSpaces(text));
  for (Selection selection :
       {Selection::kHome, Selection::kAway, Selection::kDraw, Selection::kOver,
        Selection::kUnder}) {
    if (lower == ToString(selection)) return selection;
  }
  return std::nullopt;
}

// What a valid selection for `market` looks like, for error messages.
std::string ExpectedSelections(Market market, std::string_view home,
                               std::string_view away) {
  const std::string teams =
      "\"" + std::string(home) + "\" or \"" + std::string(away) + "\"";
  switch (market) {
    case Market::kMoneyline:
    case Market::kSpread:
      return "home, away, " + teams;
    case Market::kMoneyline3Way:
      return "home, draw, away, " + teams;
    case Market::kTotal:
      return "over or under";
  }
  return "";
}

// "invalid selection "<text>" for <market> on <matchup>: <problem>, expected
// <expected>".
Error InvalidSelection(Market market, std::string_view text,
                       std::string_view home, std::string_view away,
                       std::string_view problem, std::string_view expected) {
  return Error{"invalid selection \"" + std::string(text) + "\" for " +
               std::string(ToString(market)) + " on " + Matchup(home, away) +
               ": " + std::string(problem) + ", expected " +
               std::string(expected)};
}

}  // namespace

bool IsGradable(const GameResult& game) {
  if (game.status == GameStatus::kCancelled) return true;
  return game.status == GameStatus::kFinal && game.home_score.has_value() &&
         game.away_score.has_value();
}

bool NeedsAttention(const GameResult& game) {
  return game.status == GameStatus::kFinal &&
         (!game.home_score.has_value() || !game.away_score.has_value());
}

Grade GradeLeg(const GameResult& game, const LegTerms& terms) {
  const std::string matchup = Matchup(game.home, game.away);
  if (game.status == GameStatus::kCancelled) {
    std::string reason = matchup + " cancelled, leg void";
    if (!game.void_reason.empty()) reason += ": " + game.void_reason;
    return {LegStatus::kVoid, reason};
  }
  if (NeedsAttention(game)) {
    const std::string_view missing = game.home_score   ? "away score"
                                     : game.away_score ? "home score"
                                                       : "both scores";
    return {LegStatus::kPending, matchup + " final but " +
                                     std::string(missing) +
                                     " missing: needs attention"};
  }
  if (!IsGradable(game)) {
    return {LegStatus::kPending, matchup + " " + StatusWords(game.status) +
                                     ": waiting for the final score"};
  }

  // GradeLeg requires valid terms. Invalid ones leave the leg pending, with
  // the problem as the reason, rather than grading them by guesswork.
  const Result<LegTerms> valid = ValidateLegTerms(terms);
  if (!valid) return {LegStatus::kPending, "cannot grade: " + valid.error()};

  Grade grade;
  switch (terms.market) {
    case Market::kMoneyline:
      grade = GradeMoneyline(game, terms.selection);
      break;
    case Market::kMoneyline3Way:
      grade = GradeMoneyline3Way(game, terms.selection);
      break;
    case Market::kSpread:
      grade = GradeSpread(game, terms.selection, *terms.line);
      break;
    case Market::kTotal:
      grade = GradeTotal(game, terms.selection, *terms.line);
      break;
  }
  grade.reason = FinalScoreLine(game) + ": " + grade.reason;
  return grade;
}

Result<Selection> ResolveSelection(Market market, std::string_view text,
                                   std::string_view home,
                                   std::string_view away) {
  const auto reject = [&](std::string_view problem) {
    return InvalidSelection(market, text, home, away, problem,
                            ExpectedSelections(market, home, away));
  };

  if (const std::optional<Selection> keyword = SelectionKeyword(text)) {
    if (!SelectionFitsMarket(market, *keyword)) {
      return reject(std::string(ToString(*keyword)) + " is not a " +
                    std::string(ToString(market)) + " selection");
    }
    return *keyword;
  }

  const std::string name = NormalizeTeamName(text);
  if (name.empty()) return reject("empty");
  const std::string home_name = NormalizeTeamName(home);
  const std::string away_name = NormalizeTeamName(away);
  if (name != home_name && name != away_name) {
    return reject("matches neither team");
  }
  if (market == Market::kTotal) {
    return reject("a team is not a total selection");
  }
  if (home_name == away_name) {
    return InvalidSelection(market, text, home, away,
                            "ambiguous because both teams have the same name",
                            market == Market::kMoneyline3Way
                                ? "home, draw or away"
                                : "home or away");
  }
  return name == home_name ? Selection::kHome : Selection::kAway;
}

Result<LegTerms> ValidateLegTerms(LegTerms terms) {
  const std::string market(ToString(terms.market));
  if (!SelectionFitsMarket(terms.market, terms.selection)) {
    return Error{"invalid leg: " + std::string(ToString(terms.selection)) +
                 " is not a " + market + " selection"};
  }
  const bool takes_line =
      terms.market == Market::kSpread || terms.market == Market::kTotal;
  if (!takes_line) {
    if (terms.line) {
      return Error{"invalid leg: a " + market + " takes no line, got " +
                   FormatLine(*terms.line, true)};
    }
    return terms;
  }
  if (!terms.line) return Error{"invalid leg: a " + market + " needs a line"};
  if (std::abs(static_cast<int64_t>(terms.line->quarters)) > kMaxLineQuarters) {
    return Error{"invalid leg: line " + FormatLine(*terms.line, true) +
                 " is above 1000 points in magnitude"};
  }
  if (terms.market == Market::kTotal && terms.line->quarters <= 0) {
    return Error{"invalid leg: a total line must be positive, got " +
                 FormatLine(*terms.line, false)};
  }
  return terms;
}

std::string NormalizeTeamName(std::string_view name) {
  std::string normalized;
  normalized.reserve(name.size());
  for (char c : name) {
    if (IsAsciiSpace(c) || c == '.' || c == '-') continue;
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    normalized += c;
  }
  return normalized;
}

}  // namespace parlay
