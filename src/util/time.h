// UTC timestamps as Unix seconds, ISO 8601 text, and an injectable clock.

#ifndef PARLAY_UTIL_TIME_H_
#define PARLAY_UTIL_TIME_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "util/result.h"

namespace parlay {

// Parses "2023-09-08T00:20:00Z" (also with fractional seconds or a
// "+HH:MM" offset) into Unix seconds. Years 1900-2200 only.
Result<int64_t> ParseIso8601(std::string_view text);

// Formats Unix seconds as "2023-09-08T00:20:00Z".
std::string FormatIso8601(int64_t unix_seconds);

// Source of the current time. Production uses SystemClock; tests use a
// ManualClock they advance themselves. Thread-safe.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual int64_t NowMillis() const = 0;  // Unix milliseconds
  int64_t NowSeconds() const { return NowMillis() / 1000; }
};

class SystemClock final : public Clock {
 public:
  int64_t NowMillis() const override;
};

}  // namespace parlay

#endif  // PARLAY_UTIL_TIME_H_
