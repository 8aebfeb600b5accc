#include "util/time.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <string>

namespace parlay {
namespace {

using ::testing::HasSubstr;

// 1970-01-01 to 2023-01-01: 53 years of 365 days plus 13 leap days
// (1972 to 2020) = 19,358 days. Then January to August 2023 adds
// 31+28+31+30+31+30+31+31 = 243 days and 7 more reach 8 September:
// 19,608 days * 86,400 = 1,694,131,200 s, plus 00:20 = 1,694,132,400.
constexpr int64_t kKickoff = 1'694'132'400;  // 2023-09-08T00:20:00Z

// 1970 to 2000: 30 * 365 + 7 leap days (1972 to 1996) = 10,957 days, then
// 31 + 28 days to 29 February = 11,016 days = 951,782,400 s, plus 12:00.
constexpr int64_t kLeapDayNoon = 951'825'600;  // 2000-02-29T12:00:00Z

// 1900 to 1970: 70 * 365 + 17 leap days (1904 to 1968, as 1900 is not a
// leap year) = 25,567 days = 2,208,988,800 s before the epoch.
constexpr int64_t kYear1900 = -2'208'988'800;  // 1900-01-01T00:00:00Z

struct ParseCase {
  std::string text;
  int64_t seconds;
};

TEST(ParseIso8601Test, Valid) {
  const ParseCase cases[] = {
      {"1970-01-01T00:00:00Z", 0},
      {"2023-09-08T00:20:00Z", kKickoff},
      {"2023-09-08 00:20:00Z", kKickoff},          // a space for the T
      {"2023-09-08T00:20:00.5Z", kKickoff},        // fractions are dropped
      {"2023-09-08T00:20:00.999999Z", kKickoff},   //
      {"2023-09-07T20:20:00-04:00", kKickoff},     // 20:20 + 4 h = 00:20
      {"2023-09-08T05:50:00+05:30", kKickoff},     // 05:50 - 5:30 = 00:20
      {"2023-09-08T00:20:00+00:00", kKickoff},     //
      {"2023-09-08T00:20:00.25-00:00", kKickoff},  //
      {"2000-02-29T12:00:00Z", kLeapDayNoon},
      {"1969-12-31T23:59:59Z", -1},
      {"1900-01-01T00:00:00Z", kYear1900},
      // A leap second reads as the first second of the next minute.
      {"2016-12-31T23:59:60Z", 1'483'228'800},  // 2017-01-01T00:00:00Z
  };
  for (const ParseCase& c : cases) {
    const Result<int64_t> parsed = ParseIso8601(c.text);
    ASSERT_TRUE(parsed.ok()) << c.text << ": " << parsed.error();
    EXPECT_EQ(parsed.value(), c.seconds) << c.text;
  }
}

struct RejectCase {
  std::string text;
  std::string message_part;
};

TEST(ParseIso8601Test, RejectsInvalid) {
  const RejectCase cases[] = {
      {"", "malformed"},
      {"2023-09-08", "malformed"},
      {"2023-09-08T00:20", "malformed"},
      {"2023/09/08T00:20:00Z", "malformed"},
      {"2023-09-08t00:20:00Z", "malformed"},
      {"23-09-08T00:20:00Z", "malformed"},
      {"2023-9-8T00:20:00Z0", "malformed"},
      {"abcd-ef-ghTij:kl:mnZ", "malformed"},
      {"2023-02-29T00:00:00Z", "no such date"},
      {"2023-13-01T00:00:00Z", "no such date"},
      {"2023-00-10T00:00:00Z", "no such date"},
      {"2023-04-31T00:00:00Z", "no such date"},
      {"1900-02-29T00:00:00Z", "no such date"},
      {"2023-09-08T24:00:00Z", "time of day out of range"},
      {"2023-09-08T00:60:00Z", "time of day out of range"},
      {"2023-09-08T00:00:61Z", "time of day out of range"},
      {"1899-12-31T23:59:59Z", "year out of range"},
      {"2201-01-01T00:00:00Z", "year out of range"},
      {"2023-09-08T00:20:00", "malformed"},
      {"2023-09-08T00:20:00.Z", "empty fraction"},
      {"2023-09-08T00:20:00ZZ", "missing 'Z' or offset"},
      {"2023-09-08T00:20:00 Z", "missing 'Z' or offset"},
      {"2023-09-08T00:20:00+0530", "missing 'Z' or offset"},
      {"2023-09-08T00:20:00+05:30Z", "missing 'Z' or offset"},
      {"2023-09-08T00:20:00+24:00", "malformed offset"},
      {"2023-09-08T00:20:00+05:60", "malformed offset"},
      {"2023-09-08T00:20:00+05-30", "malformed offset"},
      {"2023-09-08T00:20:00.5", "missing 'Z' or offset"},
  };
  for (const RejectCase& c : cases) {
    const Result<int64_t> parsed = ParseIso8601(c.text);
    ASSERT_FALSE(parsed.ok()) << c.text;
    EXPECT_THAT(parsed.error(),
                HasSubstr("invalid timestamp \"" + c.text + "\""));
    EXPECT_THAT(parsed.error(), HasSubstr(c.message_part)) << c.text;
  }
}

TEST(FormatIso8601Test, Formats) {
  const ParseCase cases[] = {
      {"1970-01-01T00:00:00Z", 0},
      {"2023-09-08T00:20:00Z", kKickoff},
      {"2000-02-29T12:00:00Z", kLeapDayNoon},
      {"1969-12-31T23:59:59Z", -1},
      {"1969-12-31T00:00:00Z", -86'400},
      {"1969-12-30T23:59:59Z", -86'401},
      {"1900-01-01T00:00:00Z", kYear1900},
  };
  for (const ParseCase& c : cases) {
    EXPECT_EQ(FormatIso8601(c.seconds), c.text) << c.seconds;
  }
}

TEST(FormatIso8601Test, RoundTripsThroughParse) {
  // Steps of 7,777 s visit every time of day over the years 1960 to 2040.
  for (int64_t seconds = -315'619'200; seconds < 2'208'988'800;
       seconds += 7'777) {
    const std::string text = FormatIso8601(seconds);
    const Result<int64_t> parsed = ParseIso8601(text);
    ASSERT_TRUE(parsed.ok()) << text << ": " << parsed.error();
    ASSERT_EQ(parsed.value(), seconds) << text;
  }
}

}  // namespace
}  // namespace parlay
