// The stored data model: games, parlays (tickets) and their legs. Plain
// value types shared by the importers, the store and the engine.
// Times are Unix seconds in UTC; amounts are minor units of `currency`.

#ifndef PARLAY_RULES_MODEL_H_
#define PARLAY_RULES_MODEL_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "rules/line.h"
#include "rules/odds.h"
#include "rules/scores.h"
#include "rules/types.h"

namespace parlay {

struct Game {
  std::string id;  // the provider's id, e.g. "2023-09-07-DET-KC"
  std::string league;
  std::string home;
  std::string away;
  int64_t start_time = 0;
  GameStatus status = GameStatus::kScheduled;
  std::optional<int> home_score;  // overtime and extra time included
  std::optional<int> away_score;
  std::string period_scores;  // JSON text as received, empty when absent
  int64_t updated_at = 0;
  std::string void_reason;  // set when an operator voided the game

  // "soccer", "american_football", "basketball", "ice_hockey", "baseball",
  // or empty when not known. Soccer's match markets settle after 90
  // minutes (see GameResult::soccer).
  std::string sport;
  std::string status_detail;       // the provider's status text, if any
  std::optional<bool> extra_time;  // went to overtime or extra time
  PeriodScores periods;            // structured scores of parts of the game
  std::optional<Score> shootout;   // penalty shootout goals

  // Bookkeeping of the settlement engine, not written by imports or feeds.
  std::optional<int64_t> first_settled_at;  // first leg settled on the game
  // The reason an operator must look at the game, such as a score correction
  // that arrived after the correction window; empty otherwise.
  std::string attention;
};

struct Leg {
  int index = 0;  // position in its parlay, from 0
  std::string game_id;
  Market market = Market::kMoneyline;
  Selection selection = Selection::kHome;
  std::string selection_text;  // as given: "Kansas City Chiefs" or "home"
  std::optional<Line> line;
  Period period = Period::kGame;
  Odds odds;
  LegStatus status = LegStatus::kPending;
  std::string reason;
  std::optional<int> graded_home_score;  // the scores the grade used
  std::optional<int> graded_away_score;
  std::optional<int64_t> settled_at;
};

struct Parlay {
  std::string id;
  std::string account;
  int64_t stake_minor = 0;
  std::string currency;  // ISO 4217, e.g. "USD"
  int64_t placed_at = 0;
  std::vector<Leg> legs;
  ParlayStatus status = ParlayStatus::kPending;
  std::optional<int64_t> payout_minor;  // set once settled
  std::optional<int64_t> settled_at;
};

}  // namespace parlay

#endif  // PARLAY_RULES_MODEL_H_
