// Fuzzes the POST /v1/games body: ParseRecordsBody, then ReadGameRecords,
// the validation ImportGameRecords runs before it writes.

#include "api_body_checks.h"
#include "feeds/import_internal.h"
#include "record_checks.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace parlay;
  const std::string_view input = fuzz::AsText(data, size);
  fuzz::CheckApiBody(
      input, "game", [&](const std::vector<feeds::FileRecords>& inputs) {
        ImportReport report;
        for (const Game& game : feeds::ReadGameRecords(inputs, report)) {
          fuzz::CheckGame(game, input);
        }
        return report.problems;
      });
  return 0;
}
