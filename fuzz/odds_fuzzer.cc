// Fuzzes ParseOdds. A parsed value is a reduced fraction above 1, and its
// American or decimal form, built here from the fraction, parses back to
// the same fraction.

#include <numeric>
#include <string>

#include "fuzz_support.h"
#include "rules/odds.h"

namespace parlay::fuzz {
namespace {

void CheckReparses(const std::string& text, const Odds& odds,
                   std::string_view input) {
  Result<Odds> again = ParseOdds(text);
  if (!again.ok()) Fail("formatted odds " + text + " do not parse", input);
  if (again.value().numerator != odds.numerator ||
      again.value().denominator != odds.denominator) {
    Fail("formatted odds " + text + " parse to another value", input);
  }
}

// Decimal text of numerator / denominator when it has at most 6 decimals
// and is below 100, where ParseOdds reads it as decimal odds.
void CheckDecimalForm(const Odds& odds, std::string_view input) {
  constexpr int64_t kScale = 1'000'000;
  if (kScale % odds.denominator != 0) return;
  const int64_t scaled = odds.numerator * (kScale / odds.denominator);
  if (scaled >= 100 * kScale) return;
  std::string fraction = std::to_string(scaled % kScale);
  fraction.insert(0, 6 - fraction.size(), '0');
  CheckReparses(std::to_string(scaled / kScale) + "." + fraction, odds, input);
}

// American text: +X for odds of 2 or more (X = 100 * (odds - 1)) and -X
// below 2 (X = 100 / (odds - 1)), when X is a whole number.
void CheckAmericanForm(const Odds& odds, std::string_view input) {
  const int64_t profit_numerator = odds.numerator - odds.denominator;
  if (odds.numerator >= 2 * odds.denominator) {
    if ((100 * profit_numerator) % odds.denominator != 0) return;
    CheckReparses(
        "+" + std::to_string(100 * profit_numerator / odds.denominator), odds,
        input);
  } else {
    if ((100 * odds.denominator) % profit_numerator != 0) return;
    const int64_t magnitude = 100 * odds.denominator / profit_numerator;
    // Decimal odds just above 1 have no American form within 1000000.
    if (magnitude > 1'000'000) return;
    CheckReparses("-" + std::to_string(magnitude), odds, input);
  }
}

}  // namespace
}  // namespace parlay::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace parlay;
  const std::string_view input = fuzz::AsText(data, size);
  Result<Odds> odds = ParseOdds(input);
  if (!odds.ok()) {
    if (odds.error().empty()) fuzz::Fail("empty error message", input);
    return 0;
  }
  const Odds& value = odds.value();
  if (value.text != input) fuzz::Fail("text not kept as given", input);
  if (!(value.numerator > value.denominator && value.denominator > 0)) {
    fuzz::Fail("odds not above 1", input);
  }
  if (std::gcd(value.numerator, value.denominator) != 1) {
    fuzz::Fail("fraction not reduced", input);
  }
  // American odds are at most +1000000, which is 10001 decimal, and decimal
  // odds are below 100.
  if (value.numerator > 10'001 * value.denominator) {
    fuzz::Fail("odds above 10001", input);
  }
  fuzz::CheckDecimalForm(value, input);
  fuzz::CheckAmericanForm(value, input);
  // IsPlaceableOdds must agree with the same bounds computed in floating
  // point, away from the ends where rounding could differ.
  const double decimal = static_cast<double>(value.numerator) /
                         static_cast<double>(value.denominator);
  if (decimal > 1.0101 && decimal < 9999.99 && !IsPlaceableOdds(value)) {
    fuzz::Fail("odds inside 1.01..10000 not placeable", input);
  }
  if ((decimal < 1.0099 || decimal > 10000.01) && IsPlaceableOdds(value)) {
    fuzz::Fail("odds outside 1.01..10000 placeable", input);
  }
  return 0;
}
