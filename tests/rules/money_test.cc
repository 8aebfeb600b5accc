#include "rules/money.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>

namespace parlay {
namespace {

using ::testing::HasSubstr;

TEST(CurrencyExponentTest, KnownCurrencies) {
  EXPECT_EQ(CurrencyExponent("USD"), 2);
  EXPECT_EQ(CurrencyExponent("EUR"), 2);
  EXPECT_EQ(CurrencyExponent("GBP"), 2);
  EXPECT_EQ(CurrencyExponent("JPY"), 0);
  EXPECT_EQ(CurrencyExponent("KRW"), 0);
  EXPECT_EQ(CurrencyExponent("KWD"), 3);
  EXPECT_EQ(CurrencyExponent("BHD"), 3);
}

TEST(CurrencyExponentTest, UnknownOrLowerCase) {
  EXPECT_FALSE(CurrencyExponent("usd").has_value());
  EXPECT_FALSE(CurrencyExponent("XYZ").has_value());
  EXPECT_FALSE(CurrencyExponent("").has_value());
  EXPECT_FALSE(CurrencyExponent("USDX").has_value());
}

struct AmountCase {
  std::string text;
  int exponent;
  int64_t minor;
};

TEST(ParseAmountTest, ValidAmounts) {
  const AmountCase cases[] = {
      {"10.00", 2, 1000},  // 10 * 100
      {"10.5", 2, 1050},   // 10 * 100 + 50
      {"10", 2, 1000},     // whole units need no decimals
      {"0.01", 2, 1},      // one cent
      {"0", 2, 0},         // a zero amount is allowed
      {"0.00", 2, 0},      //
      {"69.57", 2, 6957},  //
      {"007.50", 2, 750},  // leading zeros are harmless
      {"1500", 0, 1500},   // JPY has no minor unit
      {"0", 0, 0},         //
      {"1.234", 3, 1234},  // KWD: 1 * 1000 + 234
      {"1.2", 3, 1200},    // 1 * 1000 + 200
      {"12", 3, 12000},    // 12 * 1000
      {"0.001", 3, 1},     // one fils
  };
  for (const AmountCase& c : cases) {
    const Result<int64_t> parsed = ParseAmount(c.text, c.exponent);
    ASSERT_TRUE(parsed.ok()) << c.text << ": " << parsed.error();
    EXPECT_EQ(parsed.value(), c.minor) << c.text;
  }
}

TEST(ParseAmountTest, MaximumAmount) {
  // kMaxAmountMinor is 10^15 minor units: 10^13 dollars, 10^15 yen.
  Result<int64_t> usd = ParseAmount("10000000000000.00", 2);
  ASSERT_TRUE(usd.ok()) << usd.error();
  EXPECT_EQ(usd.value(), kMaxAmountMinor);

  Result<int64_t> jpy = ParseAmount("1000000000000000", 0);
  ASSERT_TRUE(jpy.ok()) << jpy.error();
  EXPECT_EQ(jpy.value(), kMaxAmountMinor);
}

struct RejectCase {
  std::string text;
  int exponent;
  std::string message_part;
};

TEST(ParseAmountTest, RejectsInvalidText) {
  const RejectCase cases[] = {
      {"-5.00", 2, "must not be negative"},
      {"-0", 2, "must not be negative"},
      {"+5.00", 2, "a sign is not allowed"},
      {"10.005", 2, "at most 2 decimals"},
      {"10.000", 2, "at most 2 decimals"},
      {"1500.0", 0, "has no decimals"},
      {"1.2345", 3, "at most 3 decimals"},
      {"", 2, "empty"},
      {"abc", 2, "expected a decimal number such as 10.00"},
      {"10.", 2, "expected a decimal number"},
      {".50", 2, "expected a decimal number"},
      {"1e3", 2, "expected a decimal number"},
      {"10,00", 2, "expected a decimal number"},
      {"1 000", 2, "expected a decimal number"},
      {" 10", 2, "expected a decimal number"},
      {"10 ", 2, "expected a decimal number"},
      {"0x10", 2, "expected a decimal number"},
      {"1.2.3", 2, "expected a decimal number"},
      {"abc", 0, "such as 10"},
      {"abc", 3, "such as 10.000"},
  };
  for (const RejectCase& c : cases) {
    const Result<int64_t> parsed = ParseAmount(c.text, c.exponent);
    ASSERT_FALSE(parsed.ok()) << c.text;
    EXPECT_THAT(parsed.error(), HasSubstr("invalid amount \"" + c.text + "\""))
        << c.text;
    EXPECT_THAT(parsed.error(), HasSubstr(c.message_part)) << c.text;
  }
}

TEST(ParseAmountTest, RejectsOverflow) {
  const RejectCase cases[] = {
      // One minor unit above 10^15.
      {"10000000000000.01", 2, "above the maximum"},
      {"1000000000000001", 0, "above the maximum"},
      // Fits as an integer count of units but not once scaled by 10^2.
      {"10000000000001", 2, "above the maximum"},
      // Far past INT64_MAX (about 9.2 * 10^18), which must not wrap.
      {"99999999999999999999999999", 2, "above the maximum"},
      {"1.99999999999999999999999999", 30, "above the maximum"},
  };
  for (const RejectCase& c : cases) {
    const Result<int64_t> parsed = ParseAmount(c.text, c.exponent);
    ASSERT_FALSE(parsed.ok()) << c.text;
    EXPECT_THAT(parsed.error(), HasSubstr(c.message_part)) << c.text;
  }
}

TEST(ParseAmountTest, RejectsNegativeExponent) {
  const Result<int64_t> parsed = ParseAmount("10", -1);
  ASSERT_FALSE(parsed.ok());
  EXPECT_THAT(parsed.error(), HasSubstr("exponent -1"));
}

struct FormatCase {
  int64_t minor;
  int exponent;
  std::string text;
};

TEST(FormatAmountTest, Formats) {
  const FormatCase cases[] = {
      {6957, 2, "69.57"},
      {1000, 2, "10.00"},
      {5, 2, "0.05"},
      {50, 2, "0.50"},
      {0, 2, "0.00"},
      {1500, 0, "1500"},
      {0, 0, "0"},
      {1234, 3, "1.234"},
      {1, 3, "0.001"},
      {12000, 3, "12.000"},
      {-6957, 2, "-69.57"},
      {-5, 2, "-0.05"},
      {-1500, 0, "-1500"},
      {kMaxAmountMinor, 2, "10000000000000.00"},
      {std::numeric_limits<int64_t>::max(), 2, "92233720368547758.07"},
      {std::numeric_limits<int64_t>::min(), 2, "-92233720368547758.08"},
  };
  for (const FormatCase& c : cases) {
    EXPECT_EQ(FormatAmount(c.minor, c.exponent), c.text) << c.minor;
  }
}

TEST(FormatAmountTest, RoundTripsThroughParse) {
  for (const int exponent : {0, 2, 3}) {
    for (const int64_t minor :
         {int64_t{0}, int64_t{1}, int64_t{99}, int64_t{100}, int64_t{123456789},
          kMaxAmountMinor}) {
      const std::string text = FormatAmount(minor, exponent);
      const Result<int64_t> parsed = ParseAmount(text, exponent);
      ASSERT_TRUE(parsed.ok()) << text << ": " << parsed.error();
      EXPECT_EQ(parsed.value(), minor) << text;
    }
  }
}

}  // namespace
}  // namespace parlay
