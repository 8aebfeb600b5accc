#include "rules/odds.h"

#include <numeric>
#include <optional>

namespace parlay {
namespace {

constexpr int64_t kMaxOdds = 1'000'000;  // maximum American magnitude
constexpr int kMaxDecimalPlaces = 6;     // maximum decimals of decimal odds
constexpr int64_t kMinAmericanMagnitude = 100;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

Error InvalidOdds(std::string_view text, std::string_view problem) {
  return Error{"invalid odds \"" + std::string(text) +
               "\": " + std::string(problem)};
}

Odds MakeOdds(std::string_view text, int64_t numerator, int64_t denominator) {
  const int64_t divisor = std::gcd(numerator, denominator);
  return Odds{std::string(text), numerator / divisor, denominator / divisor};
}

// The digits of odds text after an optional sign: an integer part and an
// optional fraction. An integer part above kMaxOdds is flagged rather than
// stored.
struct OddsDigits {
  int64_t integer = 0;
  bool integer_too_large = false;
  bool has_point = false;
  int64_t fraction = 0;
  int fraction_digits = 0;
};

// Splits `body` into OddsDigits, or returns nullopt when it is not of the
// form digits[.digits].
std::optional<OddsDigits> SplitDigits(std::string_view body) {
  OddsDigits digits;
  size_t pos = 0;
  for (; pos < body.size() && IsDigit(body[pos]); ++pos) {
    if (digits.integer_too_large) continue;
    digits.integer = digits.integer * 10 + (body[pos] - '0');
    if (digits.integer > kMaxOdds) digits.integer_too_large = true;
  }
  if (pos == 0) return std::nullopt;
  if (pos == body.size()) return digits;

  if (body[pos] != '.') return std::nullopt;
  digits.has_point = true;
  ++pos;
  for (; pos < body.size() && IsDigit(body[pos]); ++pos) {
    // Digits past the allowed decimals are counted but not accumulated, so
    // the fraction cannot overflow before the caller rejects it.
    if (digits.fraction_digits < kMaxDecimalPlaces) {
      digits.fraction = digits.fraction * 10 + (body[pos] - '0');
    }
    ++digits.fraction_digits;
  }
  if (digits.fraction_digits == 0 || pos != body.size()) return std::nullopt;
  return digits;
}

Result<Odds> ParseAmerican(std::string_view text, bool negative,
                           const OddsDigits& digits) {
  if (digits.has_point) {
    return InvalidOdds(text, "American odds must be a whole number");
  }
  if (digits.integer_too_large) {
    return InvalidOdds(text,
                       "American odds must be at most 1000000 in "
                       "magnitude");
  }
  if (digits.integer < kMinAmericanMagnitude) {
    return InvalidOdds(text, negative ? "American odds must be <= -100"
                                      : "American odds must be >= +100");
  }
  // +X returns X per 100 staked, -X returns 100 per X staked, plus the stake.
  if (negative) {
    return MakeOdds(text, digits.integer + 100, digits.integer);
  }
  return MakeOdds(text, digits.integer + 100, 100);
}

Result<Odds> ParseDecimal(std::string_view text, const OddsDigits& digits) {
  if (digits.fraction_digits > kMaxDecimalPlaces) {
    return InvalidOdds(text, "decimal odds have at most 6 decimals");
  }
  // The caller reads an integer part of 100 or more as American odds, so
  // integer < 100 here and the scaled value cannot overflow.
  int64_t denominator = 1;
  for (int i = 0; i < digits.fraction_digits; ++i) denominator *= 10;
  const int64_t numerator = digits.integer * denominator + digits.fraction;
  if (numerator <= denominator) {
    return InvalidOdds(text, "decimal odds must be above 1");
  }
  return MakeOdds(text, numerator, denominator);
}

}  // namespace

Result<Odds> ParseOdds(std::string_view text) {
  const bool has_sign = !text.empty() && (text[0] == '+' || text[0] == '-');
  const std::optional<OddsDigits> digits =
      SplitDigits(has_sign ? text.substr(1) : text);
  if (!digits) {
    return InvalidOdds(text,
                       "expected American odds such as +150 or -110, or "
                       "decimal odds such as 1.91");
  }
  if (has_sign || digits->integer_too_large ||
      digits->integer >= kMinAmericanMagnitude) {
    return ParseAmerican(text, text[0] == '-', *digits);
  }
  return ParseDecimal(text, *digits);
}

bool IsPlaceableOdds(const Odds& odds) {
  // numerator / denominator >= 101 / 100 and <= 10000 / 1, compared by
  // cross-multiplying. ParseOdds keeps both terms below 10^8, so the
  // products fit in int64_t.
  return odds.numerator * 100 >= odds.denominator * 101 &&
         odds.numerator <= odds.denominator * 10'000;
}

}  // namespace parlay
