// Fuzzes ParseAmount and FormatAmount. The first byte picks the currency
// exponent (0 to 3); the rest is the amount text. A parsed amount is in
// 0..kMaxAmountMinor and formats back to text that parses to the same
// amount.

#include <string>

#include "fuzz_support.h"
#include "rules/money.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace parlay;
  if (size == 0) return 0;
  const int exponent = data[0] % 4;
  const std::string_view input = fuzz::AsText(data + 1, size - 1);
  Result<int64_t> amount = ParseAmount(input, exponent);
  if (!amount.ok()) {
    if (amount.error().empty()) fuzz::Fail("empty error message", input);
    return 0;
  }
  const int64_t minor = amount.value();
  if (minor < 0 || minor > kMaxAmountMinor) {
    fuzz::Fail("amount out of range", input);
  }
  const std::string formatted = FormatAmount(minor, exponent);
  Result<int64_t> again = ParseAmount(formatted, exponent);
  if (!again.ok() || again.value() != minor) {
    fuzz::Fail("formatted amount " + formatted + " does not parse back", input);
  }
  // Formatting is canonical: exactly `exponent` decimals.
  const size_t point = formatted.find('.');
  const size_t decimals =
      point == std::string::npos ? 0 : formatted.size() - point - 1;
  if (decimals != static_cast<size_t>(exponent)) {
    fuzz::Fail("formatted amount " + formatted + " has other decimals", input);
  }
  return 0;
}
