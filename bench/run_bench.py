#!/usr/bin/python3
"""Settlement throughput: parlay-settler against a set-based SQL reference
and a Python polling worker, on SQLite and PostgreSQL.

Each scale's data set is generated once per backend by parlay-bench
(deterministic for a seed). Every row runs on a fresh copy of it: a copy
of the SQLite file, or CREATE DATABASE ... TEMPLATE on PostgreSQL.

    bench/run_bench.py --build build --scales 100000,1000000
    bench/run_bench.py --build build --check --scales 2000   # the CI test

PostgreSQL runs when PARLAY_BENCH_POSTGRES_URL (or, for --check,
PARLAY_TEST_POSTGRES_URL) names a superuser URL of a loopback server;
`make bench` starts one with scripts/with-postgres. With --check the three
rows must agree on every leg status, parlay status and payout, and the
script exits 1 if they do not.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
import urllib.parse

BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
SQL_FILES = {
    "sqlite": os.path.join(BENCH_DIR, "reference_sqlite.sql"),
    "postgresql": os.path.join(BENCH_DIR, "reference_postgres.sql"),
}
ROWS = ("engine", "sql", "polling")


def run_measured(command, stdin_path=None, server=None):
    """Runs a command; returns (stdout, wall seconds, peak RSS in MiB, CPU
    seconds). CPU seconds are the command's user and system time, plus the
    database server's when `server` can measure it."""
    server_before = server.cpu_seconds() if server else None
    stdin = open(stdin_path, "rb") if stdin_path else subprocess.DEVNULL
    started = time.monotonic()
    process = subprocess.Popen(command, stdin=stdin, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    # wait4 returns this child's own resource usage, ru_maxrss in KiB.
    stdout = process.stdout.read()
    stderr = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.monotonic() - started
    cpu = usage.ru_utime + usage.ru_stime
    if server_before is not None:
        # The server reaps the finished backend's CPU time a moment later.
        time.sleep(0.2)
        cpu += server.cpu_seconds() - server_before
    if stdin_path:
        stdin.close()
    if process.returncode != 0:
        raise RuntimeError("command failed with exit code %d: %s\n%s" % (
            process.returncode, " ".join(command), stderr.decode()))
    return stdout.decode(), seconds, usage.ru_maxrss / 1024.0, cpu


class SqliteBackend:
    name = "sqlite"

    def cpu_seconds(self):
        return None

    def __init__(self, work_dir):
        self.work_dir = work_dir

    def source(self, key):
        return os.path.join(self.work_dir, "source-%s.db" % key)

    def has_source(self, key):
        return os.path.exists(self.source(key))

    def prepare_source(self, key):
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(self.source(key) + suffix):
                os.remove(self.source(key) + suffix)
        return self.source(key)

    def fresh_copy(self, key):
        """Copies the source database; returns the copy's path."""
        copy = os.path.join(self.work_dir, "run.db")
        for suffix in ("-wal", "-shm"):
            if os.path.exists(copy + suffix):
                os.remove(copy + suffix)
        shutil.copyfile(self.source(key), copy)
        return copy

    def connect(self, url):
        import sqlite3
        return sqlite3.connect(url)

    def sql_command(self, url, sql_file):
        return ["sqlite3", "-bail", url], sql_file


class PostgresBackend:
    name = "postgresql"

    def __init__(self, url):
        self.url = url
        self.postmaster_pid = self.find_postmaster()

    def find_postmaster(self):
        """Returns the server's postmaster process id when the server runs
        on this machine and its data directory is readable, else None."""
        try:
            directory = self.admin("SHOW data_directory")[0][0]
            with open(os.path.join(directory, "postmaster.pid")) as pid_file:
                return int(pid_file.readline())
        except (OSError, ValueError):
            return None

    def cpu_seconds(self):
        """Returns the CPU seconds of the server's processes so far: the
        postmaster's own and reaped children's time, and the time of its
        live children, from /proc."""
        if self.postmaster_pid is None:
            return None
        ticks = os.sysconf("SC_CLK_TCK")
        total = 0
        with open("/proc/%d/stat" % self.postmaster_pid) as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        # utime, stime, cutime, cstime are fields 14 to 17 of proc(5).
        total += sum(int(value) for value in fields[11:15])
        with open("/proc/%d/task/%d/children" % (
                self.postmaster_pid, self.postmaster_pid)) as children:
            for child in children.read().split():
                try:
                    with open("/proc/%s/stat" % child) as stat:
                        fields = stat.read().rsplit(")", 1)[1].split()
                    total += int(fields[11]) + int(fields[12])
                except OSError:
                    pass  # the child exited meanwhile
        return total / ticks

    def database_url(self, database):
        parts = urllib.parse.urlsplit(self.url)
        return urllib.parse.urlunsplit(parts._replace(path="/" + database))

    def admin(self, statement):
        import psycopg2
        connection = psycopg2.connect(self.url)
        connection.autocommit = True
        try:
            with connection.cursor() as cursor:
                cursor.execute(statement)
                return cursor.fetchall() if cursor.description else None
        finally:
            connection.close()

    def has_source(self, key):
        rows = self.admin("SELECT 1 FROM pg_database WHERE datname = "
                          "'bench_source_%s'" % key)
        return bool(rows)

    def prepare_source(self, key):
        self.admin("DROP DATABASE IF EXISTS bench_source_%s" % key)
        self.admin("CREATE DATABASE bench_source_%s" % key)
        return self.database_url("bench_source_%s" % key)

    def fresh_copy(self, key):
        self.admin("DROP DATABASE IF EXISTS bench_run")
        self.admin("CREATE DATABASE bench_run TEMPLATE bench_source_%s" % key)
        url = self.database_url("bench_run")
        # A fresh database has no planner statistics yet.
        connection = self.connect(url)
        connection.autocommit = True
        connection.cursor().execute("ANALYZE")
        connection.close()
        return url

    def connect(self, url):
        import psycopg2
        return psycopg2.connect(url)

    def sql_command(self, url, sql_file):
        return ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url,
                "-f", sql_file], None


