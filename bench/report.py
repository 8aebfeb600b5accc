#!/usr/bin/python3
"""Turns bench/run_bench.py's JSON results into Markdown tables and a PNG
plot of legs settled per second against the number of legs (gnuplot).

    bench/report.py build/bench/results.json --plot docs/benchmarks.png
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile

ROW_NAMES = {
    "engine": "parlay-settler",
    "sql": "set-based SQL",
    "polling": "polling worker",
}


def scale_name(legs):
    if legs >= 1_000_000 and legs % 1_000_000 == 0:
        return "%dM" % (legs // 1_000_000)
    if legs >= 1000 and legs % 1000 == 0:
        return "%dk" % (legs // 1000)
    return str(legs)


def ratio(engine, other):
    if not engine or not other or other["legs_per_second"] == 0:
        return ""
    return "%.1fx" % (engine["legs_per_second"] / other["legs_per_second"])


def throughput_table(results):
    lines = [
        "| backend | legs | row | legs settled | legs/s | parlays/s | "
        "wall (s) | CPU (s) | legs per CPU s | peak RSS (MiB) | "
        "engine / row |",
        "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
        "| ---: |",
    ]
    by_key = {(r["backend"], r["data"], r["row"]): r for r in results}
    for r in results:
        engine = by_key.get((r["backend"], r["data"], "engine"))
        note = "" if r.get("finished", True) else " (budget)"
        lines.append(
            "| %s | %s | %s%s | %d | %d | %d | %.1f | %.1f | %d | %.0f | %s |"
            % (r["backend"], scale_name(int(r["data"])), ROW_NAMES[r["row"]],
               note, r["legs_settled"], r["legs_per_second"],
               r["parlays_per_second"], r["seconds"], r["cpu_seconds"],
               r["legs_per_cpu_second"], r["rss_mib"],
               "" if r["row"] == "engine" else ratio(engine, r)))
    return "\n".join(lines)


def backlog_table(results):
    lines = [
        "| backend | unrelated pending legs | legs settled | wall (s) | "
        "CPU (s) | wall ratio | CPU ratio |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    base = {}
    for r in results:
        if r["unrelated_pending_legs"] == 0:
            base[r["backend"]] = r
        first = base.get(r["backend"])
        wall_ratio = "%.2f" % (r["seconds"] / first["seconds"]) if first else ""
        cpu_ratio = "%.2f" % (r["cpu_seconds"] / first["cpu_seconds"]) \
            if first and first["cpu_seconds"] > 0 else ""
        lines.append("| %s | %d | %d | %.2f | %.2f | %s | %s |" % (
            r["backend"], r["unrelated_pending_legs"], r["legs_settled"],
            r["seconds"], r["cpu_seconds"], wall_ratio, cpu_ratio))
    return "\n".join(lines)


def plot(results, path):
    series = {}
    for r in results:
        series.setdefault((r["backend"], r["row"]), []).append(
            (int(r["data"]), r["legs_per_second"]))
    with tempfile.TemporaryDirectory() as directory:
        plots = []
        for index, ((backend, row), points) in enumerate(sorted(series.items())):
            data = os.path.join(directory, "series%d.dat" % index)
            with open(data, "w") as out:
                for legs, rate in sorted(points):
                    out.write("%d %d\n" % (legs, max(rate, 1)))
            # One colour per row, solid for SQLite and dashed for
            # PostgreSQL.
            colour = list(ROW_NAMES).index(row) + 1
            dash = 1 if backend == "sqlite" else 2
            plots.append("'%s' using 1:2 with linespoints lc %d dt %d lw 2 "
                         "pt 7 title '%s, %s'" % (data, colour, dash,
                                                  ROW_NAMES[row], backend))
        script = "\n".join([
            "set terminal pngcairo size 900,560 font 'sans,11'",
            "set output '%s'" % path,
            "set title 'Settlement throughput'",
            "set xlabel 'legs in the database'",
            "set ylabel 'legs settled per second'",
            "set logscale xy",
            "set format x '%.0s%c'",
            "set format y '%.0s%c'",
            "set grid",
            "set key outside right",
            "plot " + ", ".join(plots),
        ])
        subprocess.run(["gnuplot"], input=script.encode(), check=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", nargs="+", help="JSON files of run_bench.py")
    parser.add_argument("--plot", help="write the PNG plot here")
    args = parser.parse_args()
    throughput, backlog = [], []
    for name in args.results:
        with open(name) as source:
            data = json.load(source)
        throughput += data["throughput"]
        backlog += data["backlog"]
    if throughput:
        print(throughput_table(throughput))
        print()
    if backlog:
        print(backlog_table(backlog))
    if args.plot and throughput:
        plot(throughput, args.plot)
    return 0


if __name__ == "__main__":
    sys.exit(main())
