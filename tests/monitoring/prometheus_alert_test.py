#!/usr/bin/env python3
"""The breaker alert of deploy/prometheus/alerts.yml fires in a real
Prometheus server when a running `parlay-settler serve` loses its database.

Runs under scripts/with-postgres, which provides a throwaway PostgreSQL
server (PARLAY_TEST_POSTGRES_URL, _DATA and _BIN). The test starts serve on
it with a breaker that opens on the first failed cycle, and Debian's
Prometheus scraping serve every second. It checks that the target is up
and the breaker alert inactive, stops the PostgreSQL server, and waits up
to 60 s for SettlementBreakerOpen to fire. The rules Prometheus loads are
alerts.yml with every `for` shortened to 1 s; the expressions, labels and
annotations are the shipped ones. While the server runs, the test also
has it evaluate every query of the Grafana dashboard, which rejects
invalid PromQL.

Usage: prometheus_alert_test.py PARLAY_SETTLER ALERTS_YML DASHBOARD_JSON
Exits 77 (skipped) when /usr/bin/prometheus is missing.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from monitoring_support import (  # noqa: E402
    SKIP_EXIT_CODE,
    Prometheus,
    fail,
    start_service,
    wait_for,
)

ALERT = "SettlementBreakerOpen"
FIRING_TIMEOUT_SECONDS = 60


def write_test_rules(alerts_path, out_path):
    """Copy the alerting rules with every `for` set to 1s.

    Returns the number of rules. The rule under test must exist and keep
    its expression.
    """
    with open(alerts_path) as source:
        rules = yaml.safe_load(source)
    count = 0
    found = False
    for group in rules["groups"]:
        for rule in group["rules"]:
            count += 1
            if "for" in rule:
                rule["for"] = "1s"
            if rule.get("alert") == ALERT:
                found = True
    if not found:
        fail(f"{alerts_path} has no alert {ALERT}")
    with open(out_path, "w") as out:
        yaml.safe_dump(rules, out, sort_keys=False)
    return count


def write_prometheus_config(path, rules_path, target):
    config = {
        "global": {"scrape_interval": "1s", "evaluation_interval": "1s"},
        "rule_files": [rules_path],
        "scrape_configs": [
            {
                "job_name": "parlay-settler",
                "metrics_path": "/metrics",
                "static_configs": [{"targets": [target]}],
            }
        ],
    }
    with open(path, "w") as out:
        yaml.safe_dump(config, out, sort_keys=False)


def check_dashboard_queries(prometheus, dashboard_path):
    """Evaluate every query of the dashboard, and fail on the first error.

    Grafana's variables are replaced by values Grafana would send.
    Returns the number of queries.
    """
    with open(dashboard_path) as source:
        dashboard = json.load(source)
    expressions = [
        (panel["title"], target["expr"])
        for panel in dashboard["panels"]
        for target in panel.get("targets", [])
    ]
    for title, expression in expressions:
        query = expression.replace("$__rate_interval", "1m").replace("$instance", ".*")
        try:
            prometheus.query(query)
        except RuntimeError as error:
            fail(f"dashboard panel {title!r}: {error}")
    return len(expressions)


def stop_postgres():
    """Stop the test's PostgreSQL server at once (pg_ctl -m immediate)."""
    command = [
        os.path.join(os.environ["PARLAY_TEST_POSTGRES_BIN"], "pg_ctl"),
        "-D",
        os.environ["PARLAY_TEST_POSTGRES_DATA"],
        "-m",
        "immediate",
        "-w",
        "stop",
    ]
    # pg_ctl refuses to run as root.
    if os.getuid() == 0:
        command = ["runuser", "-u", "postgres", "--"] + command
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)


