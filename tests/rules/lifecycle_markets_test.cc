// Grading of the markets and periods added for score feeds (team totals,
// draw no bet, to advance, halves, quarters, regulation, soccer after 90
// minutes) and the time-based lifecycle rules.

#include <gtest/gtest.h>

#include "rules/grading.h"
#include "rules/lifecycle.h"

namespace parlay {
namespace {

GameResult Final(int home, int away) {
  GameResult game;
  game.home = "Home";
  game.away = "Away";
  game.status = GameStatus::kFinal;
  game.home_score = home;
  game.away_score = away;
  return game;
}

LegTerms Terms(Market market, Selection selection,
               std::optional<int> line_quarters = std::nullopt,
               Period period = Period::kGame) {
  LegTerms terms;
  terms.market = market;
  terms.selection = selection;
  if (line_quarters) terms.line = Line{*line_quarters};
  terms.period = period;
  return terms;
}

TEST(TeamTotalTest, GradesOneTeamsPoints) {
  const GameResult game = Final(27, 24);
  EXPECT_EQ(GradeLeg(game, Terms(Market::kTeamTotal, Selection::kHomeOver,
                                 102))  // 25.5
                .status,
            LegStatus::kWon);
  EXPECT_EQ(
      GradeLeg(game, Terms(Market::kTeamTotal, Selection::kHomeUnder, 102))
          .status,
      LegStatus::kLost);
  EXPECT_EQ(GradeLeg(game, Terms(Market::kTeamTotal, Selection::kAwayOver,
                                 96))  // 24
                .status,
            LegStatus::kPush);
  // 23.75 splits into 23.5 (won) and 24 (push).
  const Grade quarter =
      GradeLeg(game, Terms(Market::kTeamTotal, Selection::kAwayOver, 95));
  EXPECT_EQ(quarter.status, LegStatus::kHalfWon);
  EXPECT_EQ(quarter.reason,
            "Away 24 @ Home 27 final: Away over 23.75 half won with 24 points "
            "(23.5 won, 24 push)");
}

TEST(DrawNoBetTest, DrawPushes) {
  EXPECT_EQ(
      GradeLeg(Final(1, 1), Terms(Market::kDrawNoBet, Selection::kHome)).status,
      LegStatus::kPush);
  EXPECT_EQ(
      GradeLeg(Final(2, 1), Terms(Market::kDrawNoBet, Selection::kHome)).status,
      LegStatus::kWon);
  EXPECT_EQ(
      GradeLeg(Final(2, 1), Terms(Market::kDrawNoBet, Selection::kAway)).status,
      LegStatus::kLost);
}

TEST(ToAdvanceTest, ExtraTimeAndPenaltiesDecide) {
  GameResult game = Final(1, 1);
  game.soccer = true;
  game.extra_time = true;
  game.periods.regulation = Score{1, 1};
  game.shootout = Score{3, 4};
  EXPECT_EQ(GradeLeg(game, Terms(Market::kToAdvance, Selection::kAway)).status,
            LegStatus::kWon);
  EXPECT_EQ(GradeLeg(game, Terms(Market::kToAdvance, Selection::kHome)).status,
            LegStatus::kLost);

  // Won in extra time: 2-1 after 120 minutes, 1-1 after 90.
  GameResult extra_time = Final(2, 1);
  extra_time.soccer = true;
  extra_time.extra_time = true;
  extra_time.periods.regulation = Score{1, 1};
  EXPECT_EQ(
      GradeLeg(extra_time, Terms(Market::kToAdvance, Selection::kHome)).status,
      LegStatus::kWon);
  EXPECT_EQ(
      GradeLeg(extra_time, Terms(Market::kMoneyline3Way, Selection::kDraw))
          .status,
      LegStatus::kWon);
}

TEST(ToAdvanceTest, LevelWithoutShootoutNeedsAttention) {
  const Grade grade =
      GradeLeg(Final(1, 1), Terms(Market::kToAdvance, Selection::kHome));
  EXPECT_EQ(grade.status, LegStatus::kPending);
  EXPECT_TRUE(grade.needs_attention);
}

TEST(SoccerRegulationTest, MissingScoreAfterNinetyMinutesNeedsAttention) {
  GameResult game = Final(2, 1);
  game.soccer = true;
  game.extra_time = true;
  const Grade grade = GradeLeg(game, Terms(Market::kTotal, Selection::kOver,
                                           10));  // 2.5
  EXPECT_EQ(grade.status, LegStatus::kPending);
  EXPECT_TRUE(grade.needs_attention);
  EXPECT_EQ(grade.reason,
            "Away 1 @ Home 2 final after extra time but the score after 90 "
            "minutes is not available: needs attention");
}

TEST(SoccerRegulationTest, ScoreWithoutExtraTimeIsTheNinetyMinuteScore) {
  GameResult game = Final(2, 1);
  game.soccer = true;
  EXPECT_EQ(
      GradeLeg(game, Terms(Market::kMoneyline3Way, Selection::kHome)).status,
      LegStatus::kWon);
}

TEST(PeriodTest, UsOvertimeCountsForTheGameOnly) {
  GameResult game = Final(27, 24);
  game.extra_time = true;
  game.periods.regulation = Score{24, 24};
  EXPECT_EQ(GradeLeg(game, Terms(Market::kMoneyline, Selection::kHome)).status,
            LegStatus::kWon);
  EXPECT_EQ(GradeLeg(game, Terms(Market::kMoneyline, Selection::kHome,
                                 std::nullopt, Period::kRegulation))
                .status,
            LegStatus::kPush);
}

TEST(PeriodTest, RegulationUnknownWhenOvertimeUnknown) {
  // A US final score alone may include overtime.
  const Grade grade =
      GradeLeg(Final(27, 24), Terms(Market::kMoneyline, Selection::kHome,
                                    std::nullopt, Period::kRegulation));
  EXPECT_EQ(grade.status, LegStatus::kPending);
  GameResult no_overtime = Final(27, 24);
  no_overtime.extra_time = false;
  EXPECT_EQ(GradeLeg(no_overtime, Terms(Market::kMoneyline, Selection::kHome,
                                        std::nullopt, Period::kRegulation))
                .status,
            LegStatus::kWon);
}

TEST(PeriodTest, FirstHalfFromQuarters) {
  GameResult game = Final(27, 24);
  game.periods.quarters = {Score{7, 0}, Score{3, 14}, Score{7, 7},
                           Score{10, 3}};
  const Grade grade = GradeLeg(
      game, Terms(Market::kTotal, Selection::kOver, 94, Period::kFirstHalf));
  EXPECT_EQ(grade.status, LegStatus::kWon);
  EXPECT_EQ(grade.reason,
            "Away 24 @ Home 27 final, first half 14-10: over 23.5 won with 24 "
            "points");
}

TEST(PeriodTest, MissingQuarterStaysPending) {
  const Grade grade =
      GradeLeg(Final(27, 24),
               Terms(Market::kSpread, Selection::kHome, -2, Period::kQuarter3));
  EXPECT_EQ(grade.status, LegStatus::kPending);
  EXPECT_EQ(grade.reason,
            "Away 24 @ Home 27 final but the third quarter score is not "
            "available: needs attention");
}

TEST(LegTermsTest, ToAdvanceIsWholeGameOnly) {
  EXPECT_FALSE(ValidateLegTerms(Terms(Market::kToAdvance, Selection::kHome,
                                      std::nullopt, Period::kFirstHalf))
                   .ok());
  EXPECT_FALSE(
      ValidateLegTerms(Terms(Market::kTeamTotal, Selection::kHomeOver)).ok());
  EXPECT_FALSE(
      ValidateLegTerms(Terms(Market::kTeamTotal, Selection::kOver, 10)).ok());
  EXPECT_TRUE(
      ValidateLegTerms(Terms(Market::kTeamTotal, Selection::kAwayUnder, 10))
          .ok());
}

TEST(SelectionTest, TeamTotalKeywords) {
  EXPECT_EQ(ResolveSelection(Market::kTeamTotal, "Home_Over", "A", "B").value(),
            Selection::kHomeOver);
  EXPECT_FALSE(ResolveSelection(Market::kTeamTotal, "A", "A", "B").ok());
  EXPECT_EQ(ResolveSelection(Market::kToAdvance, "B", "A", "B").value(),
            Selection::kAway);
}

TEST(VoidStatusTest, AbandonedAndNoContestVoidLegs) {
  GameResult game = Final(1, 0);
  game.status = GameStatus::kAbandoned;
  game.status_detail = "floodlight failure";
  const Grade grade =
      GradeLeg(game, Terms(Market::kMoneyline3Way, Selection::kHome));
  EXPECT_EQ(grade.status, LegStatus::kVoid);
  EXPECT_EQ(grade.reason,
            "Away @ Home abandoned, leg void: floodlight failure");
  game.status = GameStatus::kNoContest;
  EXPECT_EQ(
      GradeLeg(game, Terms(Market::kMoneyline3Way, Selection::kHome)).status,
      LegStatus::kVoid);
}

TEST(VoidStatusTest, UnknownStatusStaysPending) {
  GameResult game = Final(1, 0);
  game.status = GameStatus::kUnknown;
  game.status_detail = "STATUS_FORFEIT";
  const Grade grade =
      GradeLeg(game, Terms(Market::kMoneyline3Way, Selection::kHome));
  EXPECT_EQ(grade.status, LegStatus::kPending);
  EXPECT_EQ(grade.reason,
            "Away @ Home status unknown (STATUS_FORFEIT): waiting for the "
            "final score");
}

TEST(LifecycleTest, PostponedPastLimit) {
  const LifecyclePolicy policy;  // 48 hours
  const int64_t start = 1'000'000;
  EXPECT_FALSE(PostponedPastLimit(GameStatus::kPostponed, start,
                                  start + 48 * 3600, policy));
  EXPECT_TRUE(PostponedPastLimit(GameStatus::kPostponed, start,
                                 start + 48 * 3600 + 1, policy));
  EXPECT_FALSE(PostponedPastLimit(GameStatus::kSuspended, start,
                                  start + 100 * 3600, policy));
  LifecyclePolicy off;
  off.postponed_void_seconds = 0;
  EXPECT_FALSE(PostponedPastLimit(GameStatus::kPostponed, start,
                                  start + 1000 * 3600, off));
}

TEST(LifecycleTest, CorrectionWindow) {
  const LifecyclePolicy policy;  // 72 hours
  EXPECT_TRUE(WithinCorrectionWindow(0, 72 * 3600, policy));
  EXPECT_FALSE(WithinCorrectionWindow(0, 72 * 3600 + 1, policy));
  LifecyclePolicy none;
  none.correction_window_seconds = 0;
  EXPECT_FALSE(WithinCorrectionWindow(100, 100, none));
}

}  // namespace
}  // namespace parlay
