-- Set-based settlement reference for SQLite: the grading and parlay
-- derivation of one settlement pass done by the database alone, in a few
-- statements on the engine's own schema and indexes, with no audit rows
-- and no outbox. It is what the database itself can do, for comparison
-- with the engine (see docs/benchmarks.md).
--
--   sqlite3 bench.db < bench/reference_sqlite.sql
--
-- Scope: final games with both scores; moneyline, spread and total legs
-- on the whole game, which is what bench/generate.cc writes. Other legs
-- stay PENDING, and so do parlays of more than 8 legs.
--
-- Exactness: payouts are floor(stake x product of multipliers) in 64-bit
-- integers. The benchmark's odds and stakes keep stake x product of
-- numerators below 2^63; with larger odds SQLite would silently switch to
-- floating point.

PRAGMA cache_size = -65536;
PRAGMA temp_store = MEMORY;
BEGIN IMMEDIATE;

CREATE TEMP TABLE settle_games AS
SELECT id, home_score, away_score FROM games
WHERE status = 'final' AND home_score IS NOT NULL AND away_score IS NOT NULL
  AND EXISTS (SELECT 1 FROM legs
              WHERE legs.game_id = games.id AND legs.status = 'PENDING');

-- A leg's edge is its result minus its line, in quarter points. On a whole
-- or half-point line its sign decides the leg. A quarter line (an odd
-- number of quarters) is two half bets on the neighbouring lines, whose
-- edges are edge - 1 and edge + 1. So an edge of 1 is half won and an edge
-- of -1 half lost.
CREATE TEMP TABLE graded AS
SELECT game_id, parlay_id, leg_index, home_score, away_score,
       CASE
         WHEN (line & 1) = 0 THEN
           CASE WHEN edge > 0 THEN 'WON' WHEN edge < 0 THEN 'LOST'
                ELSE 'PUSH' END
         WHEN edge > 1 THEN 'WON'
         WHEN edge = 1 THEN 'HALF_WON'
         WHEN edge = -1 THEN 'HALF_LOST'
         ELSE 'LOST'
       END AS status
FROM (
  SELECT l.game_id, l.parlay_id, l.leg_index, g.home_score, g.away_score,
         coalesce(l.line_quarters, 0) AS line,
         CASE l.market
           WHEN 'total' THEN
             CASE l.selection
               WHEN 'over' THEN 4 * (g.home_score + g.away_score)
                                - l.line_quarters
               ELSE l.line_quarters - 4 * (g.home_score + g.away_score)
             END
           ELSE 4 * (g.home_score - g.away_score)
                  * (CASE l.selection WHEN 'home' THEN 1 ELSE -1 END)
                + coalesce(l.line_quarters, 0)
         END AS edge
  FROM settle_games g
  JOIN legs l ON l.game_id = g.id
  WHERE l.status = 'PENDING' AND l.period = 'game'
    AND ((l.market IN ('moneyline', 'spread')
          AND l.selection IN ('home', 'away'))
         OR (l.market = 'total' AND l.selection IN ('over', 'under')))
) AS leg;

UPDATE legs
SET status = graded.status,
    reason = 'graded by the SQL reference',
    graded_home_score = graded.home_score,
    graded_away_score = graded.away_score,
    settled_at = CAST(strftime('%s', 'now') AS INTEGER)
FROM graded
WHERE legs.game_id = graded.game_id AND legs.parlay_id = graded.parlay_id
  AND legs.leg_index = graded.leg_index AND legs.status = 'PENDING';

CREATE TEMP TABLE touched AS SELECT DISTINCT parlay_id FROM graded;

