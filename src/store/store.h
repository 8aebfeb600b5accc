// Store: the persistence interface. It hides the SQL dialect; SQLite is the
// default implementation. Every method throws StoreError on a database
// failure, with the operation and the database's message.
//
// Thread-safety: a Store object is used by one thread at a time. Several
// Store objects (connections) may share one database file.

#ifndef PARLAY_STORE_STORE_H_
#define PARLAY_STORE_STORE_H_

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "rules/grading.h"
#include "rules/model.h"
#include "rules/parlay.h"

namespace parlay {

class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A StoreError for stored rows that the schema or each other rule out,
// such as an event whose audit row was deleted. Retrying cannot help; the
// message names the rows and what to restore.
class CorruptDataError : public StoreError {
 public:
  using StoreError::StoreError;
};

// A pending leg with what grading needs.
struct PendingLeg {
  std::string parlay_id;
  int index = 0;
  std::string game_id;
  LegTerms terms;
};

// A leg transition PENDING -> status, applied only if still PENDING.
struct LegUpdate {
  std::string game_id;
  std::string parlay_id;
  int index = 0;
  LegStatus status = LegStatus::kPending;
  std::string reason;
  std::optional<int> home_score;
  std::optional<int> away_score;
  int64_t settled_at = 0;
  // Voided because the game stayed postponed too long. Such legs stay void
  // whatever the game's result turns out to be.
  bool postponement_void = false;
};

// A settled leg that a score correction may re-grade: every leg that is
// not PENDING, except those voided for a postponement.
struct SettledLeg {
  std::string parlay_id;
  int index = 0;
  std::string game_id;
  LegTerms terms;
  LegStatus status = LegStatus::kPending;
  std::string reason;
  std::optional<int> home_score;  // the scores the grade used
  std::optional<int> away_score;
};

// A re-grade of a settled leg, applied only while the leg still has the
// status and graded scores it was read with.
struct LegCorrection {
  SettledLeg old_leg;
  LegStatus status = LegStatus::kPending;
  std::string reason;
  std::optional<int> home_score;
  std::optional<int> away_score;
  int64_t settled_at = 0;
};

// A re-derivation of a parlay after a correction, applied only while the
// parlay still has the status and payout it was read with. A parlay whose
// new status is PENDING loses its payout and settlement time.
struct ParlayCorrection {
  std::string id;
  ParlayStatus old_status = ParlayStatus::kPending;
  std::optional<int64_t> old_payout_minor;
  ParlayOutcome outcome;
  int64_t settled_at = 0;
};

// A provider's event id linked to the stored game it updates.
struct FeedLink {
  std::string event_id;
  std::string game_id;
};

// A parlay with its legs' statuses and odds, as derivation needs it.
struct ParlayLegs {
  std::string id;
  int64_t stake_minor = 0;
  std::string currency;
  ParlayStatus status = ParlayStatus::kPending;
  int leg_count = 0;
  // Legs still PENDING. Kept only while the parlay is PENDING.
  int pending_legs = 0;
  std::vector<PricedLeg> legs;  // in leg order; see LoadParlayRows
  std::optional<int64_t> payout_minor;  // set once settled
};

// A parlay transition PENDING -> outcome, applied only if still PENDING.
struct ParlayUpdate {
  std::string id;
  ParlayOutcome outcome;
  int64_t settled_at = 0;
};

// One row of the settlement_events audit table. leg_index is -1 for a
// parlay transition. payout_minor is set for parlay transitions.
// entity "settlement_flag" records an operator switching the settlement
// worker on or off: parlay_id and game_id are empty, leg_index is -1, and
// old_status and new_status are "enabled" or "disabled".
struct AuditEvent {
  int64_t id = 0;  // assigned by the store
  std::string entity;  // "leg", "parlay" or "settlement_flag"
  std::string parlay_id;
  int leg_index = -1;
  // The game of a leg event, or the game whose result settled or corrected
  // the parlay of a parlay event. Empty for settlement_flag events and for
  // parlay events of older releases.
  std::string game_id;
  std::string old_status;
  std::string new_status;
  std::optional<int64_t> payout_minor;
  std::optional<int> home_score;
  std::optional<int> away_score;
  std::string reason;
  int64_t at = 0;
  std::string rules_version;
};

// One row of the outbox: an event for downstream consumers, in `seq`
// order. payload is a JSON object.
struct OutboxEvent {
  int64_t seq = 0;  // assigned by the store, increasing
  // "leg_settled", "parlay_settled", "leg_corrected" or "parlay_corrected"
  std::string type;
  std::string parlay_id;
  int leg_index = -1;
  // Empty when written with event_id: ReadOutbox then builds it from that
  // audit row (see LegSettledPayload and ParlaySettledPayload).
  std::string payload;
  int64_t created_at = 0;
  // The audit row of a leg_settled or parlay_settled event written without
  // its payload, or 0. The outbox then stores no copy of the row's fields.
  int64_t event_id = 0;
};

// A write transaction. Destroying it without Commit() rolls it back.
class Transaction {
 public:
  virtual ~Transaction() = default;

