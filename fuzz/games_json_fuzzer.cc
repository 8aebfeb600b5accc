// Fuzzes the games JSON importer's reading and validation (ReadAllRecords
// and ReadGameRecords) on a file, as `parlay-settler import games` reads
// it. Every game that passes validation is checked with CheckGame.

#include "feeds/import_internal.h"
#include "feeds/json_records.h"
#include "fuzz_support.h"
#include "record_checks.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace parlay;
  const std::string_view input = fuzz::AsText(data, size);
  ImportReport report;
  const std::optional<std::vector<feeds::FileRecords>> inputs =
      fuzz::ReadInputRecords(input, report);
  if (!inputs) return 0;
  for (const Game& game : feeds::ReadGameRecords(*inputs, report)) {
    fuzz::CheckGame(game, input);
  }
  return 0;
}
