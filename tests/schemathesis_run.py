"""Fuzz the JSON API against its own OpenAPI document with Schemathesis.

Not a pytest module (no ``test_`` prefix): run it as ``python tests/schemathesis_run.py``.
It makes a temporary SQLite database (migrations plus the demo seeds, as ``tracker demo
--no-serve`` loads them), issues an admin token, serves the app on a free local port in a
thread, and runs ``schemathesis run`` with every check, a fixed seed and a bounded number of
examples per operation. The exit status is Schemathesis's: non-zero on any server error or
response that does not match the document.

Options after ``--`` go to ``schemathesis run`` (e.g. ``-- --max-examples 5``)."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from werkzeug.serving import make_server  # noqa: E402

from tracker.app import build_app  # noqa: E402
from tracker.db import make_engine, make_sessionmaker  # noqa: E402
from tracker.services.accounts.api_tokens import issue_token  # noqa: E402
from tracker.services.audit.log import Actor  # noqa: E402
from tracker.services.text.language import detect_language  # noqa: E402

MAX_EXAMPLES = 25
SEED = 20261122
# Every check but one. positive_data_acceptance expects every schema-valid request to be
# accepted, but the domain refuses some that JSON Schema cannot describe: an opaque cursor
# this API did not give out, a stale `version` on a merged claim, `link_to` or offsets
# without the rest of the excerpt, offsets past a source's end, a quote that is not in the
# source, binary-looking or undated source text, NUL characters in any text. Each of those
# answers a 422 problem naming the field, which the other checks do verify.
EXCLUDED_CHECKS = "positive_data_acceptance"


def _script(name: str) -> str:
    """A console script of the environment running this file (.venv/bin/...)."""
    return str(Path(sys.executable).with_name(name))


def _tracker(url: str, *args: str) -> None:
    command = [_script("tracker"), "--database-url", url, *args]
    subprocess.run(command, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)


def _admin_token(url: str) -> str:
    engine = make_engine(url)
    try:
        with make_sessionmaker(engine)() as session:
            _, raw = issue_token(session, role="admin", actor=Actor.system("schemathesis"))
            session.commit()
    finally:
        engine.dispose()
    return raw


def main(extra: list[str]) -> int:
    with tempfile.TemporaryDirectory(prefix="tracker-schemathesis-") as folder:
        url = f"sqlite:///{Path(folder) / 'tracker.sqlite3'}"
        _tracker(url, "db", "upgrade")
        _tracker(url, "demo", "--no-serve")
        token = _admin_token(url)
        # Load the language detector's models now: the first source added would otherwise
        # take some 20 s, over Schemathesis's response time limit.
        detect_language("The treaty obliges each side to give immediate military assistance.")
        app = build_app(
            {
                "DATABASE_URL": url,
                "SECRET_KEY": os.urandom(32).hex(),
                "API_RATE_LIMIT": 0,  # the fuzzer sends far more than a person would
                "AUTO_UPGRADE": False,
                # The fuzzer's URLs are never fetched (POST /sources with a url answers 422).
                "FETCH_ENABLED": False,
            }
        )
        # One line per request, and a warning per refused token, would drown the report.
        logging.getLogger("werkzeug").setLevel(logging.ERROR)
        logging.getLogger("tracker.api.auth").setLevel(logging.ERROR)
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        base = f"http://127.0.0.1:{server.server_port}"
        try:
            command = [
                _script("schemathesis"),
                "run",
                f"{base}/api/v1/openapi.json",
                "--header",
                f"Authorization: Bearer {token}",
                "--checks",
                "all",
                "--exclude-checks",
                EXCLUDED_CHECKS,
                "--max-examples",
                str(MAX_EXAMPLES),
                "--seed",
                str(SEED),
                "--workers",
                "1",
                "--output-sanitize",
                "true",
                *extra,
            ]
            return subprocess.run(command, cwd=folder, check=False).returncode
        finally:
            server.shutdown()
            thread.join(timeout=10)


if __name__ == "__main__":
    arguments = sys.argv[1:]
    if arguments[:1] == ["--"]:
        arguments = arguments[1:]
    sys.exit(main(arguments))