  // Claims the given games for this transaction and returns the ids it
  // got, in id order. Another worker's claimed games are skipped, not
  // waited for. On SQLite, whose write transactions exclude each other,
  // every existing id is returned.
  virtual std::vector<std::string> ClaimGames(
      std::span<const std::string> ids) = 0;

  virtual std::vector<Game> LoadGames(std::span<const std::string> ids) = 0;

  // Reads the pending legs of the given games in one query.
  virtual std::vector<PendingLeg> LoadPendingLegs(
      std::span<const std::string> game_ids) = 0;

  // Applies each update whose leg is still PENDING. Returns, per update,
  // whether it changed the row.
  virtual std::vector<bool> SettleLegs(std::span<const LegUpdate> updates) = 0;

  // Reads the given parlays with all their legs, in id order. Unknown ids
  // are skipped. On PostgreSQL the parlay rows stay locked until the
  // transaction ends.
  virtual std::vector<ParlayLegs> LoadParlays(
      std::span<const std::string> parlay_ids) = 0;

  // Reads and locks the given parlays as LoadParlays does, without their
  // legs: ParlayLegs::legs stays empty. Legs are stored by game, so
  // reading a parlay's legs costs a random page per leg. A parlay already
  // settled, or lost to a leg of this batch, does not need them.
  virtual std::vector<ParlayLegs> LoadParlayRows(
      std::span<const std::string> parlay_ids) = 0;

  // Fills ParlayLegs::legs, in leg order, for parlays read by
  // LoadParlayRows in this transaction, without reading their rows again.
  virtual void LoadLegs(std::span<ParlayLegs* const> parlays) = 0;

  // Stores ParlayLegs::pending_legs of each given parlay. A caller that
  // settles legs of a PENDING parlay, or turns a settled one back to
  // PENDING, stores its new count, because settlement reads a parlay's legs
  // only when the count reaches 0.
  virtual void SetPendingLegs(std::span<const ParlayLegs* const> parlays) = 0;

  // Applies each update whose parlay is still PENDING. Returns, per update,
  // whether it changed the row.
  virtual std::vector<bool> SettleParlays(
      std::span<const ParlayUpdate> updates) = 0;

  // Inserts audit rows and sets each event's id, increasing in the order
  // given.
  virtual void AppendAudit(std::span<AuditEvent> events) = 0;
  virtual void AppendOutbox(std::span<const OutboxEvent> events) = 0;

  // Marks a game cancelled with the operator's reason.
  virtual void VoidGame(std::string_view game_id, std::string_view reason,
                        int64_t updated_at) = 0;

  // Writes the result fields of stored games as a feed reported them:
  // status, scores, period scores, extra time, shootout, status detail,
  // sport and updated_at. Identity, schedule, void reason and the engine's
  // bookkeeping are kept. Unknown ids are skipped.
  virtual void WriteGameResults(std::span<const Game> games) = 0;

  // Links provider event ids to game ids; an existing link is kept.
  virtual void LinkFeedEvents(std::string_view provider,
                              std::span<const FeedLink> links,
                              int64_t linked_at) = 0;

  // Reads the settled legs of the given games (see SettledLeg).
  virtual std::vector<SettledLeg> LoadSettledLegs(
      std::span<const std::string> game_ids) = 0;

  // Applies each correction whose leg is unchanged since it was read.
  // Returns, per correction, whether it changed the row.
  virtual std::vector<bool> CorrectLegs(
      std::span<const LegCorrection> corrections) = 0;

  // Applies each correction whose parlay is unchanged since it was read.
  virtual std::vector<bool> CorrectParlays(
      std::span<const ParlayCorrection> corrections) = 0;

  // Records that legs of these games were settled at `now`: sets the first
  // settlement time and the result settled on, where not set yet.
  virtual void MarkGamesSettled(std::span<const std::string> game_ids,
                                int64_t now) = 0;

  // Records the game's current result as the one its settled legs were
  // checked against, so that FindGamesWithChangedResults skips it.
  virtual void MarkResultChecked(std::string_view game_id) = 0;

  // Sets, or with an empty text clears, the reason an operator must look
  // at the game.
  virtual void SetGameAttention(std::string_view game_id,
                                std::string_view attention) = 0;

