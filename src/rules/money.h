// Exact money: amounts are integer counts of a currency's minor unit
// (cents for USD, yen for JPY). No floating point touches an amount.

#ifndef PARLAY_RULES_MONEY_H_
#define PARLAY_RULES_MONEY_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "util/result.h"

namespace parlay {

// Returns the number of decimal places of the ISO 4217 currency `code`
// (USD 2, JPY 0, KWD 3), or nullopt for a code this service does not know.
// Codes are upper case, as ISO 4217 writes them.
std::optional<int> CurrencyExponent(std::string_view code);

// Largest amount accepted anywhere, in minor units: 10^15. Parlays whose
// payout could exceed it are rejected when placed (see MaxPayoutMinor).
inline constexpr int64_t kMaxAmountMinor = 1'000'000'000'000'000;

// Parses a non-negative decimal amount such as "10.00", "10.5" or "1500"
// into minor units of a currency with `exponent` decimals. Rejects signs,
// exponents, more decimals than the currency has, and amounts above
// kMaxAmountMinor.
Result<int64_t> ParseAmount(std::string_view text, int exponent);

// Formats `minor` units with `exponent` decimals: 6957, 2 -> "69.57".
std::string FormatAmount(int64_t minor, int exponent);

}  // namespace parlay

#endif  // PARLAY_RULES_MONEY_H_
