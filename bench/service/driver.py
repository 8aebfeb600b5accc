#!/usr/bin/python3
"""Measures final-to-settled latency through the HTTP API of a running
`parlay-settler serve`, or of one that it starts itself.

For each test game it posts the game as scheduled with one parlay on it,
then, timed, posts the game as final and reads the parlay back with
GET /v1/parlays/{id} until it is no longer PENDING. Every parlay must
settle with the status and payout computed by hand in EXPECTED_RESULTS;
a mismatch makes the driver exit with status 1.

Only the Python standard library is used. Requests go only to loopback
addresses.
"""

import argparse
import http.client
import ipaddress
import json
import os
import queue
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

# Each test parlay has two legs on its game: home moneyline at +100
# (decimal 2) and over 39.5 at -110 (decimal 21/11), stake 11.00 USD.
# Cases by game number modulo 3, with the payout worked out by hand:
# - 24-17: both legs win, 11.00 * 2 * 21/11 = 42.00, WON;
# - 20-20: the moneyline pushes and drops out, over 40 wins,
#   11.00 * 21/11 = 21.00, WON;
# - 17-24: the moneyline loses, so the parlay is LOST and pays 0.00.
FINAL_SCORES = [(24, 17), (20, 20), (17, 24)]
EXPECTED_RESULTS = [("WON", "42.00"), ("WON", "21.00"), ("LOST", "0.00")]

GAMES_PER_REQUEST = 100
POLL_INTERVAL_SECONDS = 0.001


class DriverError(Exception):
    pass


def check_loopback(host):
    """Raises DriverError unless `host` is a loopback address."""
    if host == "localhost":
        return
    try:
        if ipaddress.ip_address(host).is_loopback:
            return
    except ValueError:
        pass
    raise DriverError(
        f"invalid host {host!r}: the driver sends requests only to "
        "loopback addresses such as 127.0.0.1")


