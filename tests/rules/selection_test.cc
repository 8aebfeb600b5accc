#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "rules/grading.h"

namespace parlay {
namespace {

using ::testing::HasSubstr;

constexpr const char* kHome = "Kansas City Chiefs";
constexpr const char* kAway = "Detroit Lions";

struct ResolveCase {
  Market market;
  std::string text;
  Selection selection;
};

TEST(ResolveSelectionTest, KeywordsInAnyCase) {
  const ResolveCase cases[] = {
      {Market::kMoneyline, "home", Selection::kHome},
      {Market::kMoneyline, "HOME", Selection::kHome},
      {Market::kMoneyline, "Away", Selection::kAway},
      {Market::kMoneyline, " away ", Selection::kAway},
      {Market::kMoneyline3Way, "home", Selection::kHome},
      {Market::kMoneyline3Way, "Draw", Selection::kDraw},
      {Market::kMoneyline3Way, "DRAW", Selection::kDraw},
      {Market::kMoneyline3Way, "away", Selection::kAway},
      {Market::kSpread, "hOmE", Selection::kHome},
      {Market::kSpread, "away", Selection::kAway},
      {Market::kTotal, "over", Selection::kOver},
      {Market::kTotal, "Over", Selection::kOver},
      {Market::kTotal, "UNDER", Selection::kUnder},
      {Market::kTotal, "\tunder", Selection::kUnder},
  };
  for (const ResolveCase& c : cases) {
    const Result<Selection> resolved =
        ResolveSelection(c.market, c.text, kHome, kAway);
    ASSERT_TRUE(resolved.ok()) << c.text << ": " << resolved.error();
    EXPECT_EQ(resolved.value(), c.selection) << c.text;
  }
}

TEST(ResolveSelectionTest, TeamNamesIgnoreCaseAndSpacing) {
  const ResolveCase cases[] = {
      {Market::kMoneyline, "Kansas City Chiefs", Selection::kHome},
      {Market::kMoneyline, "kansas city chiefs", Selection::kHome},
      {Market::kMoneyline, "KANSAS CITY CHIEFS", Selection::kHome},
      {Market::kMoneyline, "Kansas City  Chiefs", Selection::kHome},
      {Market::kMoneyline, "KansasCityChiefs", Selection::kHome},
      {Market::kMoneyline, "  kansas  city chiefs ", Selection::kHome},
      {Market::kMoneyline, "Kansas\tCity Chiefs", Selection::kHome},
      {Market::kMoneyline, "Detroit Lions", Selection::kAway},
      {Market::kMoneyline, "detroit lions", Selection::kAway},
      {Market::kMoneyline, "dEtRoIt LiOnS", Selection::kAway},
      {Market::kMoneyline3Way, "detroit lions", Selection::kAway},
      {Market::kMoneyline3Way, "Kansas City Chiefs", Selection::kHome},
      {Market::kSpread, "KANSAS city CHIEFS", Selection::kHome},
      {Market::kSpread, "Detroit  Lions", Selection::kAway},
  };
  for (const ResolveCase& c : cases) {
    const Result<Selection> resolved =
        ResolveSelection(c.market, c.text, kHome, kAway);
    ASSERT_TRUE(resolved.ok()) << c.text << ": " << resolved.error();
    EXPECT_EQ(resolved.value(), c.selection) << c.text;
  }
}

TEST(ResolveSelectionTest, DotsAndHyphensIgnored) {
  const Result<Selection> dotted =
      ResolveSelection(Market::kMoneyline, "st louis cardinals",
                       "St. Louis Cardinals", "Chicago Cubs");
  ASSERT_TRUE(dotted.ok()) << dotted.error();
  EXPECT_EQ(dotted.value(), Selection::kHome);

  const Result<Selection> hyphen =
      ResolveSelection(Market::kMoneyline3Way, "Paris Saint Germain",
                       "Olympique Lyonnais", "Paris Saint-Germain");
  ASSERT_TRUE(hyphen.ok()) << hyphen.error();
  EXPECT_EQ(hyphen.value(), Selection::kAway);
}

TEST(ResolveSelectionTest, RejectsUnknownTeam) {
  const Result<Selection> resolved =
      ResolveSelection(Market::kMoneyline, "Chiefs", kHome, kAway);
  ASSERT_FALSE(resolved.ok());
  EXPECT_EQ(resolved.error(),
            "invalid selection \"Chiefs\" for moneyline on Detroit Lions @ "
            "Kansas City Chiefs: matches neither team, expected home, away, "
            "\"Kansas City Chiefs\" or \"Detroit Lions\"");
}

TEST(ResolveSelectionTest, RejectsEveryUnknownText) {
  const std::pair<Market, std::string> cases[] = {
      {Market::kMoneyline, "Green Bay Packers"},
      {Market::kMoneyline, "homes"},
      {Market::kMoneyline, "Kansas City Chief"},
      {Market::kMoneyline3Way, "tie"},
      {Market::kMoneyline3Way, "X"},
      {Market::kSpread, "1"},
      {Market::kTotal, "o"},
      {Market::kTotal, "overs"},
  };
  for (const auto& [market, text] : cases) {
    const Result<Selection> resolved =
        ResolveSelection(market, text, kHome, kAway);
    ASSERT_FALSE(resolved.ok()) << text;
    EXPECT_THAT(resolved.error(),
                HasSubstr("invalid selection \"" + text + "\""));
    // The message names the game's teams, so the reader can fix the text.
    EXPECT_THAT(resolved.error(), HasSubstr(kHome)) << text;
    EXPECT_THAT(resolved.error(), HasSubstr(kAway)) << text;
  }
}

TEST(ResolveSelectionTest, RejectsEmptyText) {
  for (const std::string text : {"", "   ", ".", "-"}) {
    const Result<Selection> resolved =
        ResolveSelection(Market::kMoneyline, text, kHome, kAway);
    ASSERT_FALSE(resolved.ok()) << "\"" << text << "\"";
    EXPECT_THAT(resolved.error(), HasSubstr(": empty, expected home, away"));
  }
}

TEST(ResolveSelectionTest, RejectsSelectionOutsideMarket) {
  const std::pair<ResolveCase, std::string> cases[] = {
      {{Market::kSpread, "draw", Selection::kDraw},
       "invalid selection \"draw\" for spread on Detroit Lions @ Kansas City "
       "Chiefs: draw is not a spread selection, expected home, away, "
       "\"Kansas City Chiefs\" or \"Detroit Lions\""},
      {{Market::kMoneyline, "Draw", Selection::kDraw},
       "invalid selection \"Draw\" for moneyline on Detroit Lions @ Kansas "
       "City Chiefs: draw is not a moneyline selection, expected home, "
       "away, \"Kansas City Chiefs\" or \"Detroit Lions\""},
      {{Market::kMoneyline, "over", Selection::kOver},
       "invalid selection \"over\" for moneyline on Detroit Lions @ Kansas "
       "City Chiefs: over is not a moneyline selection, expected home, "
       "away, \"Kansas City Chiefs\" or \"Detroit Lions\""},
      {{Market::kMoneyline3Way, "under", Selection::kUnder},
       "invalid selection \"under\" for moneyline_3way on Detroit Lions @ "
       "Kansas City Chiefs: under is not a moneyline_3way selection, "
       "expected home, draw, away, \"Kansas City Chiefs\" or \"Detroit "
       "Lions\""},
      {{Market::kTotal, "home", Selection::kHome},
       "invalid selection \"home\" for total on Detroit Lions @ Kansas City "
       "Chiefs: home is not a total selection, expected over or under"},
      {{Market::kTotal, "Kansas City Chiefs", Selection::kHome},
       "invalid selection \"Kansas City Chiefs\" for total on Detroit Lions "
       "@ Kansas City Chiefs: a team is not a total selection, expected "
       "over or under"},
  };
  for (const auto& [c, message] : cases) {
    const Result<Selection> resolved =
        ResolveSelection(c.market, c.text, kHome, kAway);
    ASSERT_FALSE(resolved.ok()) << c.text;
    EXPECT_EQ(resolved.error(), message);
  }
}

TEST(ResolveSelectionTest, RejectsAmbiguousTeamName) {
  // Both names normalise to "newyorkgiants".
  const Result<Selection> resolved =
      ResolveSelection(Market::kMoneyline, "new york giants", "New York Giants",
                       "NEW-YORK GIANTS");
  ASSERT_FALSE(resolved.ok());
  EXPECT_EQ(resolved.error(),
            "invalid selection \"new york giants\" for moneyline on NEW-YORK "
            "GIANTS @ New York Giants: ambiguous because both teams have the "
            "same name, expected home or away");

  const Result<Selection> three_way =
      ResolveSelection(Market::kMoneyline3Way, "Giants", "Giants", "giants");
  ASSERT_FALSE(three_way.ok());
  EXPECT_THAT(three_way.error(), HasSubstr("expected home, draw or away"));

  // The keywords still resolve, because they do not depend on the names.
  const Result<Selection> home = ResolveSelection(
      Market::kMoneyline, "home", "New York Giants", "NEW-YORK GIANTS");
  ASSERT_TRUE(home.ok()) << home.error();
  EXPECT_EQ(home.value(), Selection::kHome);
}

TEST(NormalizeTeamNameTest, DropsCaseSpacesDotsAndHyphens) {
  const std::pair<std::string, std::string> cases[] = {
      {"Kansas City Chiefs", "kansascitychiefs"},
      {"Kansas City  Chiefs", "kansascitychiefs"},
      {"  KANSAS CITY CHIEFS\t", "kansascitychiefs"},
      {"St. Louis Cardinals", "stlouiscardinals"},
      {"Paris Saint-Germain", "parissaintgermain"},
      {"49ers", "49ers"},
      {"", ""},
      {" .-", ""},
  };
  for (const auto& [name, normalized] : cases) {
    EXPECT_EQ(NormalizeTeamName(name), normalized) << name;
  }
}

TEST(NormalizeTeamNameTest, KeepsOtherCharacters) {
  // Only ASCII letters are lowercased, and apostrophes and UTF-8 bytes stay.
  EXPECT_EQ(NormalizeTeamName("Newell's Old Boys"), "newell'soldboys");
  EXPECT_EQ(NormalizeTeamName("Atl\xC3\xA9tico"), "atl\xC3\xA9tico");
}

}  // namespace
}  // namespace parlay
