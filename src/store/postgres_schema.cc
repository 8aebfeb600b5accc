#include "store/postgres_schema.h"

namespace parlay {
namespace {

// The same tables as the SQLite schema (sqlite_schema.cc), numbered the
// same way. PostgreSQL keeps rows in insertion order, so the legs of a
// game are not clustered on disk as in SQLite's WITHOUT ROWID table; the
// primary key still starts with game_id, so one batch of games reads one
// index range.
constexpr std::string_view kSchemaV1 = R"sql(
CREATE TABLE games (
  id            TEXT PRIMARY KEY,
  league        TEXT NOT NULL,
  home          TEXT NOT NULL,
  away          TEXT NOT NULL,
  start_time    BIGINT NOT NULL,
  status        TEXT NOT NULL,
  home_score    INTEGER,
  away_score    INTEGER,
  period_scores TEXT NOT NULL DEFAULT '',
  updated_at    BIGINT NOT NULL,
  void_reason   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX games_by_status ON games (status, start_time);

CREATE TABLE parlays (
  id           TEXT PRIMARY KEY,
  account      TEXT NOT NULL,
  stake_minor  BIGINT NOT NULL CHECK (stake_minor > 0),
  currency     TEXT NOT NULL,
  placed_at    BIGINT NOT NULL,
  status       TEXT NOT NULL,
  payout_minor BIGINT,
  settled_at   BIGINT,
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
  odds_numerator    BIGINT NOT NULL,
  odds_denominator  BIGINT NOT NULL,
  status            TEXT NOT NULL,
  reason            TEXT NOT NULL DEFAULT '',
  graded_home_score INTEGER,
  graded_away_score INTEGER,
  settled_at        BIGINT,
  PRIMARY KEY (game_id, parlay_id, leg_index)
);
CREATE UNIQUE INDEX legs_by_parlay ON legs (parlay_id, leg_index);
CREATE INDEX legs_pending_by_game ON legs (game_id) WHERE status = 'PENDING';

CREATE TABLE settlement_events (
  id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  entity        TEXT NOT NULL,
  parlay_id     TEXT NOT NULL,
  leg_index     INTEGER NOT NULL,
  game_id       TEXT NOT NULL,
  old_status    TEXT NOT NULL,
  new_status    TEXT NOT NULL,
  payout_minor  BIGINT,
  home_score    INTEGER,
  away_score    INTEGER,
  reason        TEXT NOT NULL,
  at            BIGINT NOT NULL,
  rules_version TEXT NOT NULL
);
CREATE INDEX settlement_events_by_parlay ON settlement_events (parlay_id, id);

CREATE TABLE outbox (
  seq        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  type       TEXT NOT NULL,
  parlay_id  TEXT NOT NULL,
  leg_index  INTEGER NOT NULL,
  payload    TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
)sql";

constexpr std::string_view kWorkerHeartbeatsV2 = R"sql(
CREATE TABLE worker_heartbeats (
  worker_id             TEXT PRIMARY KEY,
  started_at_ms         BIGINT NOT NULL,
  beat_at_ms            BIGINT NOT NULL,
  cycles                BIGINT NOT NULL,
  last_parlays_settled  BIGINT NOT NULL,
  last_parlays_won      BIGINT NOT NULL,
  last_parlays_lost     BIGINT NOT NULL,
  total_parlays_settled BIGINT NOT NULL,
  total_parlays_won     BIGINT NOT NULL,
  total_parlays_lost    BIGINT NOT NULL,
  total_legs_settled    BIGINT NOT NULL
);
)sql";

constexpr std::string_view kFeedsAndLifecycleV3 = R"sql(
ALTER TABLE games ADD COLUMN sport TEXT NOT NULL DEFAULT '';
ALTER TABLE games ADD COLUMN status_detail TEXT NOT NULL DEFAULT '';
ALTER TABLE games ADD COLUMN extra_time INTEGER;
ALTER TABLE games ADD COLUMN period_results TEXT NOT NULL DEFAULT '';
ALTER TABLE games ADD COLUMN shootout_home_score INTEGER;
ALTER TABLE games ADD COLUMN shootout_away_score INTEGER;
ALTER TABLE games ADD COLUMN result TEXT NOT NULL DEFAULT '';
ALTER TABLE games ADD COLUMN settled_result TEXT NOT NULL DEFAULT '';
ALTER TABLE games ADD COLUMN first_settled_at BIGINT;
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
  linked_at BIGINT NOT NULL,
  PRIMARY KEY (provider, event_id)
);
)sql";

// See the same migration in sqlite_schema.cc.
constexpr std::string_view kActivityV4 = R"sql(
CREATE TABLE settlement_activity (
  hour_start      BIGINT NOT NULL,
  source          TEXT NOT NULL,
  cycles          BIGINT NOT NULL DEFAULT 0,
  cycles_failed   BIGINT NOT NULL DEFAULT 0,
  games_attempted BIGINT NOT NULL DEFAULT 0,
  games_failed    BIGINT NOT NULL DEFAULT 0,
  legs_settled    BIGINT NOT NULL DEFAULT 0,
  parlays_won     BIGINT NOT NULL DEFAULT 0,
  parlays_lost    BIGINT NOT NULL DEFAULT 0,
  parlays_push    BIGINT NOT NULL DEFAULT 0,
  parlays_void    BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (hour_start, source)
);

CREATE TABLE settlement_activity_money (
  hour_start   BIGINT NOT NULL,
  source       TEXT NOT NULL,
  currency     TEXT NOT NULL,
  staked_minor BIGINT NOT NULL DEFAULT 0,
  paid_minor   BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (hour_start, source, currency)
);
)sql";

// A PENDING parlay's count of PENDING legs; see the SQLite schema.
constexpr std::string_view kPendingLegsV5 = R"sql(
ALTER TABLE parlays ADD COLUMN pending_legs INTEGER NOT NULL DEFAULT 0;
UPDATE parlays SET pending_legs = (
  SELECT COUNT(*) FROM legs
  WHERE legs.parlay_id = parlays.id AND legs.status = 'PENDING')
WHERE status = 'PENDING';
)sql";

// Audit rows indexed by game, then parlay; see the SQLite schema.
constexpr std::string_view kAuditByGameV6 = R"sql(
CREATE INDEX settlement_events_by_game
  ON settlement_events (game_id, parlay_id);
DROP INDEX settlement_events_by_parlay;
)sql";

// Settled leg and parlay events refer to their audit row instead of
// copying its fields into a payload. Older rows keep their payload and no
// event_id.
constexpr std::string_view kOutboxEventIdV7 = R"sql(
ALTER TABLE outbox ADD COLUMN event_id BIGINT;
)sql";

constexpr Migration kMigrations[] = {
    {1, kSchemaV1},
    {2, kWorkerHeartbeatsV2},
    {3, kFeedsAndLifecycleV3},
    {4, kActivityV4},
    {5, kPendingLegsV5},
    {6, kAuditByGameV6},
    {7, kOutboxEventIdV7},
};

}  // namespace

std::span<const Migration> PostgresMigrations() { return kMigrations; }

}  // namespace parlay
