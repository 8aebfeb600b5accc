#include "reliability/fault_data.h"

#include "support/test_support.h"

namespace parlay::reliability {

void AddWonGames(Store& store, int first, int count, int parlays_per_game) {
  std::vector<Game> games;
  std::vector<Parlay> parlays;
  for (const std::string& id : GameIds(first, count)) {
    const std::string number = id.substr(2);
    games.push_back(testing::MakeGame(id, "Home " + number, "Away " + number,
                                      24, 17, GameStatus::kFinal,
                                      1'600'000'000 + std::stoll(number)));
    for (int k = 0; k < parlays_per_game; ++k) {
      parlays.push_back(testing::MakeParlay(
          "p-" + number + "-" + std::to_string(k), 1000, "USD",
          {testing::MakeLeg(0, id, Market::kMoneyline, Selection::kHome, "",
                            "-110")}));
    }
  }
  store.UpsertGames(games);
  store.InsertParlays(parlays);
}

std::vector<std::string> GameIds(int first, int count) {
  std::vector<std::string> ids;
  for (int n = first; n < first + count; ++n) {
    ids.push_back("g-" + std::to_string(1000 + n));
  }
  return ids;
}

}  // namespace parlay::reliability
