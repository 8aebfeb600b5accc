#include "store/sqlite_schema.h"

namespace parlay {
namespace {

// Legs are a WITHOUT ROWID table keyed by (game_id, parlay_id, leg_index), so
// the legs of one game share pages: a batch of games reads and rewrites a
// few contiguous pages instead of one page per leg.
constexpr std::string_view kSchemaV1 = R"sql(
CREATE TABLE games (
  id            TEXT PRIMARY KEY,
  league        TEXT NOT NULL,
  home          TEXT NOT NULL,
  away          TEXT NOT NULL,
  start_time    INTEGER NOT NULL,
  status        TEXT NOT NULL,
  home_score    INTEGER,
  away_score    INTEGER,
  period_scores TEXT NOT NULL DEFAULT '',
  updated_at    INTEGER NOT NULL,
  void_reason   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX games_by_status ON games (status, start_time);

CREATE TABLE parlays (
  id           TEXT PRIMARY KEY,
  account      TEXT NOT NULL,
  stake_minor  INTEGER NOT NULL CHECK (stake_minor > 0),
  currency     TEXT NOT NULL,
  placed_at    INTEGER NOT NULL,
  status       TEXT NOT NULL,
  payout_minor INTEGER,
  settled_at   INTEGER,
  leg_count    INTEGER NOT NULL
);
CREATE INDEX parlays_by_status ON parlays (status, id);
CREATE INDEX parlays_by_account ON parlays (account, id);

CREATE TABLE legs (
  game_id           TEXT NOT NULL,
  parlay_id         TEXT NOT NULL,
  leg_index         INTEGER NOT NULL,
  market            TEXT NOT NULL,
  selection         TEXT NOT NULL,
  selection_text    TEXT NOT NULL,
  line_quarters     INTEGER,
  odds              TEXT NOT NULL,
  odds_numerator    INTEGER NOT NULL,
  odds_denominator  INTEGER NOT NULL,
  status            TEXT NOT NULL,
  reason            TEXT NOT NULL DEFAULT '',
  graded_home_score INTEGER,
  graded_away_score INTEGER,
  settled_at        INTEGER,
  PRIMARY KEY (game_id, parlay_id, leg_index)
) WITHOUT ROWID;
CREATE UNIQUE INDEX legs_by_parlay ON legs (parlay_id, leg_index);
CREATE INDEX legs_pending_by_game ON legs (game_id) WHERE status = 'PENDING';

CREATE TABLE settlement_events (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  entity        TEXT NOT NULL,
  parlay_id     TEXT NOT NULL,
  leg_index     INTEGER NOT NULL,
  game_id       TEXT NOT NULL,
  old_status    TEXT NOT NULL,
  new_status    TEXT NOT NULL,
  payout_minor  INTEGER,
  home_score    INTEGER,
  away_score    INTEGER,
  reason        TEXT NOT NULL,
  at            INTEGER NOT NULL,
  rules_version TEXT NOT NULL
);
CREATE INDEX settlement_events_by_parlay ON settlement_events (parlay_id, id);

CREATE TABLE outbox (
  seq        INTEGER PRIMARY KEY AUTOINCREMENT,
  type       TEXT NOT NULL,
  parlay_id  TEXT NOT NULL,
  leg_index  INTEGER NOT NULL,
  payload    TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
)sql";

// One row per settlement worker, replaced after each of its cycles, so the
// health check can tell a live worker from a stuck one.
constexpr std::string_view kWorkerHeartbeatsV2 = R"sql(
CREATE TABLE worker_heartbeats (
  worker_id             TEXT PRIMARY KEY,
  started_at_ms         INTEGER NOT NULL,
  beat_at_ms            INTEGER NOT NULL,
  cycles                INTEGER NOT NULL,
  last_parlays_settled  INTEGER NOT NULL,
  last_parlays_won      INTEGER NOT NULL,
  last_parlays_lost     INTEGER NOT NULL,
  total_parlays_settled INTEGER NOT NULL,
  total_parlays_won     INTEGER NOT NULL,
  total_parlays_lost    INTEGER NOT NULL,
  total_legs_settled    INTEGER NOT NULL
);
)sql";

// Score feeds and the game lifecycle. `result` is the canonical text of
// the fields grading reads, written with every game. `settled_result` is
// the result the engine last settled or checked legs against. A game with
// settled legs whose two texts differ has a score correction to check. Games settled before this migration get their first
// settlement time from their legs.
constexpr std::string_view kFeedsAndLifecycleV3 = R"sql(
ALTER TABLE games ADD COLUMN sport TEXT NOT NULL DEFAULT '';
ALTER TABLE games ADD COLUMN status_detail TEXT NOT NULL DEFAULT '';
ALTER TABLE games ADD COLUMN extra_time INTEGER;
ALTER TABLE games ADD COLUMN period_results TEXT NOT NULL DEFAULT '';
ALTER TABLE games ADD COLUMN shootout_home_score INTEGER;
ALTER TABLE games ADD COLUMN shootout_away_score INTEGER;
ALTER TABLE games ADD COLUMN result TEXT NOT NULL DEFAULT '';
ALTER TABLE games ADD COLUMN settled_result TEXT NOT NULL DEFAULT '';
ALTER TABLE games ADD COLUMN first_settled_at INTEGER;
ALTER TABLE games ADD COLUMN attention TEXT NOT NULL DEFAULT '';
UPDATE games SET first_settled_at = (
  SELECT MIN(settled_at) FROM legs
  WHERE legs.game_id = games.id AND legs.status != 'PENDING');
CREATE INDEX games_with_changed_result ON games (start_time, id)
  WHERE result != settled_result AND first_settled_at IS NOT NULL;

ALTER TABLE legs ADD COLUMN period TEXT NOT NULL DEFAULT 'game';
ALTER TABLE legs ADD COLUMN postponement_void INTEGER NOT NULL DEFAULT 0;

CREATE TABLE feed_links (
  provider  TEXT NOT NULL,
  event_id  TEXT NOT NULL,
  game_id   TEXT NOT NULL,
  linked_at INTEGER NOT NULL,
  PRIMARY KEY (provider, event_id)
) WITHOUT ROWID;
)sql";

// Settlement activity per clock hour and source (worker id), for the
// dashboard: adding to a row per cycle keeps its reads to 24 small rows
// instead of a scan of the legs settled in the last day. Money is kept per
// currency in its own table.
constexpr std::string_view kActivityV4 = R"sql(
CREATE TABLE settlement_activity (
  hour_start      INTEGER NOT NULL,
  source          TEXT NOT NULL,
  cycles          INTEGER NOT NULL DEFAULT 0,
  cycles_failed   INTEGER NOT NULL DEFAULT 0,
  games_attempted INTEGER NOT NULL DEFAULT 0,
  games_failed    INTEGER NOT NULL DEFAULT 0,
  legs_settled    INTEGER NOT NULL DEFAULT 0,
  parlays_won     INTEGER NOT NULL DEFAULT 0,
  parlays_lost    INTEGER NOT NULL DEFAULT 0,
  parlays_push    INTEGER NOT NULL DEFAULT 0,
  parlays_void    INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (hour_start, source)
);

CREATE TABLE settlement_activity_money (
  hour_start   INTEGER NOT NULL,
  source       TEXT NOT NULL,
  currency     TEXT NOT NULL,
  staked_minor INTEGER NOT NULL DEFAULT 0,
  paid_minor   INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (hour_start, source, currency)
);
)sql";

