// Fuzzes ParseLine and FormatLine. A parsed line is at most 1000 points in
// magnitude, and both formatted forms parse back to the same line.

#include <string>

#include "fuzz_support.h"
#include "rules/line.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace parlay;
  const std::string_view input = fuzz::AsText(data, size);
  Result<Line> line = ParseLine(input);
  if (!line.ok()) {
    if (line.error().empty()) fuzz::Fail("empty error message", input);
    return 0;
  }
  if (line.value().quarters > 4000 || line.value().quarters < -4000) {
    fuzz::Fail("line above 1000 points", input);
  }
  for (const bool signed_form : {false, true}) {
    const std::string formatted = FormatLine(line.value(), signed_form);
    Result<Line> again = ParseLine(formatted);
    if (!again.ok() || again.value() != line.value()) {
      fuzz::Fail("formatted line " + formatted + " does not parse back", input);
    }
  }
  return 0;
}
