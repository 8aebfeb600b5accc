// Fuzzes the CSV reader and the NFL history CSV importer (ReadNflCsv) with
// the real team table. Rows come in order of their lines, and every game
// read has two different teams, non-negative scores, a favourite's spread
// of 0 or below and a total above 0.

#include "feeds/csv.h"
#include "feeds/import.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace parlay;
  const std::string_view input = fuzz::AsText(data, size);

  const feeds::CsvTable table = feeds::ParseCsv(input);
  int previous_line = 0;
  for (const feeds::CsvRow& row : table.rows) {
    if (row.line <= previous_line) fuzz::Fail("CSV rows out of order", input);
    previous_line = row.line;
  }

  const std::string path = fuzz::WriteInputFile(input, ".csv");
  ImportReport report;
  std::vector<NflGame> games;
  try {
    games =
        ReadNflCsv(path, PARLAY_SOURCE_DIR "/data/nfl/nfl_teams.csv", report);
  } catch (const ImportError& error) {
    if (error.problems().empty())
      fuzz::Fail("ImportError without problems", input);
    return 0;
  }
  for (const NflGame& nfl : games) {
    const Game& game = nfl.game;
    if (game.id.empty() || game.home == game.away) {
      fuzz::Fail("game without an id or with one team twice", input);
    }
    if (game.home_score.value_or(0) < 0 || game.away_score.value_or(0) < 0) {
      fuzz::Fail("negative score", input);
    }
    if (nfl.spread && nfl.spread->quarters > 0) {
      fuzz::Fail("favourite's spread above 0", input);
    }
    if (nfl.total && nfl.total->quarters <= 0) {
      fuzz::Fail("total of 0 or below", input);
    }
  }
  return 0;
}
