// Fuzzes the POST /v1/parlays body: ParseRecordsBody, then
// ReadParlayRecords with the scenario games stored, as the route does
// before it compares and writes.

#include "api_body_checks.h"
#include "feeds/record_import.h"
#include "record_checks.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace parlay;
  const std::string_view input = fuzz::AsText(data, size);
  const ParlayLimits limits{.max_legs = 6, .max_stake_units = 5'000};
  fuzz::CheckApiBody(
      input, "parlay", [&](const std::vector<feeds::FileRecords>& inputs) {
        ImportReport report;
        for (const Parlay& parlay :
             feeds::ReadParlayRecords(inputs, fuzz::ScenarioGames(), {},
                                      1'700'000'000, limits, report)) {
          fuzz::CheckParlay(parlay, limits, input);
        }
        return report.problems;
      });
  return 0;
}
