// Games and parlays for the storage fault tests.

#ifndef PARLAY_TESTS_RELIABILITY_FAULT_DATA_H_
#define PARLAY_TESTS_RELIABILITY_FAULT_DATA_H_

#include <string>
#include <vector>

#include "store/store.h"

namespace parlay::reliability {

// Stores `count` final games g-<1000+n>, won 24-17 by the home team, each
// with `parlays_per_game` single-leg parlays p-<1000+n>-<k> of 10.00 USD on
// the home moneyline at -110, so every leg and parlay settles WON.
void AddWonGames(Store& store, int first, int count, int parlays_per_game);

// The ids g-<1000+first> ... g-<1000+first+count-1>.
std::vector<std::string> GameIds(int first, int count);

}  // namespace parlay::reliability

#endif  // PARLAY_TESTS_RELIABILITY_FAULT_DATA_H_
