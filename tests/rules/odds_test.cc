#include "rules/odds.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <string>

namespace parlay {
namespace {

using ::testing::HasSubstr;

struct OddsCase {
  std::string text;
  int64_t numerator;
  int64_t denominator;
};

TEST(ParseOddsTest, American) {
  const OddsCase cases[] = {
      // +X returns X per 100 staked: 1 + X/100.
      {"+150", 5, 2},          // 1 + 150/100 = 250/100 = 5/2
      {"150", 5, 2},           // no sign, magnitude >= 100 reads as American
      {"+100", 2, 1},          // 1 + 100/100 = 2
      {"100", 2, 1},           //
      {"+250", 7, 2},          // 350/100 = 7/2
      {"+333", 433, 100},      // 433/100, already reduced
      {"+1000000", 10001, 1},  // 1 + 10000 = 10001
      // -X returns 100 per X staked: 1 + 100/X.
      {"-110", 21, 11},            // 1 + 100/110 = 210/110 = 21/11
      {"-100", 2, 1},              // 1 + 100/100 = 2
      {"-200", 3, 2},              // 1 + 100/200 = 300/200 = 3/2
      {"-150", 5, 3},              // 250/150 = 5/3
      {"-105", 41, 21},            // 205/105 = 41/21
      {"-1000000", 10001, 10000},  // 1000100/1000000 = 10001/10000
      {"+0150", 5, 2},             // leading zeros do not change the value
  };
  for (const OddsCase& c : cases) {
    const Result<Odds> parsed = ParseOdds(c.text);
    ASSERT_TRUE(parsed.ok()) << c.text << ": " << parsed.error();
    EXPECT_EQ(parsed.value().numerator, c.numerator) << c.text;
    EXPECT_EQ(parsed.value().denominator, c.denominator) << c.text;
    EXPECT_EQ(parsed.value().text, c.text);
  }
}

TEST(ParseOddsTest, Decimal) {
  const OddsCase cases[] = {
      {"1.91", 191, 100},                // 191/100, gcd 1
      {"2", 2, 1},                       //
      {"2.0", 2, 1},                     // 20/10
      {"2.50", 5, 2},                    // 250/100
      {"1.5", 3, 2},                     // 15/10
      {"3.25", 13, 4},                   // 325/100
      {"1.000001", 1000001, 1000000},    // the smallest step above 1
      {"99.999999", 99999999, 1000000},  // the largest decimal odds accepted
      {"99", 99, 1},                     // below 100, so decimal
      {"1.909091", 1909091, 1000000},    // six decimals, gcd 1
  };
  for (const OddsCase& c : cases) {
    const Result<Odds> parsed = ParseOdds(c.text);
    ASSERT_TRUE(parsed.ok()) << c.text << ": " << parsed.error();
    EXPECT_EQ(parsed.value().numerator, c.numerator) << c.text;
    EXPECT_EQ(parsed.value().denominator, c.denominator) << c.text;
    EXPECT_EQ(parsed.value().text, c.text);
  }
}

TEST(ParseOddsTest, EqualPricesCompareByText) {
  // The multiplier is the same but the odds keep the text as given.
  const Result<Odds> american = ParseOdds("+100");
  const Result<Odds> decimal = ParseOdds("2");
  ASSERT_TRUE(american.ok());
  ASSERT_TRUE(decimal.ok());
  EXPECT_EQ(american.value().numerator, decimal.value().numerator);
  EXPECT_EQ(american.value().denominator, decimal.value().denominator);
  EXPECT_NE(american.value(), decimal.value());
}

struct RejectCase {
  std::string text;
  std::string message_part;
};

TEST(ParseOddsTest, RejectsInvalid) {
  const RejectCase cases[] = {
      {"+50", "American odds must be >= +100"},
      {"-50", "American odds must be <= -100"},
      {"+99", "American odds must be >= +100"},
      {"-99", "American odds must be <= -100"},
      {"+0", "American odds must be >= +100"},
      {"-0", "American odds must be <= -100"},
      {"0", "decimal odds must be above 1"},
      {"1", "decimal odds must be above 1"},
      {"1.0", "decimal odds must be above 1"},
      {"1.000000", "decimal odds must be above 1"},
      {"0.5", "decimal odds must be above 1"},
      {"1.9100000", "at most 6 decimals"},
      {"-110.5", "American odds must be a whole number"},
      {"+1.91", "American odds must be a whole number"},
      {"150.5", "American odds must be a whole number"},
      {"+1000001", "at most 1000000"},
      {"-1000001", "at most 1000000"},
      {"1000001", "at most 1000000"},
      {"99999999999999999999999", "at most 1000000"},
      {"-99999999999999999999999", "at most 1000000"},
      {"", "expected American odds"},
      {"+", "expected American odds"},
      {"abc", "expected American odds such as +150 or -110"},
      {"evens", "expected American odds"},
      {"1.", "expected American odds"},
      {".5", "expected American odds"},
      {"1.9.1", "expected American odds"},
      {"+-110", "expected American odds"},
      {" +150", "expected American odds"},
      {"+150 ", "expected American odds"},
      {"5/2", "expected American odds"},
      {"1e3", "expected American odds"},
  };
  for (const RejectCase& c : cases) {
    const Result<Odds> parsed = ParseOdds(c.text);
    ASSERT_FALSE(parsed.ok()) << c.text;
    EXPECT_THAT(parsed.error(), HasSubstr("invalid odds \"" + c.text + "\""))
        << c.text;
    EXPECT_THAT(parsed.error(), HasSubstr(c.message_part)) << c.text;
  }
}

}  // namespace
}  // namespace parlay
