"""Run the issue 8 scenarios on SQLite and PostgreSQL, with short durations by default.

    .venv/bin/python benchmarks/scenarios/run_all.py [--engines sqlite postgresql] [--full]

--full uses each scenario's own defaults (60 s, 100,000 claims, 20 rounds, 1,000 attempts);
without it the runs are short. PostgreSQL runs use SCENARIO_PG_URL (default
postgresql+psycopg://postgres@127.0.0.1:5432/postgres) to create and drop a scratch database.
Exit status 1 if any scenario failed."""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SHORT = {
    "concurrent_reviewers.py": ["--seconds", "15"],
    "read_load.py": ["--n", "10000", "--seconds", "5"],
    "crash_writes.py": ["--rounds", "4", "--pairs", "3"],
    "backup_under_load.py": ["--backups", "2", "--interval", "2"],
    "brute_force.py": ["--attempts", "300"],
}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--engines", nargs="+", default=["sqlite", "postgresql"])
    p.add_argument("--full", action="store_true")
    p.add_argument("--only", nargs="*", help="scenario file names to run (default: all)")
    args = p.parse_args()
    failed = []
    for engine in args.engines:
        for script, short in SHORT.items():
            if args.only and script not in args.only:
                continue
            command = [sys.executable, str(HERE / script), "--engine", engine]
            command += [] if args.full else short
            print(f"\n=== {' '.join(command[1:])}", flush=True)
            started = time.monotonic()
            code = subprocess.run(command, check=False).returncode
            print(f"=== exit {code} in {time.monotonic() - started:.0f} s", flush=True)
            if code:
                failed.append(f"{script} on {engine}")
    print("\nfailed: " + ", ".join(failed) if failed else "\nevery scenario passed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
