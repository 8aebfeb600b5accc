#!/usr/bin/env python3
"""deploy/systemd/parlay-settler.env lists every setting of
docs/configuration.md, and `parlay-settler serve` accepts its values.

The settings are the backticked names in the first column of the tables
in docs/configuration.md. Each must appear in the example as NAME= or
#NAME=, and the example must list no other. Then serve starts with the
example's uncommented settings, except that the database and the port
are a temporary file and a free loopback port, and GET /health returns
200.

Usage: systemd_env_test.py PARLAY_SETTLER SOURCE_DIR
"""

import os
import re
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from monitoring_support import fail, http_get, start_service  # noqa: E402


def documented_settings(configuration_md):
    with open(configuration_md) as source:
        return set(re.findall(r"^\| `([A-Z][A-Z0-9_]+)` \|", source.read(), re.MULTILINE))


def example_settings(env_path):
    """Return (every listed name, {name: value} of the uncommented ones)."""
    listed = set()
    active = {}
    with open(env_path) as source:
        for number, line in enumerate(source, start=1):
            line = line.strip()
            match = re.match(r"^(#?)([A-Z][A-Z0-9_]+)=(.*)$", line)
            if match:
                commented, name, value = match.groups()
                if name in listed:
                    fail(f"{env_path}:{number}: {name} is listed twice")
                listed.add(name)
                if not commented:
                    active[name] = value
            elif line and not line.startswith("#"):
                fail(f"{env_path}:{number}: not a NAME=value line: {line!r}")
    return listed, active


def main():
    if len(sys.argv) != 3:
        fail(f"usage: {sys.argv[0]} PARLAY_SETTLER SOURCE_DIR")
    binary, source_dir = sys.argv[1], sys.argv[2]
    env_path = os.path.join(source_dir, "deploy", "systemd", "parlay-settler.env")

    documented = documented_settings(os.path.join(source_dir, "docs", "configuration.md"))
    # The tables list about twenty settings, so far fewer means that the
    # pattern no longer matches the tables.
    if len(documented) < 15:
        fail(f"found only {len(documented)} settings in docs/configuration.md: {sorted(documented)}")
    listed, active = example_settings(env_path)
    missing = documented - listed
    if missing:
        fail(f"{env_path} does not list {sorted(missing)}")
    undocumented = listed - documented
    if undocumented:
        fail(f"{env_path} lists settings docs/configuration.md does not: {sorted(undocumented)}")

    work_dir = tempfile.mkdtemp(prefix="parlay-env-")
    service = None
    try:
        settings = dict(active)
        settings["DATABASE_URL"] = os.path.join(work_dir, "parlay.db")
        settings["PORT"] = "0"
        settings["BIND_ADDRESS"] = "127.0.0.1"
        service, base_url = start_service(binary, work_dir, settings)
        status, body = http_get(base_url + "/health")
        if status != 200:
            fail(f"GET /health returned {status}: {body}")
    finally:
        if service is not None:
            service.stop()
        shutil.rmtree(work_dir, ignore_errors=True)
    print(f"PASS: {len(documented)} settings listed; serve started with "
          f"{sorted(active)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