def count_rows(backend, url):
    """Returns (pending legs, pending parlays)."""
    connection = backend.connect(url)
    try:
        cursor = connection.cursor()
        cursor.execute("SELECT count(*) FROM legs WHERE status = 'PENDING'")
        legs = cursor.fetchone()[0]
        cursor.execute(
            "SELECT count(*) FROM parlays WHERE status = 'PENDING'")
        parlays = cursor.fetchone()[0]
        return legs, parlays
    finally:
        connection.close()


def read_outcomes(backend, url):
    """Returns every leg's status and every parlay's status and payout."""
    connection = backend.connect(url)
    try:
        cursor = connection.cursor()
        cursor.execute("SELECT parlay_id, leg_index, status FROM legs")
        legs = {(row[0], row[1]): row[2] for row in cursor.fetchall()}
        cursor.execute("SELECT id, status, payout_minor FROM parlays")
        parlays = {row[0]: (row[1], row[2]) for row in cursor.fetchall()}
        return legs, parlays
    finally:
        connection.close()


def generate(args, backend, key, legs, final_share, extra_args):
    if backend.has_source(key) and not args.regenerate:
        return
    url = backend.prepare_source(key)
    command = [os.path.join(args.build, "bench", "parlay-bench"), "generate",
               "--db", url, "--seed", str(args.seed), "--legs", str(legs),
               "--final-share", str(final_share)] + extra_args
    output, seconds, _, _ = run_measured(command)
    print("  generated %s on %s in %.1f s: %s" % (
        key, backend.name, seconds, output.strip()), flush=True)


def run_row(args, backend, key, row):
    """Runs one row on a fresh copy; returns its measurement and the URL."""
    url = backend.fresh_copy(key)
    legs_before, parlays_before = count_rows(backend, url)

    if row == "engine":
        command = [os.path.join(args.build, "parlay-settler"), "--db", url,
                   "settle", "--format", "json", "--batch-games",
                   str(args.batch_games)]
        output, seconds, rss, cpu = run_measured(command, server=backend)
    elif row == "sql":
        command, stdin_path = backend.sql_command(url, SQL_FILES[backend.name])
        output, seconds, rss, cpu = run_measured(command, stdin_path,
                                                 server=backend)
    else:
        budget = 1e9 if args.check else args.polling_budget
        command = ["/usr/bin/python3", os.path.join(BENCH_DIR,
                                                    "polling_worker.py"),
                   "--db", url, "--budget-seconds", str(budget)]
        output, seconds, rss, cpu = run_measured(command, server=backend)
    legs_after, parlays_after = count_rows(backend, url)

    result = {
        "backend": backend.name, "data": key, "row": row,
        "legs_settled": legs_before - legs_after,
        "parlays_settled": parlays_before - parlays_after,
        "seconds": round(seconds, 3), "rss_mib": round(rss, 1),
        "cpu_seconds": round(cpu, 3),
        "load_average": round(os.getloadavg()[0], 1),
    }
    if row == "polling":
        result["finished"] = json.loads(output)["finished"]
    result["legs_per_second"] = round(result["legs_settled"] / seconds)
    result["parlays_per_second"] = round(result["parlays_settled"] / seconds)
    result["legs_per_cpu_second"] = round(result["legs_settled"] / cpu) \
        if cpu > 0 else 0
    print("  %-10s %-8s %-7s %9d legs %8d parlays %8.2f s %7.1f MiB "
          "%9d legs/s %8.2f CPU s %9d legs/CPU s" % (
              backend.name, key, row, result["legs_settled"],
              result["parlays_settled"], seconds, rss,
              result["legs_per_second"], cpu,
              result["legs_per_cpu_second"]), flush=True)
    return result, url