class Client:
    """One keep-alive HTTP connection to the service."""

    def __init__(self, host, port):
        self.host = host
        self.port = port
        self.connection = None

    def request(self, method, path, body=None):
        payload = None if body is None else json.dumps(body).encode()
        headers = {"Content-Type": "application/json"} if payload else {}
        for attempt in range(2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection(
                    self.host, self.port, timeout=60)
                self.connection.connect()
                self.connection.sock.setsockopt(socket.IPPROTO_TCP,
                                                socket.TCP_NODELAY, 1)
            try:
                self.connection.request(method, path, payload, headers)
                response = self.connection.getresponse()
                data = response.read()
                return response.status, data
            except (http.client.HTTPException, ConnectionError):
                # The server closes a keep-alive connection after some
                # requests or idle seconds, so one retry on a new
                # connection covers that.
                self.connection.close()
                self.connection = None
                if attempt == 1:
                    raise
        raise AssertionError("unreachable")

    def json(self, method, path, body=None, expected=(200, 201)):
        status, data = self.request(method, path, body)
        if status not in expected:
            raise DriverError(f"{method} {path} returned HTTP {status}: "
                              f"{data[:300].decode(errors='replace')}")
        return json.loads(data)


def game_record(prefix, number, final):
    game = {
        "id": f"{prefix}-g{number}",
        "league": "BENCH",
        "home": f"Home {number}",
        "away": f"Away {number}",
        "start_time": "2030-01-01T00:00:00Z",
        "status": "scheduled",
        "updated_at": "2030-01-01T00:00:00Z",
    }
    if final:
        home, away = FINAL_SCORES[number % 3]
        game.update(status="final", home_score=home, away_score=away,
                    updated_at="2030-01-01T03:00:00Z")
    return game


def parlay_record(prefix, number):
    game = f"{prefix}-g{number}"
    return {
        "id": f"{prefix}-p{number}",
        "account": "bench",
        "stake": "11.00",
        "currency": "USD",
        "placed_at": "2029-12-31T12:00:00Z",
        "legs": [
            {"game": game, "market": "moneyline", "selection": "home",
             "odds": "+100"},
            {"game": game, "market": "total", "selection": "over",
             "line": "39.5", "odds": "-110"},
        ],
    }


def post_setup(client, prefix, games):
    """Posts every test game as scheduled, with its parlay."""
    for begin in range(0, games, GAMES_PER_REQUEST):
        numbers = range(begin, min(games, begin + GAMES_PER_REQUEST))
        client.json("POST", "/v1/games",
                    [game_record(prefix, n, final=False) for n in numbers])
        client.json("POST", "/v1/parlays",
                    [parlay_record(prefix, n) for n in numbers])


def measure_game(client, prefix, number, timeout):
    """Posts game `number` final and returns (seconds until settled,
    seconds of the POST, parlay) once its parlay reads back settled."""
    path = f"/v1/parlays/{prefix}-p{number}"
    started = time.perf_counter()
    client.json("POST", "/v1/games", game_record(prefix, number, final=True))
    posted = time.perf_counter() - started
    while True:
        parlay = client.json("GET", path)
        elapsed = time.perf_counter() - started
        if parlay["status"] != "PENDING":
            return elapsed, posted, parlay
        if elapsed > timeout:
            raise DriverError(f"parlay {prefix}-p{number} still PENDING "
                              f"{timeout:.0f} s after its game was final")
        time.sleep(POLL_INTERVAL_SECONDS)


def percentile(sorted_values, fraction):
    """Nearest-rank percentile of an ascending list."""
    rank = max(1, -(-len(sorted_values) * fraction // 1))
    return sorted_values[int(rank) - 1]


def games_awaiting(client):
    """Reads parlay_settlement_games_awaiting from /metrics."""
    status, data = client.request("GET", "/metrics")
    if status != 200:
        return None
    match = re.search(rb"^parlay_settlement_games_awaiting (\S+)$", data,
                      re.MULTILINE)
    return int(float(match.group(1))) if match else None


def run(host, port, args):
    setup_client = Client(host, port)
    post_setup(setup_client, args.prefix, args.games)

    numbers = queue.Queue()
    for number in range(args.games):
        numbers.put(number)
    latencies = []
    post_latencies = []
    mismatches = []
    errors = []
    lock = threading.Lock()

    def work():
        client = Client(host, port)
        while True:
            try:
                number = numbers.get_nowait()
            except queue.Empty:
                return
            try:
                seconds, posted, parlay = measure_game(
                    client, args.prefix, number, args.timeout)
            except Exception as error:  # reported after the threads end
                with lock:
                    errors.append(f"game {number}: {error}")
                return
            expected = EXPECTED_RESULTS[number % 3]
            actual = (parlay["status"], parlay["payout"])
            with lock:
                latencies.append(seconds)
                post_latencies.append(posted)
                if actual != expected:
                    mismatches.append(
                        f"parlay {parlay['id']}: expected {expected[0]} "
                        f"paying {expected[1]}, read {actual[0]} paying "
                        f"{actual[1]}")

    started = time.perf_counter()
    threads = [threading.Thread(target=work) for _ in range(args.clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started

    latencies.sort()
    result = {
        "games": args.games,
        "measured": len(latencies),
        "clients": args.clients,
        "seconds": round(wall, 3),
        "mismatches": mismatches[:20],
        "mismatch_count": len(mismatches),
        "errors": errors[:20],
        "games_awaiting_at_end": games_awaiting(setup_client),
    }
    if latencies:
        result.update(
            p50_ms=round(percentile(latencies, 0.50) * 1000, 1),
            p90_ms=round(percentile(latencies, 0.90) * 1000, 1),
            p99_ms=round(percentile(latencies, 0.99) * 1000, 1),
            max_ms=round(latencies[-1] * 1000, 1))
        post_latencies.sort()
        result.update(
            post_p50_ms=round(percentile(post_latencies, 0.50) * 1000, 1),
            post_p99_ms=round(percentile(post_latencies, 0.99) * 1000, 1))
    return result


def start_server(binary, database):
    """Starts `binary serve` on a free loopback port; returns (process,
    port)."""
    environment = dict(os.environ, FEATURE_SETTLEMENT="true", PORT="0",
                       BIND_ADDRESS="127.0.0.1", LOG_LEVEL="warn")
    process = subprocess.Popen([binary, "--db", database, "serve"],
                               stdout=subprocess.PIPE, env=environment,
                               text=True)
    deadline = time.monotonic() + 60
    for line in process.stdout:
        match = re.search(r"listening on http://127\.0\.0\.1:(\d+)", line)
        if match:
            # Drains the rest of the banner so the server never blocks on
            # a full pipe.
            threading.Thread(target=process.stdout.read, daemon=True).start()
            return process, int(match.group(1))
        if time.monotonic() > deadline:
            break
    process.kill()
    process.wait()
    raise DriverError(f"{binary} serve did not print its listening address; "
                      f"exit status {process.poll()}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8080",
                        help="base URL of a running service (loopback only)")
    parser.add_argument("--serve", metavar="BINARY",
                        help="start BINARY serve on a free port instead of "
                        "using --url, and stop it at the end")
    parser.add_argument("--db", help="database of the started server "
                        "(default: a new SQLite file in a temporary "
                        "directory)")
    parser.add_argument("--games", type=int, default=1000,
                        help="test games, one parlay each (default 1000)")
    parser.add_argument("--clients", type=int, default=4,
                        help="games measured at the same time, one "
                        "connection each (default 4)")
    parser.add_argument("--prefix", default="bench",
                        help="prefix of the test game and parlay ids, "
                        "unique per run on one database")
    parser.add_argument("--timeout", type=float, default=120,
                        help="seconds a parlay may stay PENDING (default "
                        "120)")
    args = parser.parse_args()
    if args.games < 1 or args.clients < 1:
        parser.error("--games and --clients must be at least 1")

    process = None
    temporary = tempfile.TemporaryDirectory(prefix="parlay-driver-")
    try:
        if args.serve:
            database = args.db or os.path.join(temporary.name, "smoke.db")
            host = "127.0.0.1"
            process, port = start_server(args.serve, database)
        else:
            url = urllib.parse.urlsplit(args.url)
            host, port = url.hostname or "", url.port or 80
            check_loopback(host)
        result = run(host, port, args)
    except DriverError as error:
        print(f"driver: {error}", file=sys.stderr)
        return 1
    finally:
        if process is not None:
            process.terminate()
            process.wait(timeout=60)
        temporary.cleanup()

    print(json.dumps(result))
    for line in result["errors"] + result["mismatches"]:
        print(f"driver: {line}", file=sys.stderr)
    if result["errors"] or result["mismatch_count"]:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
