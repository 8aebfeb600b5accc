#include "rules/money.h"

#include <utility>

namespace parlay {
namespace {

// The currencies this service settles in, with their ISO 4217 minor-unit
// exponents.
constexpr std::pair<std::string_view, int> kCurrencies[] = {
    // No minor unit.
    {"CLP", 0},
    {"ISK", 0},
    {"JPY", 0},
    {"KRW", 0},
    {"PYG", 0},
    {"UGX", 0},
    {"VND", 0},
    {"XAF", 0},
    {"XOF", 0},
    // Cents.
    {"AUD", 2},
    {"BRL", 2},
    {"CAD", 2},
    {"CHF", 2},
    {"CNY", 2},
    {"CZK", 2},
    {"DKK", 2},
    {"EUR", 2},
    {"GBP", 2},
    {"HKD", 2},
    {"HUF", 2},
    {"ILS", 2},
    {"INR", 2},
    {"KES", 2},
    {"MXN", 2},
    {"NGN", 2},
    {"NOK", 2},
    {"NZD", 2},
    {"PHP", 2},
    {"PLN", 2},
    {"SEK", 2},
    {"SGD", 2},
    {"THB", 2},
    {"TRY", 2},
    {"USD", 2},
    {"ZAR", 2},
    {"ARS", 2},
    {"MYR", 2},
    // Thousandths.
    {"BHD", 3},
    {"IQD", 3},
    {"JOD", 3},
    {"KWD", 3},
    {"LYD", 3},
    {"OMR", 3},
    {"TND", 3},
};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// An amount of the currency's form, for error messages: "10.00" for 2.
std::string ExampleAmount(int exponent) {
  std::string example = "10";
  if (exponent > 0) example += "." + std::string(exponent, '0');
  return example;
}

Error InvalidAmount(std::string_view text, std::string_view problem) {
  return Error{"invalid amount \"" + std::string(text) +
               "\": " + std::string(problem)};
}

}  // namespace

std::optional<int> CurrencyExponent(std::string_view code) {
  for (const auto& [known_code, exponent] : kCurrencies) {
    if (known_code == code) return exponent;
  }
  return std::nullopt;
}

Result<int64_t> ParseAmount(std::string_view text, int exponent) {
  if (exponent < 0) {
    return InvalidAmount(
        text, "currency exponent " + std::to_string(exponent) + " is negative");
  }
  const std::string expected =
      "expected a decimal number such as " + ExampleAmount(exponent);
  if (text.empty()) return InvalidAmount(text, "empty, " + expected);
  if (text[0] == '-') {
    return InvalidAmount(text, "amounts must not be negative");
  }
  if (text[0] == '+') {
    return InvalidAmount(text, "a sign is not allowed, " + expected);
  }

  // Every digit goes into one count of minor units, which is checked against
  // the maximum after each step so that it never overflows.
  const std::string too_large = "above the maximum of " +
                                std::to_string(kMaxAmountMinor) +
                                " minor units";
  int64_t minor = 0;
  size_t pos = 0;
  size_t integer_digits = 0;
  for (; pos < text.size() && IsDigit(text[pos]); ++pos, ++integer_digits) {
    minor = minor * 10 + (text[pos] - '0');
    if (minor > kMaxAmountMinor) return InvalidAmount(text, too_large);
  }
  if (integer_digits == 0) return InvalidAmount(text, expected);

  int decimals = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    for (; pos < text.size() && IsDigit(text[pos]); ++pos, ++decimals) {
      if (decimals == exponent) {
        return InvalidAmount(
            text, exponent == 0 ? std::string("this currency has no decimals")
                                : "this currency has at most " +
                                      std::to_string(exponent) + " decimals");
      }
      minor = minor * 10 + (text[pos] - '0');
      if (minor > kMaxAmountMinor) return InvalidAmount(text, too_large);
    }
    if (decimals == 0) return InvalidAmount(text, expected);
  }
  if (pos != text.size()) return InvalidAmount(text, expected);

  for (; decimals < exponent; ++decimals) {
    minor *= 10;
    if (minor > kMaxAmountMinor) return InvalidAmount(text, too_large);
  }
  return minor;
}

std::string FormatAmount(int64_t minor, int exponent) {
  // The magnitude is taken as unsigned so that INT64_MIN formats correctly.
  const bool negative = minor < 0;
  uint64_t magnitude = negative ? 0 - static_cast<uint64_t>(minor)
                                : static_cast<uint64_t>(minor);
  std::string digits = std::to_string(magnitude);
  if (exponent <= 0) return (negative ? "-" : "") + digits;

  const size_t width = static_cast<size_t>(exponent);
  if (digits.size() <= width) {
    digits.insert(0, width + 1 - digits.size(), '0');
  }
  digits.insert(digits.size() - width, 1, '.');
  return (negative ? "-" : "") + digits;
}

}  // namespace parlay
