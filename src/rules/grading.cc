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
// reason for a graded leg, with "after extra time" (soccer) or "after
// overtime" and a shootout's score when the feed gave them. REQUIRES: both
// scores are set.
std::string FinalScoreLine(const GameResult& game) {
  std::string line = game.away + " " + std::to_string(*game.away_score) +
                     " @ " + game.home + " " +
                     std::to_string(*game.home_score) + " final";
  if (game.extra_time == true) {
    line += game.soccer ? " after extra time" : " after overtime";
  }
  if (game.shootout) {
    line += ", penalties " + std::to_string(game.shootout->away) + "-" +
            std::to_string(game.shootout->home);
  }
  return line;
}

// "first half", "third quarter": the words for a period in reasons.
std::string PeriodWords(Period period, bool soccer) {
  switch (period) {
    case Period::kGame:
      return soccer ? "after 90 minutes" : "game";
    case Period::kRegulation:
      return soccer ? "after 90 minutes" : "regulation";
    case Period::kFirstHalf:
      return "first half";
    case Period::kQuarter1:
      return "first quarter";
    case Period::kQuarter2:
      return "second quarter";
    case Period::kQuarter3:
      return "third quarter";
    case Period::kQuarter4:
      return "fourth quarter";
  }
  return std::string(ToString(period));
}

// The score a leg on `period` settles on. `scope` names the part of the
// game when it is not simply the final score ("first half"), and is empty
// otherwise. Without a score, `missing` names the missing score.
struct PeriodScore {
  std::optional<Score> score;
  std::string scope;
  std::string missing;
};

// Soccer's match markets, and every sport's regulation markets, settle on
// the score at the end of regulation time. A game that did not go to extra
// time ended with its regulation score.
PeriodScore RegulationScore(const GameResult& game, Period period) {
  const Score final_score{*game.home_score, *game.away_score};
  // A soccer match market names no period in its reason unless extra time
  // made the two scores differ.
  const bool name_scope =
      period == Period::kRegulation || game.extra_time == true ||
      (game.periods.regulation && *game.periods.regulation != final_score);
  const std::string scope =
      name_scope ? PeriodWords(Period::kRegulation, game.soccer) : "";
  if (game.periods.regulation) return {game.periods.regulation, scope, ""};
  const std::string missing =
      game.soccer ? "the score after 90 minutes" : "the regulation score";
  if (game.extra_time == true) return {std::nullopt, "", missing};
  // Overtime is common in US sports, so there a final score is the
  // regulation score only when the feed reports that the game had none. Soccer
  // feeds mark extra time, so a soccer score without it is taken as the
  // score after 90 minutes.
  if (!game.soccer && game.extra_time != false) {
    return {std::nullopt, "", missing};
  }
  return {final_score, scope, ""};
}

PeriodScore ScoreForPeriod(const GameResult& game, Period period) {
  const Score final_score{*game.home_score, *game.away_score};
  switch (period) {
    case Period::kGame:
      if (!game.soccer) return {final_score, "", ""};
      return RegulationScore(game, period);
    case Period::kRegulation:
      return RegulationScore(game, period);
    case Period::kFirstHalf:
      if (game.periods.first_half) {
        return {game.periods.first_half, "first half", ""};
      }
      if (game.periods.quarters[0] && game.periods.quarters[1]) {
        const Score first = *game.periods.quarters[0];
        const Score second = *game.periods.quarters[1];
        return {Score{first.home + second.home, first.away + second.away},
                "first half", ""};
      }
      return {std::nullopt, "", "the first-half score"};
    default: {
      const std::optional<Score> quarter = game.periods.Get(period);
      const std::string words = PeriodWords(period, game.soccer);
      if (quarter) return {quarter, words, ""};
      return {std::nullopt, "", "the " + words + " score"};
    }
  }
}

