// Fuzzes the parlays JSON importer's reading and validation
// (ReadAllRecords and ReadParlayRecords) on a file, with the scenario games
// stored. Every parlay that passes validation is checked with CheckParlay.

#include "feeds/json_records.h"
#include "feeds/record_import.h"
#include "fuzz_support.h"
#include "record_checks.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace parlay;
  const std::string_view input = fuzz::AsText(data, size);
  ImportReport report;
  const std::optional<std::vector<feeds::FileRecords>> inputs =
      fuzz::ReadInputRecords(input, report);
  if (!inputs) return 0;
  const ParlayLimits limits;
  for (const Parlay& parlay : feeds::ReadParlayRecords(
           *inputs, fuzz::ScenarioGames(), {}, 1'700'000'000, limits, report)) {
    fuzz::CheckParlay(parlay, limits, input);
  }
  return 0;
}
