"""Web page timings at scale: import N synthetic claims (as scale.py does), sign in, and time
each list and detail page through the app in this process (no network, no browser).

    .venv/bin/python benchmarks/pages.py --n 100000
    .venv/bin/python benchmarks/pages.py --n 100000 --database-url postgresql+psycopg://...

Prints, per page, the status, the median and the slowest of --repeat requests, and the number
of SQL statements one request runs. Load under concurrent clients is issue 8's benchmark.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import event, func, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from claim_corpus import generate

from tracker import create_app, migrate
from tracker.db import make_engine, make_sessionmaker
from tracker.models import Claim
from tracker.services.accounts.users import create_user, get_user, random_password
from tracker.services.audit.log import Actor
from tracker.services.interop.bulk_import import import_claims

PAGES = [
    "/",
    "/claims",
    "/claims?page=1000",
    "/claims?verdict=unreviewed&language=de",
    "/claims/{mid}",
    "/claims/{mid}/edit",
    "/claims/new",
    "/claims/candidates?text=North+Korea+ratified+the+defence+treaty+with+Russia",
    "/search?text=Russia+ratified+the+treaty",
    "/search?verdict=unreviewed&page=3",
    "/sources",
    "/duplicates",
    "/aliases",
    "/audit",
    "/audit?action=claim.",
    "/users",
]


def _prepare(url: str, n: int) -> str:
    engine = make_engine(url)
    migrate.upgrade(engine)
    sessions = make_sessionmaker(engine)
    with sessions() as session:
        stored = session.scalar(select(func.count(Claim.id))) or 0
    if stored < n:
        started = time.perf_counter()
        with sessions() as session, session.begin():
            rows = ({"text": t, "language": lang} for lang, t in generate(n - stored))
            import_claims(session, rows, actor=Actor.system("benchmark"))
        print(f"imported {n - stored:,} claims in {time.perf_counter() - started:.1f} s")
    password = random_password()
    with sessions() as session, session.begin():
        if get_user(session, "bench-admin") is None:
            actor = Actor.system("benchmark")
            create_user(session, "bench-admin", role="admin", password=password, actor=actor)
        else:
            sys.exit("bench-admin exists in this database: use a new one")
    engine.dispose()
    return password


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    scratch = tempfile.TemporaryDirectory()
    url = args.database_url or f"sqlite:///{scratch.name}/pages.sqlite3"
    password = _prepare(url, args.n)
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": random_password() * 3})
    app.config["WTF_CSRF_ENABLED"] = False
    engine = app.extensions["tracker"].engine
    statements = [0]
    event.listen(
        engine, "before_cursor_execute", lambda *a: statements.__setitem__(0, statements[0] + 1)
    )
    client = app.test_client()
    response = client.post("/login", data={"username": "bench-admin", "password": password})
    assert response.status_code == 302, "sign-in failed"
    with app.extensions["tracker"].sessions() as session:
        mid = (session.scalar(select(func.max(Claim.id))) or 2) // 2
    print(f"engine: {engine.dialect.name}  N = {args.n:,}")
    for path in (p.format(mid=mid) for p in PAGES):
        times = []
        for _ in range(args.repeat):
            statements[0] = 0
            started = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - started) * 1000)
        print(
            f"{path:72s} {response.status_code}  median {statistics.median(times):6.1f} ms  "
            f"max {max(times):6.1f} ms  {statements[0]:3d} statements"
        )
    engine.dispose()
    scratch.cleanup()


if __name__ == "__main__":
    main()