def main():
    if len(sys.argv) != 4:
        fail(f"usage: {sys.argv[0]} PARLAY_SETTLER ALERTS_YML DASHBOARD_JSON")
    binary, alerts_path, dashboard_path = sys.argv[1:4]
    prometheus_binary = shutil.which("prometheus", path="/usr/bin:/usr/sbin")
    if prometheus_binary is None:
        print(
            "SKIPPED: /usr/bin/prometheus not found; install the Debian "
            "package prometheus (scripts/install-deps does)"
        )
        return SKIP_EXIT_CODE
    database_url = os.environ.get("PARLAY_TEST_POSTGRES_URL")
    if not database_url:
        fail("PARLAY_TEST_POSTGRES_URL is not set; run under scripts/with-postgres")

    work_dir = tempfile.mkdtemp(prefix="parlay-prometheus-")
    service = prometheus = None
    try:
        rules_path = os.path.join(work_dir, "alerts.yml")
        rule_count = write_test_rules(alerts_path, rules_path)

        service, base_url = start_service(
            binary,
            work_dir,
            {
                "DATABASE_URL": database_url,
                "FEATURE_SETTLEMENT": "true",
                "SETTLEMENT_INTERVAL_SECONDS": "1",
                "SETTLEMENT_BREAKER_THRESHOLD": "1",
                # Open for the rest of the test: no trial cycle closes it.
                "SETTLEMENT_BREAKER_RESET_SECONDS": "3600",
            },
        )
        target = base_url.removeprefix("http://")
        config_path = os.path.join(work_dir, "prometheus.yml")
        write_prometheus_config(config_path, rules_path, target)
        prometheus = Prometheus(prometheus_binary, config_path, work_dir)

        # Prometheus loaded every rule and scrapes the service.
        loaded = sum(len(g["rules"]) for g in prometheus.api("rules")["groups"])
        if loaded != rule_count:
            fail(f"Prometheus loaded {loaded} rules, expected {rule_count}")
        wait_for(
            lambda: prometheus.query(
                f'parlay_settlement_breaker_state{{state="closed",instance="{target}"}} == 1'
            ),
            30,
            "a scrape with the breaker closed",
        )
        up = prometheus.query(f'up{{instance="{target}"}}')
        if not up or up[0]["value"][1] != "1":
            fail(f"target {target} is not up: {up}")
        queries = check_dashboard_queries(prometheus, dashboard_path)
        print(f"Prometheus evaluated the dashboard's {queries} queries")
        # Several evaluations of the closed breaker: the alert stays
        # inactive.
        time.sleep(3)
        if prometheus.alerts(ALERT):
            fail(f"{ALERT} is active while the breaker is closed: {prometheus.alerts(ALERT)}")

        stop_postgres()
        stopped_at = time.monotonic()
        alert = wait_for(
            lambda: next(
                (a for a in prometheus.alerts(ALERT) if a["state"] == "firing"),
                None,
            ),
            FIRING_TIMEOUT_SECONDS,
            f"{ALERT} to fire after the database stopped",
        )
        print(f"{ALERT} firing {time.monotonic() - stopped_at:.1f} s after the database stopped")

        labels = alert["labels"]
        expected = {"alertname": ALERT, "severity": "page", "instance": target,
                    "job": "parlay-settler"}
        for name, value in expected.items():
            if labels.get(name) != value:
                fail(f"alert label {name} is {labels.get(name)!r}, expected {value!r}")
        if alert["annotations"].get("summary") != "Settlement circuit breaker is open":
            fail(f"unexpected summary: {alert['annotations']}")
        # The service reports the open breaker itself too.
        if not prometheus.query(f'parlay_settlement_breaker_trips_total{{instance="{target}"}} >= 1'):
            fail("parlay_settlement_breaker_trips_total did not increase")
        print("PASS")
        return 0
    except SystemExit:
        for process in (service, prometheus and prometheus.process):
            if process is not None:
                print(f"--- last lines of {process.log_path}", file=sys.stderr)
                print(process.log_tail(), file=sys.stderr)
        raise
    finally:
        if prometheus is not None:
            prometheus.stop()
        if service is not None:
            service.stop()
        shutil.rmtree(work_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
