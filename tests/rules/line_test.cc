#include "rules/line.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace parlay {
namespace {

using ::testing::HasSubstr;

struct LineCase {
  std::string text;
  int quarters;
};

TEST(ParseLineTest, Valid) {
  const LineCase cases[] = {
      {"-4.5", -18},     // -4.5 * 4
      {"+3", 12},        // 3 * 4
      {"3", 12},         //
      {"0", 0},          //
      {"-0", 0},         //
      {"+0", 0},         //
      {"47.25", 189},    // 47 * 4 + 1
      {"2.50", 10},      // trailing zeros are allowed
      {"2.500000", 10},  //
      {"-0.25", -1},     //
      {"+0.75", 3},      //
      {"-0.75", -3},     //
      {"0.5", 2},        //
      {"-7.0", -28},     //
      {"1000", 4000},    // the maximum magnitude
      {"-1000", -4000},  //
      {"999.75", 3999},  // 999 * 4 + 3
      {"007", 28},       // leading zeros do not change the value
  };
  for (const LineCase& c : cases) {
    const Result<Line> parsed = ParseLine(c.text);
    ASSERT_TRUE(parsed.ok()) << c.text << ": " << parsed.error();
    EXPECT_EQ(parsed.value().quarters, c.quarters) << c.text;
  }
}

struct RejectCase {
  std::string text;
  std::string message_part;
};

TEST(ParseLineTest, RejectsInvalid) {
  const RejectCase cases[] = {
      {"0.1", "not a multiple of 0.25"},
      {"0.3", "not a multiple of 0.25"},
      {"-4.4", "not a multiple of 0.25"},
      {"2.05", "not a multiple of 0.25"},
      {"2.125", "not a multiple of 0.25"},
      {"0.250001", "not a multiple of 0.25"},
      {"abc", "expected points in steps of 0.25"},
      {"", "expected points"},
      {"-", "expected points"},
      {"+", "expected points"},
      {".5", "expected points"},
      {"-.5", "expected points"},
      {"3.", "expected points"},
      {"3.5.", "expected points"},
      {"4,5", "expected points"},
      {" 3", "expected points"},
      {"3 ", "expected points"},
      {"--3", "expected points"},
      {"3e2", "expected points"},
      {"1000.25", "magnitude above 1000 points"},
      {"-1000.5", "magnitude above 1000 points"},
      {"1001", "magnitude above 1000 points"},
      {"99999999999999999999", "magnitude above 1000 points"},
  };
  for (const RejectCase& c : cases) {
    const Result<Line> parsed = ParseLine(c.text);
    ASSERT_FALSE(parsed.ok()) << c.text;
    EXPECT_THAT(parsed.error(), HasSubstr("invalid line \"" + c.text + "\""))
        << c.text;
    EXPECT_THAT(parsed.error(), HasSubstr(c.message_part)) << c.text;
  }
}

struct FormatCase {
  int quarters;
  std::string plain;
  std::string signed_text;
};

TEST(FormatLineTest, PlainAndSigned) {
  const FormatCase cases[] = {
      {-18, "-4.5", "-4.5"},     {12, "3", "+3"},
      {189, "47.25", "+47.25"},  {0, "0", "0"},
      {1, "0.25", "+0.25"},      {-1, "-0.25", "-0.25"},
      {2, "0.5", "+0.5"},        {-3, "-0.75", "-0.75"},
      {191, "47.75", "+47.75"},  {4000, "1000", "+1000"},
      {-4000, "-1000", "-1000"},
  };
  for (const FormatCase& c : cases) {
    EXPECT_EQ(FormatLine(Line{c.quarters}, false), c.plain) << c.quarters;
    EXPECT_EQ(FormatLine(Line{c.quarters}, true), c.signed_text) << c.quarters;
  }
}

TEST(FormatLineTest, RoundTripsThroughParse) {
  for (int quarters = -4000; quarters <= 4000; ++quarters) {
    for (const bool signed_form : {false, true}) {
      const std::string text = FormatLine(Line{quarters}, signed_form);
      const Result<Line> parsed = ParseLine(text);
      ASSERT_TRUE(parsed.ok()) << text << ": " << parsed.error();
      ASSERT_EQ(parsed.value().quarters, quarters) << text;
    }
  }
}

TEST(LineTest, IsQuarter) {
  EXPECT_TRUE((Line{1}).is_quarter());     // 0.25
  EXPECT_TRUE((Line{-1}).is_quarter());    // -0.25
  EXPECT_TRUE((Line{3}).is_quarter());     // 0.75
  EXPECT_TRUE((Line{-189}).is_quarter());  // -47.25
  EXPECT_FALSE((Line{0}).is_quarter());
  EXPECT_FALSE((Line{2}).is_quarter());    // 0.5
  EXPECT_FALSE((Line{-18}).is_quarter());  // -4.5
  EXPECT_FALSE((Line{12}).is_quarter());   // 3
}

}  // namespace
}  // namespace parlay
