#include "rules/grading.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

namespace parlay {
namespace {

using ::testing::HasSubstr;

constexpr const char* kHome = "Kansas City Chiefs";
constexpr const char* kAway = "Detroit Lions";

GameResult FinalGame(int away_score, int home_score) {
  GameResult game;
  game.home = kHome;
  game.away = kAway;
  game.status = GameStatus::kFinal;
  game.home_score = home_score;
  game.away_score = away_score;
  return game;
}

LegTerms Terms(Market market, Selection selection,
               std::optional<int> quarters = std::nullopt) {
  LegTerms terms;
  terms.market = market;
  terms.selection = selection;
  if (quarters) terms.line = Line{*quarters};
  return terms;
}

// One graded leg: the final score, the bet and the expected grade.
struct GradeCase {
  int away_score;
  int home_score;
  Selection selection;
  std::optional<int> quarters;  // the line in quarter points
  LegStatus status;
  std::string reason;
};

void ExpectGrades(Market market, const std::vector<GradeCase>& cases) {
  for (const GradeCase& c : cases) {
    const Grade grade = GradeLeg(FinalGame(c.away_score, c.home_score),
                                 Terms(market, c.selection, c.quarters));
    EXPECT_EQ(grade.status, c.status) << c.reason;
    EXPECT_EQ(grade.reason, c.reason);
  }
}

TEST(GradeLegTest, Moneyline) {
  ExpectGrades(Market::kMoneyline,
               {
                   {21,
                    20,
                    Selection::kHome,
                    {},
                    LegStatus::kLost,
                    "Detroit Lions 21 @ Kansas City Chiefs 20 final: "
                    "Kansas City Chiefs lost by 1"},
                   {21,
                    20,
                    Selection::kAway,
                    {},
                    LegStatus::kWon,
                    "Detroit Lions 21 @ Kansas City Chiefs 20 final: "
                    "Detroit Lions won by 1"},
                   {17,
                    24,
                    Selection::kHome,
                    {},
                    LegStatus::kWon,
                    "Detroit Lions 17 @ Kansas City Chiefs 24 final: "
                    "Kansas City Chiefs won by 7"},
                   {17,
                    24,
                    Selection::kAway,
                    {},
                    LegStatus::kLost,
                    "Detroit Lions 17 @ Kansas City Chiefs 24 final: "
                    "Detroit Lions lost by 7"},
                   // A two-way moneyline pushes on a tie.
                   {20,
                    20,
                    Selection::kHome,
                    {},
                    LegStatus::kPush,
                    "Detroit Lions 20 @ Kansas City Chiefs 20 final: "
                    "tie, Kansas City Chiefs moneyline push"},
                   {20,
                    20,
                    Selection::kAway,
                    {},
                    LegStatus::kPush,
                    "Detroit Lions 20 @ Kansas City Chiefs 20 final: "
                    "tie, Detroit Lions moneyline push"},
                   {0,
                    0,
                    Selection::kHome,
                    {},
                    LegStatus::kPush,
                    "Detroit Lions 0 @ Kansas City Chiefs 0 final: "
                    "tie, Kansas City Chiefs moneyline push"},
               });
}

TEST(GradeLegTest, MoneylineThreeWay) {
  ExpectGrades(Market::kMoneyline3Way,
               {
                   // Home win 2-1: exactly one of home, draw, away wins.
                   {1,
                    2,
                    Selection::kHome,
                    {},
                    LegStatus::kWon,
                    "Detroit Lions 1 @ Kansas City Chiefs 2 final: "
                    "Kansas City Chiefs won by 1"},
                   {1,
                    2,
                    Selection::kDraw,
                    {},
                    LegStatus::kLost,
                    "Detroit Lions 1 @ Kansas City Chiefs 2 final: "
                    "Kansas City Chiefs won by 1, draw lost"},
                   {1,
                    2,
                    Selection::kAway,
                    {},
                    LegStatus::kLost,
                    "Detroit Lions 1 @ Kansas City Chiefs 2 final: "
                    "Detroit Lions lost by 1"},
                   // Away win 3-1.
                   {3,
                    1,
                    Selection::kHome,
                    {},
                    LegStatus::kLost,
                    "Detroit Lions 3 @ Kansas City Chiefs 1 final: "
                    "Kansas City Chiefs lost by 2"},
                   {3,
                    1,
                    Selection::kDraw,
                    {},
                    LegStatus::kLost,
                    "Detroit Lions 3 @ Kansas City Chiefs 1 final: "
                    "Detroit Lions won by 2, draw lost"},
                   {3,
                    1,
                    Selection::kAway,
                    {},
                    LegStatus::kWon,
                    "Detroit Lions 3 @ Kansas City Chiefs 1 final: "
                    "Detroit Lions won by 2"},
                   // Draw 1-1: the draw wins and both teams lose, no push.
                   {1,
                    1,
                    Selection::kHome,
                    {},
                    LegStatus::kLost,
                    "Detroit Lions 1 @ Kansas City Chiefs 1 final: "
                    "draw, Kansas City Chiefs did not win"},
                   {1,
                    1,
                    Selection::kDraw,
                    {},
                    LegStatus::kWon,
                    "Detroit Lions 1 @ Kansas City Chiefs 1 final: draw won"},
                   {1,
                    1,
                    Selection::kAway,
                    {},
                    LegStatus::kLost,
                    "Detroit Lions 1 @ Kansas City Chiefs 1 final: "
                    "draw, Detroit Lions did not win"},
                   {0,
                    0,
                    Selection::kDraw,
                    {},
                    LegStatus::kWon,
                    "Detroit Lions 0 @ Kansas City Chiefs 0 final: draw won"},
               });
}

TEST(GradeLegTest, SpreadWholeAndHalfLines) {
  // Lines in quarter points: -4.5 is -18. The selected side's margin plus
  // the line decides: > 0 covered, = 0 push, < 0 not covered.
  ExpectGrades(
      Market::kSpread,
      {
          // Kansas City lose by 1: -1 + (-4.5) = -5.5 < 0.
          {21, 20, Selection::kHome, -18, LegStatus::kLost,
           "Detroit Lions 21 @ Kansas City Chiefs 20 final: "
           "Kansas City Chiefs -4.5 not covered"},
          // Detroit win by 1: 1 + 4.5 = 5.5 > 0.
          {21, 20, Selection::kAway, 18, LegStatus::kWon,
           "Detroit Lions 21 @ Kansas City Chiefs 20 final: "
           "Detroit Lions +4.5 covered"},
          // -1 + 1 = 0.
          {21, 20, Selection::kHome, 4, LegStatus::kPush,
           "Detroit Lions 21 @ Kansas City Chiefs 20 final: "
           "Kansas City Chiefs +1 push"},
          // 1 - 1 = 0.
          {21, 20, Selection::kAway, -4, LegStatus::kPush,
           "Detroit Lions 21 @ Kansas City Chiefs 20 final: "
           "Detroit Lions -1 push"},
          // -1 + 1.5 = 0.5 > 0.
          {21, 20, Selection::kHome, 6, LegStatus::kWon,
           "Detroit Lions 21 @ Kansas City Chiefs 20 final: "
           "Kansas City Chiefs +1.5 covered"},
          // 1 - 1.5 = -0.5 < 0.
          {21, 20, Selection::kAway, -6, LegStatus::kLost,
           "Detroit Lions 21 @ Kansas City Chiefs 20 final: "
           "Detroit Lions -1.5 not covered"},
          // A line of 0 grades like a moneyline: -1 + 0 < 0, 1 + 0 > 0.
          {21, 20, Selection::kHome, 0, LegStatus::kLost,
           "Detroit Lions 21 @ Kansas City Chiefs 20 final: "
           "Kansas City Chiefs 0 not covered"},
          {21, 20, Selection::kAway, 0, LegStatus::kWon,
           "Detroit Lions 21 @ Kansas City Chiefs 20 final: "
           "Detroit Lions 0 covered"},
          // A tie: 0 + 0 = 0, 0 - 0.5 < 0, 0 + 0.5 > 0.
          {20, 20, Selection::kHome, 0, LegStatus::kPush,
           "Detroit Lions 20 @ Kansas City Chiefs 20 final: "
           "Kansas City Chiefs 0 push"},
          {20, 20, Selection::kHome, -2, LegStatus::kLost,
           "Detroit Lions 20 @ Kansas City Chiefs 20 final: "
           "Kansas City Chiefs -0.5 not covered"},
          {20, 20, Selection::kAway, 2, LegStatus::kWon,
           "Detroit Lions 20 @ Kansas City Chiefs 20 final: "
           "Detroit Lions +0.5 covered"},
          // Kansas City win by 7: 7 - 7 = 0, 7 - 6.5 > 0, 7 - 7.5 < 0.
          {17, 24, Selection::kHome, -28, LegStatus::kPush,
           "Detroit Lions 17 @ Kansas City Chiefs 24 final: "
           "Kansas City Chiefs -7 push"},
          {17, 24, Selection::kHome, -26, LegStatus::kWon,
           "Detroit Lions 17 @ Kansas City Chiefs 24 final: "
           "Kansas City Chiefs -6.5 covered"},
          {17, 24, Selection::kHome, -30, LegStatus::kLost,
           "Detroit Lions 17 @ Kansas City Chiefs 24 final: "
           "Kansas City Chiefs -7.5 not covered"},
          // Detroit lose by 7: -7 + 7 = 0, -7 + 7.5 > 0, -7 + 6.5 < 0.
          {17, 24, Selection::kAway, 28, LegStatus::kPush,
           "Detroit Lions 17 @ Kansas City Chiefs 24 final: "
           "Detroit Lions +7 push"},
          {17, 24, Selection::kAway, 30, LegStatus::kWon,
           "Detroit Lions 17 @ Kansas City Chiefs 24 final: "
           "Detroit Lions +7.5 covered"},
          {17, 24, Selection::kAway, 26, LegStatus::kLost,
           "Detroit Lions 17 @ Kansas City Chiefs 24 final: "
           "Detroit Lions +6.5 not covered"},
      });
}

TEST(GradeLegTest, SpreadQuarterLines) {
  // A quarter line is two half stakes on its neighbouring lines, the one
  // nearer zero listed first. Scores are Detroit 20 and Kansas City 20 + m,
  // so Kansas City's margin is m.
  ExpectGrades(
      Market::kSpread,
      {
          // -0.25 = 0 and -0.5.
          // m = 1: 1 + 0 > 0, 1 - 0.5 > 0.
          {20, 21, Selection::kHome, -1, LegStatus::kWon,
           "Detroit Lions 20 @ Kansas City Chiefs 21 final: "
           "Kansas City Chiefs -0.25 covered (0 covered, -0.5 covered)"},
          // m = 0: 0 + 0 = 0 push, 0 - 0.5 < 0.
          {20, 20, Selection::kHome, -1, LegStatus::kHalfLost,
           "Detroit Lions 20 @ Kansas City Chiefs 20 final: "
           "Kansas City Chiefs -0.25 half lost (0 push, -0.5 not covered)"},
          // m = -1: both below zero.
          {20, 19, Selection::kHome, -1, LegStatus::kLost,
           "Detroit Lions 20 @ Kansas City Chiefs 19 final: Kansas City "
           "Chiefs -0.25 not covered (0 not covered, -0.5 not covered)"},

          // +0.25 = 0 and +0.5.
          // m = 1: both above zero.
          {20, 21, Selection::kHome, 1, LegStatus::kWon,
           "Detroit Lions 20 @ Kansas City Chiefs 21 final: "
           "Kansas City Chiefs +0.25 covered (0 covered, +0.5 covered)"},
          // m = 0: 0 + 0 = 0 push, 0 + 0.5 > 0.
          {20, 20, Selection::kHome, 1, LegStatus::kHalfWon,
           "Detroit Lions 20 @ Kansas City Chiefs 20 final: "
           "Kansas City Chiefs +0.25 half won (0 push, +0.5 covered)"},
          // m = -1: -1 + 0 < 0, -1 + 0.5 < 0.
          {20, 19, Selection::kHome, 1, LegStatus::kLost,
           "Detroit Lions 20 @ Kansas City Chiefs 19 final: Kansas City "
           "Chiefs +0.25 not covered (0 not covered, +0.5 not covered)"},

          // -0.75 = -0.5 and -1.
          // m = 2: 2 - 0.5 > 0, 2 - 1 > 0.
          {20, 22, Selection::kHome, -3, LegStatus::kWon,
           "Detroit Lions 20 @ Kansas City Chiefs 22 final: "
           "Kansas City Chiefs -0.75 covered (-0.5 covered, -1 covered)"},
          // m = 1: 1 - 0.5 > 0, 1 - 1 = 0 push.
          {20, 21, Selection::kHome, -3, LegStatus::kHalfWon,
           "Detroit Lions 20 @ Kansas City Chiefs 21 final: "
           "Kansas City Chiefs -0.75 half won (-0.5 covered, -1 push)"},
          // m = 0: 0 - 0.5 < 0, 0 - 1 < 0.
          {20, 20, Selection::kHome, -3, LegStatus::kLost,
           "Detroit Lions 20 @ Kansas City Chiefs 20 final: Kansas City "
           "Chiefs -0.75 not covered (-0.5 not covered, -1 not covered)"},

          // +0.75 = +0.5 and +1.
          // m = 0: 0 + 0.5 > 0, 0 + 1 > 0.
          {20, 20, Selection::kHome, 3, LegStatus::kWon,
           "Detroit Lions 20 @ Kansas City Chiefs 20 final: "
           "Kansas City Chiefs +0.75 covered (+0.5 covered, +1 covered)"},
          // m = -1: -1 + 0.5 < 0, -1 + 1 = 0 push.
          {20, 19, Selection::kHome, 3, LegStatus::kHalfLost,
           "Detroit Lions 20 @ Kansas City Chiefs 19 final: Kansas City "
           "Chiefs +0.75 half lost (+0.5 not covered, +1 push)"},
          // m = -2: -2 + 0.5 < 0, -2 + 1 < 0.
          {20, 18, Selection::kHome, 3, LegStatus::kLost,
           "Detroit Lions 20 @ Kansas City Chiefs 18 final: Kansas City "
           "Chiefs +0.75 not covered (+0.5 not covered, +1 not covered)"},

          // Larger quarter lines. -3.25 = -3 and -3.5.
          // m = 3: 3 - 3 = 0 push, 3 - 3.5 < 0.
          {20, 23, Selection::kHome, -13, LegStatus::kHalfLost,
           "Detroit Lions 20 @ Kansas City Chiefs 23 final: "
           "Kansas City Chiefs -3.25 half lost (-3 push, -3.5 not covered)"},
          // m = 4: 4 - 3 > 0, 4 - 3.5 > 0.
          {20, 24, Selection::kHome, -13, LegStatus::kWon,
           "Detroit Lions 20 @ Kansas City Chiefs 24 final: "
           "Kansas City Chiefs -3.25 covered (-3 covered, -3.5 covered)"},
          // -3.75 = -3.5 and -4. m = 4: 4 - 3.5 > 0, 4 - 4 = 0 push.
          {20, 24, Selection::kHome, -15, LegStatus::kHalfWon,
           "Detroit Lions 20 @ Kansas City Chiefs 24 final: "
           "Kansas City Chiefs -3.75 half won (-3.5 covered, -4 push)"},
          // m = 3: 3 - 3.5 < 0, 3 - 4 < 0.
          {20, 23, Selection::kHome, -15, LegStatus::kLost,
           "Detroit Lions 20 @ Kansas City Chiefs 23 final: Kansas City "
           "Chiefs -3.75 not covered (-3.5 not covered, -4 not covered)"},
          // +3.25 = +3 and +3.5. m = -3: -3 + 3 = 0 push, -3 + 3.5 > 0.
          {23, 20, Selection::kHome, 13, LegStatus::kHalfWon,
           "Detroit Lions 23 @ Kansas City Chiefs 20 final: "
           "Kansas City Chiefs +3.25 half won (+3 push, +3.5 covered)"},
          // +3.75 = +3.5 and +4. m = -4: -4 + 3.5 < 0, -4 + 4 = 0 push.
          {24, 20, Selection::kHome, 15, LegStatus::kHalfLost,
           "Detroit Lions 24 @ Kansas City Chiefs 20 final: "
           "Kansas City Chiefs +3.75 half lost (+3.5 not covered, +4 push)"},

          // The away side uses its own margin, -m.
          // Detroit +0.25 in a tie: 0 + 0 push, 0 + 0.5 > 0.
          {20, 20, Selection::kAway, 1, LegStatus::kHalfWon,
           "Detroit Lions 20 @ Kansas City Chiefs 20 final: "
           "Detroit Lions +0.25 half won (0 push, +0.5 covered)"},
          // Detroit -0.25 in a tie: 0 + 0 push, 0 - 0.5 < 0.
          {20, 20, Selection::kAway, -1, LegStatus::kHalfLost,
           "Detroit Lions 20 @ Kansas City Chiefs 20 final: "
           "Detroit Lions -0.25 half lost (0 push, -0.5 not covered)"},
          // Detroit -0.75 winning by 1: 1 - 0.5 > 0, 1 - 1 = 0 push.
          {21, 20, Selection::kAway, -3, LegStatus::kHalfWon,
           "Detroit Lions 21 @ Kansas City Chiefs 20 final: "
           "Detroit Lions -0.75 half won (-0.5 covered, -1 push)"},
          // Detroit +0.75 losing by 1: -1 + 0.5 < 0, -1 + 1 = 0 push.
          {20, 21, Selection::kAway, 3, LegStatus::kHalfLost,
           "Detroit Lions 20 @ Kansas City Chiefs 21 final: "
           "Detroit Lions +0.75 half lost (+0.5 not covered, +1 push)"},
      });
}

TEST(GradeLegTest, TotalWholeAndHalfLines) {
  // Detroit 21 and Kansas City 27: 48 points.
  ExpectGrades(Market::kTotal,
               {
                   // 47.5 is 190 quarters: 48 > 47.5.
                   {21, 27, Selection::kOver, 190, LegStatus::kWon,
                    "Detroit Lions 21 @ Kansas City Chiefs 27 final: "
                    "over 47.5 won with 48 points"},
                   {21, 27, Selection::kUnder, 190, LegStatus::kLost,
                    "Detroit Lions 21 @ Kansas City Chiefs 27 final: "
                    "under 47.5 lost with 48 points"},
                   // 48 = 48.
                   {21, 27, Selection::kOver, 192, LegStatus::kPush,
                    "Detroit Lions 21 @ Kansas City Chiefs 27 final: "
                    "over 48 push with 48 points"},
                   {21, 27, Selection::kUnder, 192, LegStatus::kPush,
                    "Detroit Lions 21 @ Kansas City Chiefs 27 final: "
                    "under 48 push with 48 points"},
                   // 48 < 48.5.
                   {21, 27, Selection::kOver, 194, LegStatus::kLost,
                    "Detroit Lions 21 @ Kansas City Chiefs 27 final: "
                    "over 48.5 lost with 48 points"},
                   {21, 27, Selection::kUnder, 194, LegStatus::kWon,
                    "Detroit Lions 21 @ Kansas City Chiefs 27 final: "
                    "under 48.5 won with 48 points"},
                   // 1 point, in the singular: 1 > 0.5.
                   {0, 1, Selection::kOver, 2, LegStatus::kWon,
                    "Detroit Lions 0 @ Kansas City Chiefs 1 final: "
                    "over 0.5 won with 1 point"},
                   // 0 < 0.5.
                   {0, 0, Selection::kUnder, 2, LegStatus::kWon,
                    "Detroit Lions 0 @ Kansas City Chiefs 0 final: "
                    "under 0.5 won with 0 points"},
               });
}

TEST(GradeLegTest, TotalQuarterLines) {
  // 48 points again. A quarter total is two half stakes on its neighbours,
  // the one nearer zero first.
  ExpectGrades(
      Market::kTotal,
      {
          // 47.25 = 47 and 47.5: 48 is above both.
          {21, 27, Selection::kOver, 189, LegStatus::kWon,
           "Detroit Lions 21 @ Kansas City Chiefs 27 final: "
           "over 47.25 won with 48 points (47 won, 47.5 won)"},
          {21, 27, Selection::kUnder, 189, LegStatus::kLost,
           "Detroit Lions 21 @ Kansas City Chiefs 27 final: "
           "under 47.25 lost with 48 points (47 lost, 47.5 lost)"},
          // 47.75 = 47.5 and 48: 48 > 47.5, 48 = 48 push.
          {21, 27, Selection::kOver, 191, LegStatus::kHalfWon,
           "Detroit Lions 21 @ Kansas City Chiefs 27 final: "
           "over 47.75 half won with 48 points (47.5 won, 48 push)"},
          {21, 27, Selection::kUnder, 191, LegStatus::kHalfLost,
           "Detroit Lions 21 @ Kansas City Chiefs 27 final: "
           "under 47.75 half lost with 48 points (47.5 lost, 48 push)"},
          // 48.25 = 48 and 48.5: 48 = 48 push, 48 < 48.5.
          {21, 27, Selection::kOver, 193, LegStatus::kHalfLost,
           "Detroit Lions 21 @ Kansas City Chiefs 27 final: "
           "over 48.25 half lost with 48 points (48 push, 48.5 lost)"},
          {21, 27, Selection::kUnder, 193, LegStatus::kHalfWon,
           "Detroit Lions 21 @ Kansas City Chiefs 27 final: "
           "under 48.25 half won with 48 points (48 push, 48.5 won)"},
          // 48.75 = 48.5 and 49: 48 is below both.
          {21, 27, Selection::kOver, 195, LegStatus::kLost,
           "Detroit Lions 21 @ Kansas City Chiefs 27 final: "
           "over 48.75 lost with 48 points (48.5 lost, 49 lost)"},
          {21, 27, Selection::kUnder, 195, LegStatus::kWon,
           "Detroit Lions 21 @ Kansas City Chiefs 27 final: "
           "under 48.75 won with 48 points (48.5 won, 49 won)"},
          // 0.25 = 0 and 0.5 with 0 points: 0 = 0 push, 0 < 0.5.
          {0, 0, Selection::kOver, 1, LegStatus::kHalfLost,
           "Detroit Lions 0 @ Kansas City Chiefs 0 final: "
           "over 0.25 half lost with 0 points (0 push, 0.5 lost)"},
          {0, 0, Selection::kUnder, 1, LegStatus::kHalfWon,
           "Detroit Lions 0 @ Kansas City Chiefs 0 final: "
           "under 0.25 half won with 0 points (0 push, 0.5 won)"},
      });
}

// Opposite sides of one bet must grade as mirror images.
LegStatus Mirror(LegStatus status) {
  switch (status) {
    case LegStatus::kWon:
      return LegStatus::kLost;
    case LegStatus::kLost:
      return LegStatus::kWon;
    case LegStatus::kHalfWon:
      return LegStatus::kHalfLost;
    case LegStatus::kHalfLost:
      return LegStatus::kHalfWon;
    default:
      return status;
  }
}

TEST(GradeLegTest, OppositeSidesMirror) {
  for (int away = 0; away <= 6; ++away) {
    for (int home = 0; home <= 6; ++home) {
      const GameResult game = FinalGame(away, home);
      for (int quarters = -20; quarters <= 20; ++quarters) {
        // Kansas City at line L against Detroit at -L.
        const LegStatus home_spread =
            GradeLeg(game, Terms(Market::kSpread, Selection::kHome, quarters))
                .status;
        const LegStatus away_spread =
            GradeLeg(game, Terms(Market::kSpread, Selection::kAway, -quarters))
                .status;
        EXPECT_EQ(away_spread, Mirror(home_spread))
            << away << "-" << home << " line " << quarters;
        if (quarters <= 0) continue;
        const LegStatus over =
            GradeLeg(game, Terms(Market::kTotal, Selection::kOver, quarters))
                .status;
        const LegStatus under =
            GradeLeg(game, Terms(Market::kTotal, Selection::kUnder, quarters))
                .status;
        EXPECT_EQ(under, Mirror(over))
            << away << "-" << home << " total " << quarters;
      }
    }
  }
}

TEST(GradeLegTest, LargeScoresDoNotOverflow) {
  // 2,000,000,000 + 2,000,000,000 points exceeds INT_MAX (about 2.1e9).
  const GameResult game = FinalGame(2'000'000'000, 2'000'000'000);
  const Grade over = GradeLeg(game, Terms(Market::kTotal, Selection::kOver, 2));
  EXPECT_EQ(over.status, LegStatus::kWon);
  EXPECT_THAT(over.reason, HasSubstr("with 4000000000 points"));

  const GameResult rout = FinalGame(0, 2'000'000'000);
  const Grade spread =
      GradeLeg(rout, Terms(Market::kSpread, Selection::kAway, 4000));
  // -2,000,000,000 + 1000 < 0.
  EXPECT_EQ(spread.status, LegStatus::kLost);
}

TEST(GradeLegTest, CancelledGameVoidsEveryMarket) {
  GameResult game;
  game.home = kHome;
  game.away = kAway;
  game.status = GameStatus::kCancelled;
  game.void_reason = "stadium flooded";
  const LegTerms legs[] = {
      Terms(Market::kMoneyline, Selection::kHome),
      Terms(Market::kMoneyline3Way, Selection::kDraw),
      Terms(Market::kSpread, Selection::kAway, -3),
      Terms(Market::kTotal, Selection::kOver, 190),
  };
  for (const LegTerms& terms : legs) {
    const Grade grade = GradeLeg(game, terms);
    EXPECT_EQ(grade.status, LegStatus::kVoid);
    EXPECT_EQ(grade.reason,
              "Detroit Lions @ Kansas City Chiefs cancelled, leg void: "
              "stadium flooded");
  }
}

TEST(GradeLegTest, CancelledWithoutReasonOrWithScores) {
  GameResult game = FinalGame(14, 7);
  game.status = GameStatus::kCancelled;
  const Grade grade =
      GradeLeg(game, Terms(Market::kMoneyline, Selection::kHome));
  // Scores recorded before the cancellation do not decide anything.
  EXPECT_EQ(grade.status, LegStatus::kVoid);
  EXPECT_EQ(grade.reason,
            "Detroit Lions @ Kansas City Chiefs cancelled, leg void");
}

TEST(GradeLegTest, UnfinishedGamesStayPending) {
  const std::pair<GameStatus, std::string> cases[] = {
      {GameStatus::kScheduled,
       "Detroit Lions @ Kansas City Chiefs scheduled: waiting for the final "
       "score"},
      {GameStatus::kInProgress,
       "Detroit Lions @ Kansas City Chiefs in progress: waiting for the "
       "final score"},
      {GameStatus::kSuspended,
       "Detroit Lions @ Kansas City Chiefs suspended: waiting for the final "
       "score"},
      {GameStatus::kPostponed,
       "Detroit Lions @ Kansas City Chiefs postponed: waiting for the final "
       "score"},
  };
  for (const auto& [status, reason] : cases) {
    // Scores of a game in progress must not be graded.
    GameResult game = FinalGame(21, 20);
    game.status = status;
    const Grade grade =
        GradeLeg(game, Terms(Market::kMoneyline, Selection::kAway));
    EXPECT_EQ(grade.status, LegStatus::kPending) << reason;
    EXPECT_EQ(grade.reason, reason);
  }
}

TEST(GradeLegTest, FinalWithoutScoreNeedsAttention) {
  GameResult no_home = FinalGame(21, 20);
  no_home.home_score.reset();
  GameResult no_away = FinalGame(21, 20);
  no_away.away_score.reset();
  GameResult no_scores = FinalGame(21, 20);
  no_scores.home_score.reset();
  no_scores.away_score.reset();

  const std::pair<GameResult, std::string> cases[] = {
      {no_home,
       "Detroit Lions @ Kansas City Chiefs final but home score missing: "
       "needs attention"},
      {no_away,
       "Detroit Lions @ Kansas City Chiefs final but away score missing: "
       "needs attention"},
      {no_scores,
       "Detroit Lions @ Kansas City Chiefs final but both scores missing: "
       "needs attention"},
  };
  for (const auto& [game, reason] : cases) {
    const Grade grade =
        GradeLeg(game, Terms(Market::kTotal, Selection::kOver, 190));
    EXPECT_EQ(grade.status, LegStatus::kPending) << reason;
    EXPECT_EQ(grade.reason, reason);
    EXPECT_TRUE(NeedsAttention(game)) << reason;
    EXPECT_FALSE(IsGradable(game)) << reason;
  }
}

TEST(GradeLegTest, InvalidTermsStayPending) {
  // A spread without a line cannot be graded. GradeLeg requires valid terms
  // but must not guess.
  const Grade grade =
      GradeLeg(FinalGame(21, 20), Terms(Market::kSpread, Selection::kHome));
  EXPECT_EQ(grade.status, LegStatus::kPending);
  EXPECT_EQ(grade.reason, "cannot grade: invalid leg: a spread needs a line");
}

TEST(IsGradableTest, ByStatusAndScores) {
  struct Case {
    GameStatus status;
    bool home_score;
    bool away_score;
    bool gradable;
    bool needs_attention;
  };
  const Case cases[] = {
      {GameStatus::kFinal, true, true, true, false},
      {GameStatus::kFinal, false, true, false, true},
      {GameStatus::kFinal, true, false, false, true},
      {GameStatus::kFinal, false, false, false, true},
      {GameStatus::kCancelled, false, false, true, false},
      {GameStatus::kCancelled, true, true, true, false},
      {GameStatus::kScheduled, false, false, false, false},
      {GameStatus::kInProgress, true, true, false, false},
      {GameStatus::kSuspended, true, true, false, false},
      {GameStatus::kPostponed, false, false, false, false},
  };
  for (const Case& c : cases) {
    GameResult game;
    game.status = c.status;
    if (c.home_score) game.home_score = 3;
    if (c.away_score) game.away_score = 0;
    EXPECT_EQ(IsGradable(game), c.gradable)
        << ToString(c.status) << " " << c.home_score << c.away_score;
    EXPECT_EQ(NeedsAttention(game), c.needs_attention)
        << ToString(c.status) << " " << c.home_score << c.away_score;
  }
}

TEST(ValidateLegTermsTest, AcceptsCompleteTerms) {
  const LegTerms cases[] = {
      Terms(Market::kMoneyline, Selection::kHome),
      Terms(Market::kMoneyline, Selection::kAway),
      Terms(Market::kMoneyline3Way, Selection::kHome),
      Terms(Market::kMoneyline3Way, Selection::kDraw),
      Terms(Market::kMoneyline3Way, Selection::kAway),
      Terms(Market::kSpread, Selection::kHome, -18),
      Terms(Market::kSpread, Selection::kAway, 0),
      Terms(Market::kSpread, Selection::kAway, 4000),
      Terms(Market::kSpread, Selection::kHome, -4000),
      Terms(Market::kTotal, Selection::kOver, 189),
      Terms(Market::kTotal, Selection::kUnder, 1),
  };
  for (const LegTerms& terms : cases) {
    const Result<LegTerms> valid = ValidateLegTerms(terms);
    ASSERT_TRUE(valid.ok()) << ToString(terms.market) << ": " << valid.error();
    EXPECT_EQ(valid.value().market, terms.market);
    EXPECT_EQ(valid.value().selection, terms.selection);
    EXPECT_EQ(valid.value().line, terms.line);
  }
}

TEST(ValidateLegTermsTest, RejectsIncompleteTerms) {
  const std::pair<LegTerms, std::string> cases[] = {
      {Terms(Market::kSpread, Selection::kHome),
       "invalid leg: a spread needs a line"},
      {Terms(Market::kTotal, Selection::kOver),
       "invalid leg: a total needs a line"},
      {Terms(Market::kMoneyline, Selection::kHome, 6),
       "invalid leg: a moneyline takes no line, got +1.5"},
      {Terms(Market::kMoneyline3Way, Selection::kDraw, 0),
       "invalid leg: a moneyline_3way takes no line, got 0"},
      {Terms(Market::kTotal, Selection::kOver, 0),
       "invalid leg: a total line must be positive, got 0"},
      {Terms(Market::kTotal, Selection::kUnder, -190),
       "invalid leg: a total line must be positive, got -47.5"},
      {Terms(Market::kSpread, Selection::kHome, 4001),
       "invalid leg: line +1000.25 is above 1000 points in magnitude"},
      {Terms(Market::kTotal, Selection::kOver, 4004),
       "invalid leg: line +1001 is above 1000 points in magnitude"},
      {Terms(Market::kSpread, Selection::kDraw, -2),
       "invalid leg: draw is not a spread selection"},
      {Terms(Market::kMoneyline, Selection::kDraw),
       "invalid leg: draw is not a moneyline selection"},
      {Terms(Market::kMoneyline, Selection::kOver),
       "invalid leg: over is not a moneyline selection"},
      {Terms(Market::kMoneyline3Way, Selection::kUnder),
       "invalid leg: under is not a moneyline_3way selection"},
      {Terms(Market::kTotal, Selection::kHome, 190),
       "invalid leg: home is not a total selection"},
  };
  for (const auto& [terms, message] : cases) {
    const Result<LegTerms> valid = ValidateLegTerms(terms);
    ASSERT_FALSE(valid.ok()) << message;
    EXPECT_EQ(valid.error(), message);
  }
}

}  // namespace
}  // namespace parlay