// SQLite never used parlays_by_status: the one query that filters parlays
// by status, the paged list, walks them by id. Yet every settled parlay
// moved its entry in it, and a settlement batch's parlays are spread over
// the whole index, so each batch rewrote most of its pages. Dropping it
// took a 1M-leg settlement pass from 11.8 s to 11.2 s.
constexpr std::string_view kDropParlaysByStatusV5 = R"sql(
DROP INDEX parlays_by_status;
)sql";

// A PENDING parlay's count of PENDING legs, so that a settlement batch
// reads a parlay's legs only when its last pending leg settles. Legs are
// stored by game, so reading them costs a random page per leg. The count
// is kept only while the parlay is PENDING (see Transaction::SetPendingLegs).
constexpr std::string_view kPendingLegsV6 = R"sql(
ALTER TABLE parlays ADD COLUMN pending_legs INTEGER NOT NULL DEFAULT 0;
UPDATE parlays SET pending_legs = (
  SELECT COUNT(*) FROM legs
  WHERE legs.parlay_id = parlays.id AND legs.status = 'PENDING')
WHERE status = 'PENDING';
)sql";

// Audit rows indexed by game, then parlay, so that a settlement batch's
// rows go to a few places in the index instead of most of its pages: a
// 1M-leg pass went from 9.7 s to 8.7 s. See Store::ReadAudit for reads.
// Older parlay rows have no game and are read under the empty one.
constexpr std::string_view kAuditByGameV7 = R"sql(
CREATE INDEX settlement_events_by_game
  ON settlement_events (game_id, parlay_id);
DROP INDEX settlement_events_by_parlay;
)sql";

// Settled leg and parlay events refer to their audit row instead of
// copying its fields into a payload. The copies were about a third of the
// database at 1M legs. Older rows keep their payload and no event_id.
constexpr std::string_view kOutboxEventIdV8 = R"sql(
ALTER TABLE outbox ADD COLUMN event_id INTEGER;
)sql";

constexpr Migration kMigrations[] = {
    {1, kSchemaV1},
    {2, kWorkerHeartbeatsV2},
    {3, kFeedsAndLifecycleV3},
    {4, kActivityV4},
    {5, kDropParlaysByStatusV5},
    {6, kPendingLegsV6},
    {7, kAuditByGameV7},
    {8, kOutboxEventIdV8},
};

}  // namespace

std::span<const Migration> SqliteMigrations() { return kMigrations; }

}  // namespace parlay
