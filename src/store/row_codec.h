// Row encodings shared by the SQLite and PostgreSQL stores: column lists,
// id arrays, period scores and the canonical result text of a game.

#ifndef PARLAY_STORE_ROW_CODEC_H_
#define PARLAY_STORE_ROW_CODEC_H_

#include <optional>
#include <span>
#include <string>

#include "rules/model.h"
#include "store/store.h"

namespace parlay {

// Column lists in the order the stores' row readers expect.
inline constexpr char kGameColumns[] =
    "id, league, home, away, start_time, status, home_score, away_score, "
    "period_scores, updated_at, void_reason, sport, status_detail, "
    "extra_time, period_results, shootout_home_score, shootout_away_score, "
    "first_settled_at, attention";
inline constexpr char kLegColumns[] =
    "parlay_id, leg_index, game_id, market, selection, selection_text, "
    "line_quarters, odds, odds_numerator, odds_denominator, status, reason, "
    "graded_home_score, graded_away_score, settled_at, period";
inline constexpr char kParlayColumns[] =
    "id, account, stake_minor, currency, placed_at, status, payout_minor, "
    "settled_at";

// The games a settlement pass can settle now: gradable (final with both
// scores, cancelled, abandoned or no contest) and with pending legs.
// FindGamesToSettle and CountBacklog of both stores share it, so that the
// backlog counts exactly the games a pass would take.
inline constexpr char kGamesToSettleCondition[] =
    "(status IN ('cancelled', 'abandoned', 'no_contest') OR (status = "
    "'final' AND home_score IS NOT NULL AND away_score IS NOT NULL)) AND "
    "EXISTS (SELECT 1 FROM legs WHERE legs.game_id = games.id AND "
    "legs.status = 'PENDING')";

// Counts the games needing attention by reason, in the order of the fields
// of AttentionCounts. The final-without-score condition is the one of
// FindGamesNeedingAttention. SQLite (3.30 and later) and PostgreSQL both
// accept FILTER on an aggregate.
inline constexpr char kCountGamesNeedingAttention[] =
    "SELECT COUNT(*) FILTER (WHERE status = 'final' AND (home_score IS NULL "
    "OR away_score IS NULL) AND EXISTS (SELECT 1 FROM legs WHERE "
    "legs.game_id = games.id AND legs.status = 'PENDING')), "
    "COUNT(*) FILTER (WHERE attention != ''), "
    "COUNT(*) FILTER (WHERE status = 'unknown' AND EXISTS (SELECT 1 FROM legs "
    "WHERE legs.game_id = games.id AND legs.status = 'PENDING')) "
    "FROM games";

// Encodes ids as a JSON array, which SQLite expands with json_each and
// PostgreSQL with json_array_elements_text, so one prepared statement
// serves a batch of any size.
std::string IdArray(std::span<const std::string> ids);

// Parses an enum column with `parse`; throws StoreError naming `what` for
// text no version of the schema writes.
template <typename Enum, typename Parser>
Enum ParseColumn(const std::string& text, Parser parse, const char* what) {
  std::optional<Enum> value = parse(text);
  if (!value) {
    throw StoreError(std::string("corrupt row: unknown ") + what + " \"" +
                     text + "\"");
  }
  return *value;
}

// Encodes period scores as {"regulation": [home, away], "q1": [...]},
// listing only the parts a feed gave, in a fixed order. Empty when none.
std::string PeriodResultsText(const PeriodScores& periods);

// Inverse of PeriodResultsText; throws StoreError on invalid text.
PeriodScores ParsePeriodResults(const std::string& text);

// The canonical text of everything grading reads from a game. Two writes
// with the same text cannot grade any leg differently, so the engine
// compares it with the text it last settled on to find score corrections.
std::string ResultText(const Game& game);

}  // namespace parlay

#endif  // PARLAY_STORE_ROW_CODEC_H_