  virtual void Commit() = 0;
};

// Filter and page for listing parlays. Results are ordered by id.
struct ParlayQuery {
  std::optional<ParlayStatus> status;
  std::optional<std::string> account;
  std::string after_id;  // exclusive cursor; empty starts at the beginning
  int limit = 1000;
};

// The latest heartbeat of one settlement worker: one row per worker id,
// replaced after every cycle. Times are Unix milliseconds.
struct WorkerHeartbeat {
  std::string worker_id;
  int64_t started_at_ms = 0;
  int64_t beat_at_ms = 0;
  int64_t cycles = 0;  // cycles run since the worker started
  // Parlays settled by the last cycle, and how many of those won or lost.
  int64_t last_parlays_settled = 0;
  int64_t last_parlays_won = 0;
  int64_t last_parlays_lost = 0;
  // Totals since the worker started.
  int64_t total_parlays_settled = 0;
  int64_t total_parlays_won = 0;
  int64_t total_parlays_lost = 0;
  int64_t total_legs_settled = 0;
};

// Work left for the settlement worker.
struct SettlementBacklog {
  int64_t games_awaiting = 0;  // games FindGamesToSettle would return
  int64_t pending_legs = 0;    // legs still PENDING, on any game
};

// Games an operator must look at, by reason. A game can count under more
// than one reason.
struct AttentionCounts {
  // Final with a score missing and pending legs: grading waits for it.
  int64_t missing_score = 0;
  // Flagged for an operator (Game::attention), which a score correction
  // after the correction window sets.
  int64_t correction_held = 0;
  // A status this service does not recognise, with pending legs.
  int64_t unknown_status = 0;
};

// Settlement activity in one clock hour, as the settlement worker and the
// admin routes record it after each cycle or action. Store::ReadActivity
// sums the rows of every worker. Counts are of committed transitions, and
// amounts are in minor units by currency.
struct HourlyActivity {
  int64_t hour_start = 0;  // Unix seconds, a multiple of 3600
  // Worker cycles and admin actions that attempted games or failed, and
  // of those, the cycles that failed as a whole.
  int64_t cycles = 0;
  int64_t cycles_failed = 0;
  int64_t games_attempted = 0;
  int64_t games_failed = 0;  // games rolled back after an error
  int64_t legs_settled = 0;
  int64_t parlays_won = 0;
  int64_t parlays_lost = 0;
  int64_t parlays_push = 0;
  int64_t parlays_void = 0;
  std::map<std::string, int64_t> staked_minor;  // of the parlays settled
  std::map<std::string, int64_t> paid_minor;

  int64_t parlays_settled() const {
    return parlays_won + parlays_lost + parlays_push + parlays_void;
  }
};

// A leg with the id of its parlay, for listing the legs of one game.
struct GameLeg {
  std::string parlay_id;
  Leg leg;
};

class Store {
 public:
  virtual ~Store() = default;

  // Applies every schema migration not applied yet. Safe to call on every
  // start. Returns the schema version afterwards.
  virtual int Migrate() = 0;

  // Inserts or replaces games, all or none.
  virtual void UpsertGames(std::span<const Game> games) = 0;

  // Inserts parlays with their legs, all or none. Throws StoreError when an
  // id already exists.
  virtual void InsertParlays(std::span<const Parlay> parlays) = 0;

  virtual std::optional<Game> GetGame(std::string_view id) = 0;
  virtual std::vector<Game> GetGames(std::span<const std::string> ids) = 0;
  virtual std::vector<Game> ListGames(std::optional<GameStatus> status) = 0;

  // Ids of the given parlays that already exist.
  virtual std::vector<std::string> ExistingParlayIds(
      std::span<const std::string> ids) = 0;

  virtual std::optional<Parlay> GetParlay(std::string_view id) = 0;
  virtual std::vector<Parlay> ListParlays(const ParlayQuery& query) = 0;

  // Ids of gradable games (final with both scores, or cancelled, abandoned
  // or no contest) that still have pending legs, earliest start first, at
  // most `limit`.
  virtual std::vector<std::string> FindGamesToSettle(int limit) = 0;

  // Ids of postponed games scheduled to start before `started_before` that
  // still have pending legs, earliest start first, at most `limit`.
  virtual std::vector<std::string> FindPostponedGames(int64_t started_before,
                                                      int limit) = 0;

  // Ids of games with settled legs whose result changed since the engine
  // last checked it, and that no operator flag holds back, at most `limit`.
  virtual std::vector<std::string> FindGamesWithChangedResults(int limit) = 0;