-- Every parlay with a leg graded above, with all its legs. A leg's
-- multiplier num / den is its decimal odds when won, (odds + 1) / 2 when
-- half won, 1/2 when half lost and 1 otherwise. SQLite has no product
-- aggregate, so the product is taken over leg indexes 0 to 7.
CREATE TEMP TABLE derived AS
SELECT l.parlay_id AS id,
       count(*) AS legs,
       sum(l.status = 'LOST') AS lost,
       sum(l.status = 'PENDING') AS pending,
       sum(l.status = 'PUSH') AS pushes,
       sum(l.status IN ('PUSH', 'VOID')) AS push_or_void,
       max(l.leg_index) AS max_index,
       coalesce(max(CASE l.leg_index WHEN 0 THEN l.num END), 1)
         * coalesce(max(CASE l.leg_index WHEN 1 THEN l.num END), 1)
         * coalesce(max(CASE l.leg_index WHEN 2 THEN l.num END), 1)
         * coalesce(max(CASE l.leg_index WHEN 3 THEN l.num END), 1)
         * coalesce(max(CASE l.leg_index WHEN 4 THEN l.num END), 1)
         * coalesce(max(CASE l.leg_index WHEN 5 THEN l.num END), 1)
         * coalesce(max(CASE l.leg_index WHEN 6 THEN l.num END), 1)
         * coalesce(max(CASE l.leg_index WHEN 7 THEN l.num END), 1) AS numerator,
       coalesce(max(CASE l.leg_index WHEN 0 THEN l.den END), 1)
         * coalesce(max(CASE l.leg_index WHEN 1 THEN l.den END), 1)
         * coalesce(max(CASE l.leg_index WHEN 2 THEN l.den END), 1)
         * coalesce(max(CASE l.leg_index WHEN 3 THEN l.den END), 1)
         * coalesce(max(CASE l.leg_index WHEN 4 THEN l.den END), 1)
         * coalesce(max(CASE l.leg_index WHEN 5 THEN l.den END), 1)
         * coalesce(max(CASE l.leg_index WHEN 6 THEN l.den END), 1)
         * coalesce(max(CASE l.leg_index WHEN 7 THEN l.den END), 1) AS denominator
FROM touched t
CROSS JOIN (SELECT parlay_id, leg_index, status,
             CASE status
               WHEN 'WON' THEN odds_numerator
               WHEN 'HALF_WON' THEN odds_numerator + odds_denominator
               ELSE 1
             END AS num,
             CASE status
               WHEN 'WON' THEN odds_denominator
               WHEN 'HALF_WON' THEN 2 * odds_denominator
               WHEN 'HALF_LOST' THEN 2
               ELSE 1
             END AS den
      FROM legs) l ON l.parlay_id = t.parlay_id
GROUP BY l.parlay_id;
CREATE UNIQUE INDEX derived_by_id ON derived (id);

-- Any lost leg loses the parlay at once. With no leg pending, a parlay of
-- pushes and voids returns the stake, and any other is paid
-- floor(stake x product): won above 1, push at exactly 1, lost below.
-- The unary + keeps SQLite from driving this update from the index of
-- pending parlays, which would scan every open parlay.
UPDATE parlays
SET status = CASE
               WHEN d.lost > 0 THEN 'LOST'
               WHEN d.push_or_void = d.legs THEN
                 CASE WHEN d.pushes > 0 THEN 'PUSH' ELSE 'VOID' END
               WHEN d.numerator > d.denominator THEN 'WON'
               WHEN d.numerator = d.denominator THEN 'PUSH'
               ELSE 'LOST'
             END,
    payout_minor = CASE
                     WHEN d.lost > 0 THEN 0
                     WHEN d.push_or_void = d.legs THEN parlays.stake_minor
                     ELSE parlays.stake_minor * d.numerator / d.denominator
                   END,
    settled_at = CAST(strftime('%s', 'now') AS INTEGER)
FROM derived d
WHERE parlays.id = d.id AND +parlays.status = 'PENDING'
  AND d.max_index < 8 AND (d.lost > 0 OR d.pending = 0);

UPDATE games
SET first_settled_at = coalesce(first_settled_at,
                                CAST(strftime('%s', 'now') AS INTEGER)),
    settled_result = result
WHERE id IN (SELECT id FROM settle_games);

COMMIT;