// ", first half 7-10": the scope of a score, away score first as in the
// score line. Empty for the final score.
std::string ScopeText(const PeriodScore& period) {
  if (period.scope.empty()) return "";
  return ", " + period.scope + " " + std::to_string(period.score->away) + "-" +
         std::to_string(period.score->home);
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
std::pair<std::string, int64_t> TeamMargin(const GameResult& game, Score score,
                                           Selection selection) {
  const int64_t home_margin = static_cast<int64_t>(score.home) - score.away;
  if (selection == Selection::kHome) return {game.home, home_margin};
  return {game.away, -home_margin};
}

std::string WonOrLostBy(const std::string& team, int64_t margin) {
  return team + (margin > 0 ? " won by " : " lost by ") +
         std::to_string(std::llabs(margin));
}

Grade GradeMoneyline(const GameResult& game, Score score, Selection selection) {
  const auto [team, margin] = TeamMargin(game, score, selection);
  if (margin == 0) {
    return {LegStatus::kPush, "tie, " + team + " moneyline push"};
  }
  return {StatusFromEdge(margin), WonOrLostBy(team, margin)};
}

// Draw no bet is a two-way moneyline named for soccer: a draw returns the
// stake.
Grade GradeDrawNoBet(const GameResult& game, Score score, Selection selection) {
  const auto [team, margin] = TeamMargin(game, score, selection);
  if (margin == 0) return {LegStatus::kPush, "draw, draw no bet push"};
  return {StatusFromEdge(margin), WonOrLostBy(team, margin)};
}

Grade GradeMoneyline3Way(const GameResult& game, Score score,
                         Selection selection) {
  const int64_t home_margin = static_cast<int64_t>(score.home) - score.away;
  if (selection == Selection::kDraw) {
    if (home_margin == 0) return {LegStatus::kWon, "draw won"};
    const Selection winner =
        home_margin > 0 ? Selection::kHome : Selection::kAway;
    const auto [team, margin] = TeamMargin(game, score, winner);
    return {LegStatus::kLost, WonOrLostBy(team, margin) + ", draw lost"};
  }
  const auto [team, margin] = TeamMargin(game, score, selection);
  if (margin == 0) return {LegStatus::kLost, "draw, " + team + " did not win"};
  return {StatusFromEdge(margin), WonOrLostBy(team, margin)};
}

// "Kansas City Chiefs -4.5 not covered".
Grade GradeSpread(const GameResult& game, Score score, Selection selection,
                  Line line) {
  const auto [team, margin] = TeamMargin(game, score, selection);
  const LineGrade graded = GradeAgainstLine(
      line, /*spread=*/true,
      // An init-capture, because clang 14 (the fuzz build) cannot capture
      // a structured binding.
      [margin = margin](Line at) { return margin * 4 + at.quarters; });
  return {graded.status, team + " " + graded.summary + graded.halves};
}

// "over 47.5 won with 48 points", for a total or, with the team named
// before it, a team total.
Grade GradePoints(int64_t points, bool over, Line line) {
  const LineGrade graded =
      GradeAgainstLine(line, /*spread=*/false, [&](Line at) {
        return over ? points * 4 - at.quarters : at.quarters - points * 4;
      });
  return {graded.status,
          std::string(over ? "over " : "under ") + graded.summary + " with " +
              std::to_string(points) + (points == 1 ? " point" : " points") +
              graded.halves};
}

Grade GradeTotal(Score score, Selection selection, Line line) {
  return GradePoints(static_cast<int64_t>(score.home) + score.away,
                     selection == Selection::kOver, line);
}

// "Kansas City Chiefs over 24.5 won with 27 points".
Grade GradeTeamTotal(const GameResult& game, Score score, Selection selection,
                     Line line) {
  const bool home =
      selection == Selection::kHomeOver || selection == Selection::kHomeUnder;
  const bool over =
      selection == Selection::kHomeOver || selection == Selection::kAwayOver;
  Grade grade = GradePoints(home ? score.home : score.away, over, line);
  grade.reason = (home ? game.home : game.away) + " " + grade.reason;
  return grade;
}

// Grades a to-advance bet: the winner after extra time goes through, or on
// a level score the winner of the penalty shootout. REQUIRES: both scores
// are set.
Grade GradeToAdvance(const GameResult& game, Selection selection) {
  std::optional<Selection> through;
  std::string how;
  if (*game.home_score != *game.away_score) {
    through = *game.home_score > *game.away_score ? Selection::kHome
                                                  : Selection::kAway;
  } else if (game.shootout && game.shootout->home != game.shootout->away) {
    through = game.shootout->home > game.shootout->away ? Selection::kHome
                                                        : Selection::kAway;
    how = " on penalties";
  }
  if (!through) {
    return {LegStatus::kPending,
            "level and no shootout winner reported: needs attention", true};
  }
  const std::string& winner =
      *through == Selection::kHome ? game.home : game.away;
  const std::string& selected =
      selection == Selection::kHome ? game.home : game.away;
  if (*through == selection) {
    return {LegStatus::kWon, selected + " advanced" + how + ", won"};
  }
  return {LegStatus::kLost,
          winner + " advanced" + how + ", " + selected + " to advance lost"};
}

bool SelectionFitsMarket(Market market, Selection selection) {
  switch (market) {
    case Market::kMoneyline:
    case Market::kSpread:
    case Market::kDrawNoBet:
    case Market::kToAdvance:
      return selection == Selection::kHome || selection == Selection::kAway;
    case Market::kMoneyline3Way:
      return selection == Selection::kHome || selection == Selection::kAway ||
             selection == Selection::kDraw;
    case Market::kTotal:
      return selection == Selection::kOver || selection == Selection::kUnder;
    case Market::kTeamTotal:
      return selection == Selection::kHomeOver ||
             selection == Selection::kHomeUnder ||
             selection == Selection::kAwayOver ||
             selection == Selection::kAwayUnder;
  }
  return false;
}

bool MarketTakesLine(Market market) {
  return market == Market::kSpread || market == Market::kTotal ||
         market == Market::kTeamTotal;
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
  return ParseSelection(lower);
}

// What a valid selection for `market` looks like, for error messages.
std::string ExpectedSelections(Market market, std::string_view home,
                               std::string_view away) {
  const std::string teams =
      "\"" + std::string(home) + "\" or \"" + std::string(away) + "\"";
  switch (market) {
    case Market::kMoneyline:
    case Market::kSpread:
    case Market::kDrawNoBet:
    case Market::kToAdvance:
      return "home, away, " + teams;
    case Market::kMoneyline3Way:
      return "home, draw, away, " + teams;
    case Market::kTotal:
      return "over or under";
    case Market::kTeamTotal:
      return "home_over, home_under, away_over or away_under";
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
  if (IsVoidStatus(game.status)) return true;
  return game.status == GameStatus::kFinal && game.home_score.has_value() &&
         game.away_score.has_value();
}

bool NeedsAttention(const GameResult& game) {
  return game.status == GameStatus::kFinal &&
         (!game.home_score.has_value() || !game.away_score.has_value());
}

Grade GradeLeg(const GameResult& game, const LegTerms& terms) {
  const std::string matchup = Matchup(game.home, game.away);
  if (IsVoidStatus(game.status)) {
    std::string reason =
        matchup + " " + StatusWords(game.status) + ", leg void";
    if (!game.void_reason.empty()) {
      reason += ": " + game.void_reason;
    } else if (!game.status_detail.empty()) {
      reason += ": " + game.status_detail;
    }
    return {LegStatus::kVoid, reason};
  }
  if (NeedsAttention(game)) {
    const std::string_view missing = game.home_score   ? "away score"
                                     : game.away_score ? "home score"
                                                       : "both scores";
    return {LegStatus::kPending,
            matchup + " final but " + std::string(missing) +
                " missing: needs attention",
            true};
  }
  if (!IsGradable(game)) {
    std::string status = StatusWords(game.status);
    if (game.status == GameStatus::kUnknown && !game.status_detail.empty()) {
      status = "status unknown (" + game.status_detail + ")";
    }
    return {LegStatus::kPending,
            matchup + " " + status + ": waiting for the final score"};
  }

  // GradeLeg requires valid terms. Invalid ones leave the leg pending, with
  // the problem as the reason, rather than grading them by guesswork.
  const Result<LegTerms> valid = ValidateLegTerms(terms);
  if (!valid) return {LegStatus::kPending, "cannot grade: " + valid.error()};

  if (terms.market == Market::kToAdvance) {
    Grade grade = GradeToAdvance(game, terms.selection);
    grade.reason = FinalScoreLine(game) + ": " + grade.reason;
    return grade;
  }

  const PeriodScore period = ScoreForPeriod(game, terms.period);
  if (!period.score) {
    return {LegStatus::kPending,
            FinalScoreLine(game) + " but " + period.missing +
                " is not available: needs attention",
            true};
  }
  const Score score = *period.score;
  Grade grade;
  switch (terms.market) {
    case Market::kMoneyline:
      grade = GradeMoneyline(game, score, terms.selection);
      break;
    case Market::kDrawNoBet:
      grade = GradeDrawNoBet(game, score, terms.selection);
      break;
    case Market::kMoneyline3Way:
      grade = GradeMoneyline3Way(game, score, terms.selection);
      break;
    case Market::kSpread:
      grade = GradeSpread(game, score, terms.selection, *terms.line);
      break;
    case Market::kTotal:
      grade = GradeTotal(score, terms.selection, *terms.line);
      break;
    case Market::kTeamTotal:
      grade = GradeTeamTotal(game, score, terms.selection, *terms.line);
      break;
    case Market::kToAdvance:
      break;  // graded above
  }
  grade.reason = FinalScoreLine(game) + ScopeText(period) + ": " + grade.reason;
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
  if (market == Market::kTotal || market == Market::kTeamTotal) {
    return reject("a team is not a " + std::string(ToString(market)) +
                  " selection");
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
  if (terms.market == Market::kToAdvance && terms.period != Period::kGame) {
    return Error{
        "invalid leg: to_advance is settled on the whole game, not "
        "on the " +
        std::string(ToString(terms.period)) + " period"};
  }
  const bool takes_line = MarketTakesLine(terms.market);
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
  if ((terms.market == Market::kTotal || terms.market == Market::kTeamTotal) &&
      terms.line->quarters <= 0) {
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