  // Final games with a missing score that still have pending legs, and
  // games flagged for an operator (Game::attention).
  virtual std::vector<Game> FindGamesNeedingAttention() = 0;

  // Games whose scheduled start is in [from, to], for matching feed events
  // to stored games by team names.
  virtual std::vector<Game> ListGamesStartingBetween(int64_t from,
                                                     int64_t to) = 0;

  // The stored game ids of the given provider event ids, by event id.
  virtual std::map<std::string, std::string> FindFeedLinks(
      std::string_view provider, std::span<const std::string> event_ids) = 0;

  // Returns a parlay's audit events in id order, found under the games of
  // its legs and under no game.
  virtual std::vector<AuditEvent> ReadAudit(std::string_view parlay_id) = 0;
  virtual int64_t CountAudit() = 0;
  // Returns up to `limit` outbox events after `after_seq`, in seq order,
  // each with its payload. An event whose audit row or parlay is gone ends
  // the page early, so that the events before it can be read. Throws
  // CorruptDataError when it is the first event of the page.
  virtual std::vector<OutboxEvent> ReadOutbox(int64_t after_seq,
                                              int limit) = 0;

  // Begins a write transaction that holds the database's write lock.
  virtual std::unique_ptr<Transaction> Begin() = 0;

  // Inserts or replaces the row of heartbeat.worker_id.
  virtual void WriteHeartbeat(const WorkerHeartbeat& heartbeat) = 0;
  virtual std::optional<WorkerHeartbeat> ReadHeartbeat(
      std::string_view worker_id) = 0;

  // The latest heartbeat of every worker that ever wrote one, by worker id.
  virtual std::vector<WorkerHeartbeat> ListHeartbeats() = 0;

  virtual SettlementBacklog CountBacklog() = 0;

  // Counts the games needing attention by reason, for the metrics read at
  // scrape time. FindGamesNeedingAttention lists the first two kinds.
  virtual AttentionCounts CountGamesNeedingAttention() = 0;

  // Adds `delta` to the activity row of (delta.hour_start, source), in one
  // transaction. `source` is the worker id, so that concurrent workers
  // write separate rows.
  virtual void RecordActivity(std::string_view source,
                              const HourlyActivity& delta) = 0;

  // The activity of every source summed per hour, for the hours in
  // [from_hour, to_hour] that have any, oldest first.
  virtual std::vector<HourlyActivity> ReadActivity(int64_t from_hour,
                                                   int64_t to_hour) = 0;

  // Counts the games FindGamesToSettle would return without a limit.
  virtual int64_t CountGamesToSettle() = 0;

  // The legs of one game in (parlay_id, leg_index) order, at most `limit`.
  virtual std::vector<GameLeg> ListGameLegs(std::string_view game_id,
                                            int limit) = 0;
};

// Opens (creating if needed) the SQLite database at `path` and migrates it.
std::unique_ptr<Store> OpenSqliteStore(const std::string& path);

struct SqliteOptions {
  // How long a statement waits for another connection's lock before it
  // fails with StoreError. In WAL mode only writers wait for each other.
  int busy_timeout_ms = 10'000;
  // Apply pending migrations on open. Migrating takes the write lock, so
  // extra connections to an already migrated database skip it. Without it
  // a missing file is an error instead of a new empty database.
  bool migrate = true;
};

std::unique_ptr<Store> OpenSqliteStore(const std::string& path,
                                       const SqliteOptions& options);

struct PostgresOptions {
  // Server-side limit of one statement; 0 keeps the server's default.
  int statement_timeout_ms = 30'000;
  // Attempts to re-establish a lost connection before a call fails.
  int reconnect_attempts = 3;
  bool migrate = true;
};

// Connects to the PostgreSQL database at `url` (postgresql://...) and, with
// options.migrate, applies pending migrations.
std::unique_ptr<Store> OpenPostgresStore(const std::string& url,
                                         const PostgresOptions& options);

// Options that apply to whichever backend a URL selects.
struct StoreOptions {
  int busy_timeout_ms = 10'000;       // SQLite: wait for another writer
  int statement_timeout_ms = 30'000;  // PostgreSQL: limit per statement
  bool migrate = true;
};

// True for postgresql:// and postgres:// URLs.
bool IsPostgresUrl(std::string_view url);

// Opens the database a URL names: postgresql://... or postgres://...
// selects PostgreSQL; sqlite:///path or a plain file path selects SQLite.
std::unique_ptr<Store> OpenStore(const std::string& url,
                                 const StoreOptions& options = {});

}  // namespace parlay

#endif  // PARLAY_STORE_STORE_H_
