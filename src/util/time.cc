#include "util/time.h"

#include <chrono>
#include <cstdio>

namespace parlay {
namespace {

bool ReadDigits(std::string_view text, size_t pos, size_t count, int* out) {
  if (pos + count > text.size()) return false;
  int value = 0;
  for (size_t i = pos; i < pos + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    value = value * 10 + (text[i] - '0');
  }
  *out = value;
  return true;
}

Error InvalidTime(std::string_view text, std::string_view why) {
  return Error{"invalid timestamp \"" + std::string(text) + "\": " +
               std::string(why) +
               " (expected ISO 8601 UTC such as 2023-09-08T00:20:00Z)"};
}

}  // namespace

Result<int64_t> ParseIso8601(std::string_view text) {
  int year, month, day, hour, minute, second;
  if (text.size() < 20 || !ReadDigits(text, 0, 4, &year) || text[4] != '-' ||
      !ReadDigits(text, 5, 2, &month) || text[7] != '-' ||
      !ReadDigits(text, 8, 2, &day) || (text[10] != 'T' && text[10] != ' ') ||
      !ReadDigits(text, 11, 2, &hour) || text[13] != ':' ||
      !ReadDigits(text, 14, 2, &minute) || text[16] != ':' ||
      !ReadDigits(text, 17, 2, &second)) {
    return InvalidTime(text, "malformed");
  }
  if (year < 1900 || year > 2200) return InvalidTime(text, "year out of range");
  using namespace std::chrono;
  year_month_day date{std::chrono::year(year), std::chrono::month(month),
                      std::chrono::day(day)};
  if (!date.ok()) return InvalidTime(text, "no such date");
  if (hour > 23 || minute > 59 || second > 60) {
    return InvalidTime(text, "time of day out of range");
  }
  size_t pos = 19;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    size_t digits = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      ++pos;
      ++digits;
    }
    if (digits == 0) return InvalidTime(text, "empty fraction");
  }
  int offset_seconds = 0;
  if (pos < text.size() && text[pos] == 'Z' && pos + 1 == text.size()) {
    offset_seconds = 0;
  } else if (pos + 6 == text.size() && (text[pos] == '+' || text[pos] == '-')) {
    int oh, om;
    if (!ReadDigits(text, pos + 1, 2, &oh) || text[pos + 3] != ':' ||
        !ReadDigits(text, pos + 4, 2, &om) || oh > 23 || om > 59) {
      return InvalidTime(text, "malformed offset");
    }
    offset_seconds = (oh * 3600 + om * 60) * (text[pos] == '-' ? -1 : 1);
  } else {
    return InvalidTime(text, "missing 'Z' or offset");
  }
  int64_t days = sys_days(date).time_since_epoch().count();
  return days * 86400 + hour * 3600 + minute * 60 + second - offset_seconds;
}

std::string FormatIso8601(int64_t unix_seconds) {
  using namespace std::chrono;
  int64_t days = unix_seconds >= 0 ? unix_seconds / 86400
                                   : -((-unix_seconds + 86399) / 86400);
  int64_t rest = unix_seconds - days * 86400;
  year_month_day date{sys_days{std::chrono::days{days}}};
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02uT%02d:%02d:%02dZ",
                static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()),
                static_cast<unsigned>(date.day()), static_cast<int>(rest / 3600),
                static_cast<int>(rest / 60 % 60), static_cast<int>(rest % 60));
  return buffer;
}

int64_t SystemClock::NowMillis() const {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch())
      .count();
}

}  // namespace parlay
