#!/usr/bin/python3
"""A polling settlement worker of the kind parlay-settler replaces.

It is the typical algorithm embedded in an application. For each final
game it selects the pending legs. For each leg it grades it, updates it,
reloads every leg of its parlay and updates the parlay. Then it rescans
every open parlay in case one was missed, and commits once per game. The rescan makes
a pass quadratic in the number of open parlays, so the worker stops after
--budget-seconds and reports what it settled.

    /usr/bin/python3 bench/polling_worker.py --db bench.db --budget-seconds 60
    /usr/bin/python3 bench/polling_worker.py --db postgresql://... 

Grades moneyline, spread and total legs on the whole game of final games,
the legs bench/generate.cc writes; other legs stay pending. Prints one
JSON object: legs_settled, parlays_settled, games, seconds, finished.
"""

import argparse
import json
import sqlite3
import sys
import time
from fractions import Fraction


class Database:
    """A DB-API connection with the placeholder style of its driver."""

    def __init__(self, url):
        if url.startswith(("postgresql://", "postgres://")):
            import psycopg2

            self.connection = psycopg2.connect(url)
            self.placeholder = "%s"
        else:
            path = url[len("sqlite://"):] if url.startswith("sqlite://") else url
            self.connection = sqlite3.connect(path, isolation_level="DEFERRED")
            self.placeholder = "?"

    def query(self, sql, params=()):
        cursor = self.connection.cursor()
        cursor.execute(sql.replace("?", self.placeholder), params)
        return cursor.fetchall()

    def execute(self, sql, params=()):
        cursor = self.connection.cursor()
        cursor.execute(sql.replace("?", self.placeholder), params)
        return cursor.rowcount

    def commit(self):
        self.connection.commit()


def status_at_line(result_quarters, line_quarters):
    """Returns the status of a bet on a whole or half-point line."""
    edge = result_quarters - line_quarters
    if edge > 0:
        return "WON"
    if edge < 0:
        return "LOST"
    return "PUSH"


def grade_against_line(result_quarters, line_quarters):
    """Grades a bet whose result minus line decides it, splitting a
    quarter line into two half bets on its neighbouring lines."""
    if line_quarters % 2 == 0:
        return status_at_line(result_quarters, line_quarters)
    halves = {
        status_at_line(result_quarters, line_quarters - 1),
        status_at_line(result_quarters, line_quarters + 1),
    }
    if len(halves) == 1:
        return halves.pop()
    return "HALF_WON" if "WON" in halves else "HALF_LOST"


def grade(market, selection, line_quarters, home, away):
    """Returns the leg's status, or None for a leg this worker cannot grade."""
    if market in ("moneyline", "spread") and selection in ("home", "away"):
        margin = home - away if selection == "home" else away - home
        # A spread of -3.5 needs a margin above 3.5: margin + line > 0.
        return grade_against_line(4 * margin, -(line_quarters or 0))
    if market == "total" and selection in ("over", "under"):
        points = 4 * (home + away)
        if selection == "over":
            return grade_against_line(points, line_quarters)
        return grade_against_line(-points, -line_quarters)
    return None


def derive(stake, legs):
    """Returns (status, payout) for a parlay's legs, or None while pending.
    legs: (status, odds numerator, odds denominator) tuples."""
    statuses = [status for status, _, _ in legs]
    if "LOST" in statuses:
        return "LOST", 0
    if "PENDING" in statuses:
        return None
    if all(status in ("PUSH", "VOID") for status in statuses):
        return ("PUSH" if "PUSH" in statuses else "VOID"), stake
    product = Fraction(1)
    for status, numerator, denominator in legs:
        odds = Fraction(numerator, denominator)
        if status == "WON":
            product *= odds
        elif status == "HALF_WON":
            product *= (odds + 1) / 2
        elif status == "HALF_LOST":
            product *= Fraction(1, 2)
    payout = (stake * product.numerator) // product.denominator
    if product > 1:
        return "WON", payout
    if product == 1:
        return "PUSH", payout
    return "LOST", payout


