// Row encodings shared by the SQLite and PostgreSQL stores: column lists,
// id arrays, period scores and the canonical result text of a game.

#ifndef PARLAY_STORE_ROW_CODEC_H_
#define PARLAY_STORE_ROW_CODEC_H_

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

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

// An optional score as the 64-bit integer the database APIs bind.
std::optional<int64_t> Widen(std::optional<int> value);

// Encodes ids as a JSON array, which SQLite expands with json_each and
// PostgreSQL with json_array_elements_text, so one prepared statement
// serves a batch of any size.
std::string IdArray(std::span<const std::string> ids);
// Encodes the ids of the given parlays the same way.
std::string IdArray(std::span<ParlayLegs* const> parlays);

// Throws StoreError when the database's schema version `stored` is newer
// than `latest`, the last migration of this build. An older build would
// write rows without the newer columns, such as the pending-leg count, and
// leave those wrong.
void RejectNewerSchema(int stored, int latest);

// Returns the number of a parlay's legs that are PENDING, the count stored
// with it.
int64_t PendingLegCount(const Parlay& parlay);

// Returns a pointer to each parlay, for Transaction::LoadLegs.
std::vector<ParlayLegs*> Pointers(std::vector<ParlayLegs>& parlays);

// Parses an enum column with `parse`; throws StoreError naming `what` for
// text no version of the schema writes.
template <typename Enum, typename Parser>
Enum ParseColumn(const std::string& text, Parser parse, const char* what) {
  std::optional<Enum> value = parse(text);
  if (!value) {
    throw CorruptDataError(std::string("corrupt row: unknown ") + what +
                           " \"" + text + "\"");
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

// The outbox read, shared by both stores: each event after $1, at most $2,
// with the audit row it refers to and, for a parlay event, the parlay's
// currency and stake. The audit row starts at column 7, in the order of
// the stores' audit readers; currency and stake are columns 20 and 21.
// Placeholders() adapts the read for SQLite.
inline constexpr char kReadOutboxSql[] =
    "SELECT o.seq, o.type, o.parlay_id, o.leg_index, o.payload, "
    "o.created_at, o.event_id, e.id, e.entity, e.parlay_id, e.leg_index, "
    "e.game_id, e.old_status, e.new_status, e.payout_minor, e.home_score, "
    "e.away_score, e.reason, e.at, e.rules_version, p.currency, "
    "p.stake_minor FROM outbox o LEFT JOIN settlement_events e "
    "ON e.id = o.event_id LEFT JOIN parlays p ON o.event_id IS NOT NULL AND "
    "o.leg_index = -1 AND p.id = o.parlay_id WHERE o.seq > $1 ORDER BY "
    "o.seq LIMIT $2";

// The columns kReadOutboxSql reads for an event after the outbox row itself.
struct OutboxSource {
  std::optional<AuditEvent> audit;  // empty if no audit row has event_id
  std::string currency;             // of a parlay event's parlay
  std::optional<int64_t> stake_minor;
};

// Returns the payload of a leg_settled event, built from the leg's audit
// row: a JSON object with its keys in the order nlohmann::json writes them.
std::string LegSettledPayload(const AuditEvent& leg);

// Returns the payload of a parlay_settled event, built from the parlay's
// audit row and its currency and stake.
std::string ParlaySettledPayload(const AuditEvent& parlay,
                                 std::string_view currency,
                                 int64_t stake_minor);

// Sets the payload of an event written with an event_id from `source`.
// Throws CorruptDataError if its audit row or parlay is gone.
void BuildPayload(OutboxEvent& event, const OutboxSource& source);

// Settlement activity statements, shared by both stores. Placeholders are
// written as `$N` and become `?N` for SQLite through Placeholders().
// The upserts add to an existing row, so concurrent workers never lose an
// increment.
inline constexpr char kActivityUpsertSql[] =
    "INSERT INTO settlement_activity (hour_start, source, cycles, "
    "cycles_failed, games_attempted, games_failed, legs_settled, "
    "parlays_won, parlays_lost, parlays_push, parlays_void) VALUES ($1, $2, "
    "$3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (hour_start, source) "
    "DO UPDATE SET cycles = settlement_activity.cycles + excluded.cycles, "
    "cycles_failed = settlement_activity.cycles_failed + "
    "excluded.cycles_failed, games_attempted = "
    "settlement_activity.games_attempted + excluded.games_attempted, "
    "games_failed = settlement_activity.games_failed + "
    "excluded.games_failed, legs_settled = settlement_activity.legs_settled "
    "+ excluded.legs_settled, parlays_won = settlement_activity.parlays_won "
    "+ excluded.parlays_won, parlays_lost = settlement_activity.parlays_lost "
    "+ excluded.parlays_lost, parlays_push = "
    "settlement_activity.parlays_push + excluded.parlays_push, parlays_void "
    "= settlement_activity.parlays_void + excluded.parlays_void";
inline constexpr char kActivityMoneyUpsertSql[] =
    "INSERT INTO settlement_activity_money (hour_start, source, currency, "
    "staked_minor, paid_minor) VALUES ($1, $2, $3, $4, $5) ON CONFLICT "
    "(hour_start, source, currency) DO UPDATE SET staked_minor = "
    "settlement_activity_money.staked_minor + excluded.staked_minor, "
    "paid_minor = settlement_activity_money.paid_minor + excluded.paid_minor";
// Both read a range of the primary key, whose first column is hour_start.
inline constexpr char kActivitySelectSql[] =
    "SELECT hour_start, SUM(cycles), SUM(cycles_failed), "
    "SUM(games_attempted), SUM(games_failed), SUM(legs_settled), "
    "SUM(parlays_won), SUM(parlays_lost), SUM(parlays_push), "
    "SUM(parlays_void) FROM settlement_activity WHERE hour_start BETWEEN $1 "
    "AND $2 GROUP BY hour_start ORDER BY hour_start";
inline constexpr char kActivityMoneySelectSql[] =
    "SELECT hour_start, currency, SUM(staked_minor), SUM(paid_minor) FROM "
    "settlement_activity_money WHERE hour_start BETWEEN $1 AND $2 GROUP BY "
    "hour_start, currency ORDER BY hour_start, currency";

// Rewrites the `$N` placeholders of `sql` as SQLite's `?N`.
std::string Placeholders(std::string_view sql);

struct CurrencyAmounts {
  std::string currency;
  int64_t staked_minor = 0;
  int64_t paid_minor = 0;
};

// The staked and paid amounts of `delta` merged by currency.
std::vector<CurrencyAmounts> ActivityMoney(const HourlyActivity& delta);

}  // namespace parlay

#endif  // PARLAY_STORE_ROW_CODEC_H_
