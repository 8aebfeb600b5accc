#!/usr/bin/env python3
"""deploy/grafana/parlay-settler.json only queries what the service exports.

Starts `parlay-settler serve` on a SQLite database in a temporary
directory, settles one parlay through the API and starts one feed poller
(against a closed loopback port), so that every metric family has samples
with its labels. Then it checks that every PromQL expression of the
dashboard names only metrics listed in GET /metrics, that its label
matchers and `by` clauses name labels those metrics have, that exact label
values occur, and that every panel uses the ${DS_PROMETHEUS} input as its
datasource.

Usage: grafana_dashboard_test.py PARLAY_SETTLER DASHBOARD_JSON
"""

import json
import os
import re
import shutil
import sys
import tempfile
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from monitoring_support import (  # noqa: E402
    LOOPBACK,
    fail,
    free_port,
    http_get,
    metric_names,
    start_service,
    wait_for,
)

DATASOURCE_UID = "${DS_PROMETHEUS}"
# Labels that Prometheus adds to every scraped sample, and the bucket
# label of histograms.
TARGET_LABELS = {"job", "instance", "le"}
METRIC = re.compile(r"\bparlay_[a-zA-Z0-9_]+")
# A metric name with its braces, e.g. parlay_x{type="game", instance=~"$instance"}.
SELECTOR = re.compile(r"\b(parlay_[a-zA-Z0-9_]+)\{([^}]*)\}")
MATCHER = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"([^"]*)"')
GROUPING = re.compile(r"\b(?:by|without)\s*\(([^)]*)\)")

GAME = {
    "id": "2023-09-07-DET-KC",
    "league": "NFL",
    "home": "Kansas City Chiefs",
    "away": "Detroit Lions",
    "start_time": "2023-09-08T00:20:00Z",
    "status": "scheduled",
}
PARLAY = {
    "id": "t-1",
    "account": "a-42",
    "stake": "10.00",
    "currency": "USD",
    "legs": [
        {"game": GAME["id"], "market": "moneyline", "selection": "away", "odds": "+150"}
    ],
}

problems = []


def problem(message):
    problems.append(message)


def http_post(url, body, expected_status):
    """POST `body` as JSON to a loopback URL; fail unless the status is
    `expected_status`."""
    if not url.startswith(f"http://{LOOPBACK}:"):
        raise ValueError(f"request to {url} rejected: only {LOOPBACK} is allowed")
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            status, text = response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        status, text = error.code, error.read().decode()
    if status != expected_status:
        fail(f"POST {url} returned {status}, expected {expected_status}: {text}")


def parse_exposition(text):
    """Return {sample name: {label name: set of values}} of the samples."""
    labels = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        match = re.match(r"([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s", line)
        if not match:
            continue
        series = labels.setdefault(match.group(1), {})
        for name, _, value in MATCHER.findall(match.group(2) or ""):
            series.setdefault(name, set()).add(value)
    return labels


def check_expression(where, expression, exported, samples):
    names = set(METRIC.findall(expression))
    if not names:
        problem(f"{where}: no parlay_ metric in {expression!r}")
    for name in sorted(names - exported):
        problem(f"{where}: {name} is not in GET /metrics")
    known_labels = set(TARGET_LABELS)
    for name in names:
        known_labels.update(samples.get(name, {}))

    for name, matchers in SELECTOR.findall(expression):
        for label, operator, value in MATCHER.findall(matchers):
            label_values = samples.get(name, {}).get(label)
            if label in TARGET_LABELS:
                continue
            if label_values is None:
                problem(f"{where}: {name} has no label {label}")
            elif operator == "=" and value not in label_values:
                problem(f"{where}: {name}{{{label}={value!r}}} has no sample; "
                        f"values are {sorted(label_values)}")
    for grouping in GROUPING.findall(expression):
        for label in (part.strip() for part in grouping.split(",")):
            if label and label not in known_labels:
                problem(f"{where}: grouping label {label} is on none of {sorted(names)}")


def check_dashboard(dashboard, exported, samples):
    inputs = {item.get("name"): item for item in dashboard.get("__inputs", [])}
    if inputs.get("DS_PROMETHEUS", {}).get("pluginId") != "prometheus":
        problem("__inputs has no Prometheus datasource input named DS_PROMETHEUS")

    ids = [panel.get("id") for panel in dashboard["panels"]]
    if len(ids) != len(set(ids)):
        problem(f"panel ids are not unique: {ids}")

    expressions = 0
    for panel in dashboard["panels"]:
        if panel["type"] == "row":
            continue
        where = f"panel {panel['title']!r}"
        if panel.get("datasource", {}).get("uid") != DATASOURCE_UID:
            problem(f"{where}: datasource is {panel.get('datasource')}, expected {DATASOURCE_UID}")
        if not panel.get("targets"):
            problem(f"{where}: no targets")
        for target in panel.get("targets", []):
            if target.get("datasource", {}).get("uid") != DATASOURCE_UID:
                problem(f"{where}: target {target.get('refId')} has datasource "
                        f"{target.get('datasource')}")
            check_expression(where, target.get("expr", ""), exported, samples)
            expressions += 1

    for variable in dashboard.get("templating", {}).get("list", []):
        query = variable.get("query")
        text = query.get("query", "") if isinstance(query, dict) else query or ""
        check_expression(f"variable {variable['name']!r}", text, exported, samples)
    return expressions


def main():
    if len(sys.argv) != 3:
        print(f"usage: {sys.argv[0]} PARLAY_SETTLER DASHBOARD_JSON", file=sys.stderr)
        return 2
    binary, dashboard_path = sys.argv[1], sys.argv[2]
    with open(dashboard_path) as source:
        dashboard = json.load(source)

    work_dir = tempfile.mkdtemp(prefix="parlay-grafana-")
    service = None
    try:
        closed_port = free_port()
        service, base_url = start_service(
            binary,
            work_dir,
            {
                "DATABASE_URL": os.path.join(work_dir, "parlay.db"),
                "FEATURE_SETTLEMENT": "true",
                # Nothing listens there, so each poll fails and is counted.
                "FEED_POLL_URLS": f"espn=http://{LOOPBACK}:{closed_port}/scoreboard",
                "FEED_POLL_MAX_ATTEMPTS": "1",
            },
        )
        http_post(base_url + "/v1/games", GAME, 200)
        http_post(base_url + "/v1/parlays", PARLAY, 201)
        final = dict(GAME, status="final", home_score=20, away_score=21)
        http_post(base_url + "/v1/games", final, 200)
        wait_for(
            lambda: json.loads(http_get(base_url + "/v1/parlays/t-1")[1]).get("status") == "WON",
            30,
            "parlay t-1 to settle",
        )
        status, exposition = http_get(base_url + "/metrics")
        if status != 200:
            fail(f"GET /metrics returned {status}")
    finally:
        if service is not None:
            service.stop()
        shutil.rmtree(work_dir, ignore_errors=True)

    exported = metric_names(exposition)
    samples = parse_exposition(exposition)
    expressions = check_dashboard(dashboard, exported, samples)

    for message in problems:
        print(f"FAIL: {message}", file=sys.stderr)
    if problems:
        return 1
    print(f"PASS: {expressions} expressions in {len(dashboard['panels'])} panels "
          f"checked against {len(exported)} exported series names")
    return 0


if __name__ == "__main__":
    sys.exit(main())
