"""Helpers for the monitoring tests: run `parlay-settler serve` and Debian's
Prometheus server on loopback ports, and read their HTTP APIs.

Every address used here is 127.0.0.1.
"""

import json
import os
import re
import selectors
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

LOOPBACK = "127.0.0.1"

# CTest reads this exit code as a skipped test (SKIP_RETURN_CODE).
SKIP_EXIT_CODE = 77


def free_port():
    """Return a TCP port that was free on 127.0.0.1 a moment ago."""
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        return probe.getsockname()[1]


def http_get(url, timeout=5.0):
    """Return (status, body text) of a GET request to a loopback URL."""
    host = urllib.parse.urlsplit(url).hostname
    if host != LOOPBACK:
        raise ValueError(f"request to {host} rejected: only {LOOPBACK} is allowed")
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def wait_for(condition, timeout, description, interval=0.25):
    """Call `condition` until it returns a true value, and return it.

    Exits the test with a failure naming `description` after `timeout` seconds.
    Connection errors count as "not yet".
    """
    deadline = time.monotonic() + timeout
    while True:
        try:
            value = condition()
        except (OSError, urllib.error.URLError):
            value = None
        if value:
            return value
        if time.monotonic() > deadline:
            fail(f"timed out after {timeout:.0f} s waiting for {description}")
        time.sleep(interval)


def fail(message):
    print(f"FAIL: {message}", file=sys.stderr)
    raise SystemExit(1)


class Process:
    """A child process with its output in a log file, stopped by SIGTERM."""

    def __init__(self, name, args, log_path, env=None):
        self.name = name
        self.log_path = log_path
        self._log = open(log_path, "w")
        self.process = subprocess.Popen(
            args, stdout=subprocess.PIPE, stderr=self._log, env=env, text=True
        )

    def read_line(self, timeout):
        """Return the next line of standard output, or fail after `timeout`."""
        with selectors.DefaultSelector() as selector:
            selector.register(self.process.stdout, selectors.EVENT_READ)
            if not selector.select(timeout):
                fail(f"{self.name} printed nothing for {timeout} s; see {self.log_path}")
        line = self.process.stdout.readline()
        if not line:
            fail(f"{self.name} exited with code {self.process.wait()}; see {self.log_path}")
        return line

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()

    def log_tail(self, lines=20):
        with open(self.log_path) as log:
            return "".join(log.readlines()[-lines:])


def start_service(binary, work_dir, settings):
    """Start `parlay-settler serve` on a free loopback port.

    `settings` are environment variables of serve (docs/configuration.md).
    Returns (process, base URL).
    """
    # Only the variables given here reach the service, so that settings of
    # the calling shell (feed URLs, a token) cannot change the test.
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    env.update(
        {
            "BIND_ADDRESS": LOOPBACK,
            "PORT": "0",
            "LOG_FORMAT": "json",
        }
    )
    env.update(settings)
    service = Process(
        "parlay-settler serve",
        [binary, "serve"],
        os.path.join(work_dir, "serve.log"),
        env=env,
    )
    banner = service.read_line(timeout=30)
    match = re.search(r"listening on (http://127\.0\.0\.1:\d+)", banner)
    if not match:
        service.stop()
        fail(f"unexpected start banner of serve: {banner!r}")
    return service, match.group(1)


def metric_names(exposition):
    """Return the sample names a text exposition can contain.

    Takes the families from the `# TYPE` lines, so that families without
    samples yet count, and adds the _bucket, _sum and _count series of
    histograms and summaries.
    """
    names = set()
    for line in exposition.splitlines():
        parts = line.split()
        if len(parts) == 4 and parts[:2] == ["#", "TYPE"]:
            name, kind = parts[2], parts[3]
            names.add(name)
            if kind in ("histogram", "summary"):
                names.update({name + "_sum", name + "_count"})
            if kind == "histogram":
                names.add(name + "_bucket")
    return names


class Prometheus:
    """Debian's Prometheus server on a free loopback port."""

    def __init__(self, binary, config_path, work_dir):
        self.port = free_port()
        self.url = f"http://{LOOPBACK}:{self.port}"
        self.process = Process(
            "prometheus",
            [
                binary,
                f"--config.file={config_path}",
                f"--storage.tsdb.path={os.path.join(work_dir, 'tsdb')}",
                f"--web.listen-address={LOOPBACK}:{self.port}",
            ],
            os.path.join(work_dir, "prometheus.log"),
        )
        wait_for(
            lambda: http_get(self.url + "/-/ready")[0] == 200,
            30,
            "Prometheus to be ready",
        )

    def api(self, path, **params):
        """Return the `data` of a successful /api/v1 response."""
        query = urllib.parse.urlencode(params)
        status, body = http_get(f"{self.url}/api/v1/{path}?{query}")
        reply = json.loads(body)
        if status != 200 or reply.get("status") != "success":
            raise RuntimeError(f"GET /api/v1/{path} {params}: HTTP {status}: {body}")
        return reply["data"]

    def query(self, expression):
        """Return the instant vector of `expression` as a list of samples."""
        return self.api("query", query=expression)["result"]

    def alerts(self, name):
        """Return the active alerts (pending or firing) named `name`."""
        return [
            alert
            for alert in self.api("alerts")["alerts"]
            if alert["labels"].get("alertname") == name
        ]

    def stop(self):
        self.process.stop()
