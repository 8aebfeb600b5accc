// Invariants of games and parlays that passed validation, shared by the
// games, parlays and API body targets.

#ifndef PARLAY_FUZZ_RECORD_CHECKS_H_
#define PARLAY_FUZZ_RECORD_CHECKS_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "feeds/import.h"
#include "feeds/json_records.h"
#include "rules/model.h"

namespace parlay::fuzz {

// Checks a valid game: text fields of 1 to 200 bytes without control
// characters, two different teams and non-negative scores.
void CheckGame(const Game& game, std::string_view input);

// Checks a valid parlay against `limits`: 1 to max_legs legs, a stake from
// 1 minor unit to the maximum, placeable odds, a payout that fits
// kMaxAmountMinor, and no two legs on one game, market and period.
void CheckParlay(const Parlay& parlay, const ParlayLimits& limits,
                 std::string_view input);

// Writes `input` to a file and reads it with ReadAllRecords, as an import
// reads its files. Returns nullopt when the file is unreadable as a whole,
// after checking that the ImportError lists a problem.
std::optional<std::vector<feeds::FileRecords>> ReadInputRecords(
    std::string_view input, ImportReport& report);

// The games of the scenarios in tests/scenarios, by id, for the legs of
// parlay inputs to name. Read once.
const std::map<std::string, Game>& ScenarioGames();

}  // namespace parlay::fuzz

#endif  // PARLAY_FUZZ_RECORD_CHECKS_H_