def compare(backend, key, expected, actual, row):
    """Returns a list of differences between the engine's tables and a
    row's."""
    problems = []
    expected_legs, expected_parlays = expected
    legs, parlays = actual
    for leg, status in expected_legs.items():
        if legs.get(leg) != status:
            problems.append("%s %s %s: leg %s is %s, engine wrote %s" % (
                backend.name, key, row, leg, legs.get(leg), status))
    for parlay, outcome in expected_parlays.items():
        if parlays.get(parlay) != outcome:
            problems.append("%s %s %s: parlay %s is %s, engine wrote %s" % (
                backend.name, key, row, parlay, parlays.get(parlay), outcome))
    if len(legs) != len(expected_legs) or len(parlays) != len(expected_parlays):
        problems.append("%s %s %s: row counts differ" % (backend.name, key,
                                                         row))
    return problems


def check_coverage(backend, key, outcomes):
    """Returns problems if the data set misses an outcome the comparison
    must cover, so that agreement is not vacuous."""
    legs, parlays = outcomes
    problems = []
    for status in ("WON", "LOST", "PUSH", "HALF_WON", "HALF_LOST", "PENDING"):
        if status not in legs.values():
            problems.append("%s %s: no leg is %s" % (backend.name, key,
                                                     status))
    parlay_statuses = {outcome[0] for outcome in parlays.values()}
    for status in ("WON", "LOST", "PENDING"):
        if status not in parlay_statuses:
            problems.append("%s %s: no parlay is %s" % (backend.name, key,
                                                        status))
    return problems


def throughput(args, backends):
    results = []
    problems = []
    for legs in args.scales:
        key = "%d" % legs
        for backend in backends:
            print("%s legs on %s" % (key, backend.name), flush=True)
            generate(args, backend, key, legs, args.final_share, [])
            expected = None
            for row in args.rows:
                result, url = run_row(args, backend, key, row)
                results.append(result)
                if args.check:
                    outcomes = read_outcomes(backend, url)
                    if row == args.rows[0]:
                        expected = outcomes
                        problems += check_coverage(backend, key, outcomes)
                    else:
                        problems += compare(backend, key, expected, outcomes,
                                            row)
    return results, problems


def backlog(args, backends):
    """Times one settlement cycle over the same newly final games, with
    and without unrelated pending legs in the database."""
    results = []
    for backend in backends:
        for extra in (0, args.backlog_extra_legs):
            key = "backlog%d" % extra
            generate(args, backend, key, args.backlog_games * 200, 1.0,
                     ["--games", str(args.backlog_games),
                      "--unrelated-pending-legs", str(extra)])
            result, _ = run_row(args, backend, key, "engine")
            result["unrelated_pending_legs"] = extra
            results.append(result)
    return results


def write_results(path, results, backlog_results):
    if path:
        with open(path, "w") as out:
            json.dump({"throughput": results, "backlog": backlog_results},
                      out, indent=1)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default="build",
                        help="CMake build directory with parlay-settler")
    parser.add_argument("--work-dir", default=None,
                        help="where SQLite data sets go (default BUILD/bench-data)")
    parser.add_argument("--scales", default="100000,1000000",
                        help="comma-separated leg counts; empty for none")
    parser.add_argument("--rows", default="engine,sql,polling",
                        help="comma-separated rows: engine, sql, polling")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--final-share", type=float, default=0.5)
    parser.add_argument("--batch-games", type=int, default=256)
    parser.add_argument("--polling-budget", type=float, default=60.0,
                        help="seconds the polling worker may run per data set")
    parser.add_argument("--backlog", action="store_true",
                        help="also measure the backlog cycle")
    parser.add_argument("--backlog-games", type=int, default=1000)
    parser.add_argument("--backlog-extra-legs", type=int, default=1_000_000)
    parser.add_argument("--regenerate", action="store_true",
                        help="regenerate data sets that already exist")
    parser.add_argument("--check", action="store_true",
                        help="compare the rows' tables; no polling budget")
    parser.add_argument("--output", default=None,
                        help="write the results as JSON to this file")
    args = parser.parse_args()
    args.scales = [int(value) for value in args.scales.split(",") if value]
    args.rows = args.rows.split(",")
    work_dir = args.work_dir or os.path.join(args.build, "bench-data")
    os.makedirs(work_dir, exist_ok=True)

    backends = []
    for name in args.backends.split(","):
        if name == "sqlite":
            backends.append(SqliteBackend(work_dir))
        elif name == "postgresql":
            url = os.environ.get("PARLAY_BENCH_POSTGRES_URL")
            if not url and args.check:
                url = os.environ.get("PARLAY_TEST_POSTGRES_URL")
            if url:
                backends.append(PostgresBackend(url))
            elif args.check and os.environ.get("PARLAY_REQUIRE_POSTGRES"):
                print("error: PARLAY_REQUIRE_POSTGRES is set but "
                      "PARLAY_TEST_POSTGRES_URL is not; run the test under "
                      "scripts/with-postgres", flush=True)
                return 1
            else:
                print("PostgreSQL skipped: PARLAY_BENCH_POSTGRES_URL is not "
                      "set", flush=True)
        else:
            parser.error("unknown backend %r" % name)

    results, problems = throughput(args, backends)
    write_results(args.output, results, [])
    backlog_results = backlog(args, backends) if args.backlog else []
    write_results(args.output, results, backlog_results)
    for problem in problems[:50]:
        print("MISMATCH " + problem)
    if problems:
        print("%d mismatches" % len(problems))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
