#include "rules/types.h"

#include <gtest/gtest.h>

#include <string_view>

namespace parlay {
namespace {

TEST(TypesTest, GameStatusNamesRoundTrip) {
  const std::pair<GameStatus, std::string_view> cases[] = {
      {GameStatus::kScheduled, "scheduled"},
      {GameStatus::kInProgress, "in_progress"},
      {GameStatus::kFinal, "final"},
      {GameStatus::kSuspended, "suspended"},
      {GameStatus::kPostponed, "postponed"},
      {GameStatus::kCancelled, "cancelled"},
  };
  for (const auto& [status, name] : cases) {
    EXPECT_EQ(ToString(status), name);
    EXPECT_EQ(ParseGameStatus(name), status) << name;
  }
}

TEST(TypesTest, LegStatusNamesRoundTrip) {
  const std::pair<LegStatus, std::string_view> cases[] = {
      {LegStatus::kPending, "PENDING"},    {LegStatus::kWon, "WON"},
      {LegStatus::kLost, "LOST"},          {LegStatus::kPush, "PUSH"},
      {LegStatus::kVoid, "VOID"},          {LegStatus::kHalfWon, "HALF_WON"},
      {LegStatus::kHalfLost, "HALF_LOST"},
  };
  for (const auto& [status, name] : cases) {
    EXPECT_EQ(ToString(status), name);
    EXPECT_EQ(ParseLegStatus(name), status) << name;
  }
}

TEST(TypesTest, ParlayStatusNamesRoundTrip) {
  const std::pair<ParlayStatus, std::string_view> cases[] = {
      {ParlayStatus::kPending, "PENDING"}, {ParlayStatus::kWon, "WON"},
      {ParlayStatus::kLost, "LOST"},       {ParlayStatus::kPush, "PUSH"},
      {ParlayStatus::kVoid, "VOID"},
  };
  for (const auto& [status, name] : cases) {
    EXPECT_EQ(ToString(status), name);
    EXPECT_EQ(ParseParlayStatus(name), status) << name;
  }
}

TEST(TypesTest, MarketNamesRoundTrip) {
  const std::pair<Market, std::string_view> cases[] = {
      {Market::kMoneyline, "moneyline"},
      {Market::kMoneyline3Way, "moneyline_3way"},
      {Market::kSpread, "spread"},
      {Market::kTotal, "total"},
  };
  for (const auto& [market, name] : cases) {
    EXPECT_EQ(ToString(market), name);
    EXPECT_EQ(ParseMarket(name), market) << name;
  }
}

TEST(TypesTest, SelectionNames) {
  EXPECT_EQ(ToString(Selection::kHome), "home");
  EXPECT_EQ(ToString(Selection::kAway), "away");
  EXPECT_EQ(ToString(Selection::kDraw), "draw");
  EXPECT_EQ(ToString(Selection::kOver), "over");
  EXPECT_EQ(ToString(Selection::kUnder), "under");
}

TEST(TypesTest, ParsersAreExactAndCaseSensitive) {
  EXPECT_FALSE(ParseGameStatus("Final").has_value());
  EXPECT_FALSE(ParseGameStatus("in progress").has_value());
  EXPECT_FALSE(ParseGameStatus("").has_value());
  EXPECT_FALSE(ParseGameStatus("final ").has_value());
  EXPECT_FALSE(ParseLegStatus("won").has_value());
  EXPECT_FALSE(ParseLegStatus("HALF-WON").has_value());
  EXPECT_FALSE(ParseLegStatus("").has_value());
  EXPECT_FALSE(ParseParlayStatus("HALF_WON").has_value());
  EXPECT_FALSE(ParseParlayStatus("pending").has_value());
  EXPECT_FALSE(ParseMarket("Moneyline").has_value());
  EXPECT_FALSE(ParseMarket("moneyline3way").has_value());
  EXPECT_FALSE(ParseMarket("totals").has_value());
  EXPECT_FALSE(ParseMarket("").has_value());
}

}  // namespace
}  // namespace parlay