def settle_parlay(db, parlay_id, stake, now):
    """Derives one parlay from all its legs; returns True if it settled."""
    legs = db.query(
        "SELECT status, odds_numerator, odds_denominator FROM legs "
        "WHERE parlay_id = ? ORDER BY leg_index", (parlay_id,))
    outcome = derive(stake, legs)
    if outcome is None:
        return False
    changed = db.execute(
        "UPDATE parlays SET status = ?, payout_minor = ?, settled_at = ? "
        "WHERE id = ? AND status = 'PENDING'",
        (outcome[0], outcome[1], now, parlay_id))
    return changed == 1


def rescan_open_parlays(db, now):
    """Derives every open parlay again; returns how many settled."""
    rows = db.query(
        "SELECT p.id, p.stake_minor, l.status, l.odds_numerator, "
        "l.odds_denominator FROM parlays p JOIN legs l ON l.parlay_id = p.id "
        "WHERE p.status = 'PENDING' ORDER BY p.id, l.leg_index")
    settled = 0
    index = 0
    while index < len(rows):
        parlay_id, stake = rows[index][0], rows[index][1]
        legs = []
        while index < len(rows) and rows[index][0] == parlay_id:
            legs.append(rows[index][2:])
            index += 1
        outcome = derive(stake, legs)
        if outcome is None:
            continue
        settled += db.execute(
            "UPDATE parlays SET status = ?, payout_minor = ?, settled_at = ? "
            "WHERE id = ? AND status = 'PENDING'",
            (outcome[0], outcome[1], now, parlay_id))
    return settled


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True,
                        help="SQLite path or postgresql:// URL")
    parser.add_argument("--budget-seconds", type=float, default=60.0,
                        help="stop after the game that passes this time")
    args = parser.parse_args()

    started = time.monotonic()
    db = Database(args.db)
    games = db.query(
        "SELECT id, home_score, away_score FROM games "
        "WHERE status = 'final' AND home_score IS NOT NULL "
        "AND away_score IS NOT NULL AND EXISTS (SELECT 1 FROM legs "
        "WHERE legs.game_id = games.id AND legs.status = 'PENDING') "
        "ORDER BY start_time, id")
    legs_settled = 0
    parlays_settled = 0
    games_done = 0
    finished = True
    for game_id, home, away in games:
        if time.monotonic() - started > args.budget_seconds:
            finished = False
            break
        now = int(time.time())
        legs = db.query(
            "SELECT l.parlay_id, l.leg_index, l.market, l.selection, "
            "l.line_quarters, p.stake_minor FROM legs l "
            "JOIN parlays p ON p.id = l.parlay_id "
            "WHERE l.game_id = ? AND l.status = 'PENDING' "
            "AND l.period = 'game'", (game_id,))
        for parlay_id, leg_index, market, selection, line, stake in legs:
            status = grade(market, selection, line, home, away)
            if status is None:
                continue
            legs_settled += db.execute(
                "UPDATE legs SET status = ?, reason = ?, "
                "graded_home_score = ?, graded_away_score = ?, "
                "settled_at = ? WHERE game_id = ? AND parlay_id = ? "
                "AND leg_index = ? AND status = 'PENDING'",
                (status, "graded by the polling worker", home, away, now,
                 game_id, parlay_id, leg_index))
            if settle_parlay(db, parlay_id, stake, now):
                parlays_settled += 1
        parlays_settled += rescan_open_parlays(db, now)
        db.execute(
            "UPDATE games SET first_settled_at = coalesce(first_settled_at, ?), "
            "settled_result = result WHERE id = ?", (now, game_id))
        db.commit()
        games_done += 1

    print(json.dumps({
        "legs_settled": legs_settled,
        "parlays_settled": parlays_settled,
        "games": games_done,
        "seconds": round(time.monotonic() - started, 3),
        "finished": finished,
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
