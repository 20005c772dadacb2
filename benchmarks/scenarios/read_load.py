"""Issue 8, scenario 2: read load at 100,000 claims with `wrk` from a second process.

    .venv/bin/python benchmarks/scenarios/read_load.py [--engine postgresql] [--n 100000]
        [--seconds 15] [--connections 32] [--workers 2]

Needs `wrk` (Debian: apt-get install wrk). Imports --n synthetic claims (benchmarks/
claim_corpus.py, as benchmarks/pages.py does), serves them with `tracker serve --workers 2`,
signs in once (the session cookie is passed to wrk), then runs wrk on the claim list, a search
and the claim page of random ids, one after the other. Prints req/s, p50/p95/p99 and non-2xx
answers per page. Targets (SQLite): the claim page at >= 300 req/s with p95 <= 100 ms; every
page answers without errors."""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from common import (
    ROOT,
    Server,
    Verdicts,
    cli,
    create_users,
    fresh_database,
    parser,
    scratch,
    sign_in,
)
from sqlalchemy import func, select

sys.path.insert(0, str(ROOT / "benchmarks"))
from claim_corpus import generate

from tracker.db import make_engine, make_sessionmaker
from tracker.models import Claim
from tracker.services.audit.log import Actor
from tracker.services.interop.bulk_import import import_claims

LUA = """
math.randomseed(os.time())
local lo, hi = {lo}, {hi}
request = function()
  local path = "{path}"
  if lo > 0 then path = path .. math.random(lo, hi) end
  return wrk.format("GET", path)
end
done = function(summary, latency, requests)
  io.write(string.format("P50 %d\\nP95 %d\\nP99 %d\\n", latency:percentile(50),
    latency:percentile(95), latency:percentile(99)))
  io.write(string.format("BAD %d\\n", summary.errors.status + summary.errors.connect +
    summary.errors.read + summary.errors.write + summary.errors.timeout))
end
"""
PAUSE = 5.0  # seconds between pages
PAGES = {
    "claim list": ("/claims", False),
    "search": ("/search?text=Russia+ratified+the+treaty", False),
    "claim page": ("/claims/", True),
}


def _load(url: str, n: int) -> tuple[int, int]:
    engine = make_engine(url)
    sessions = make_sessionmaker(engine)
    started = time.perf_counter()
    with sessions() as session, session.begin():
        rows = ({"text": t, "language": lang} for lang, t in generate(n))
        import_claims(session, rows, actor=Actor.system("benchmark"))
    with sessions() as session:
        lo, hi = session.execute(select(func.min(Claim.id), func.max(Claim.id))).one()
    engine.dispose()
    print(f"imported {n:,} claims in {time.perf_counter() - started:.0f} s")
    return int(lo), int(hi)


def _embed(url: str, workers: int) -> None:
    """`tracker dedup embed` over every claim: the hybrid's vectors, and the index file in the
    instance folder that the server's workers map."""
    started = time.perf_counter()
    done = cli(url, "dedup", "embed", "--workers", str(workers), "--json")
    if done.returncode != 0:
        sys.exit(f"tracker dedup embed failed: {done.stderr.strip()}")
    report = json.loads(done.stdout)
    print(
        f"dedup embed --workers {workers}: {report['embedded']:,} claims in"
        f" {time.perf_counter() - started:.0f} s (index built and saved)"
    )


def _memory(pid: int) -> str:
    """A worker's resident memory: private pages and file-backed ones (shared)."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "RssAnon", "RssFile"):
            fields[name] = int(value.split()[0]) // 1024
    return (
        f"RSS {fields.get('VmRSS', 0)} MB (private {fields.get('RssAnon', 0)} MB,"
        f" file-backed {fields.get('RssFile', 0)} MB)"
    )


def _wrk(
    base: str, cookie: str, page: str, ids: tuple[int, int], args: argparse.Namespace, work: Path
) -> dict[str, float]:
    path, random_id = PAGES[page]
    script = work / "page.lua"
    lo, hi = ids if random_id else (0, 0)
    script.write_text(LUA.format(lo=lo, hi=hi, path=path))
    done = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{args.connections}",
            f"-d{args.seconds}s",
            "--timeout",
            "30s",
            "-H",
            f"Cookie: {cookie}",
            "-s",
            str(script),
            base,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    out = done.stdout
    figures = {k: float(v) for k, v in re.findall(r"^(P50|P95|P99|BAD) (\d+)", out, re.M)}
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    figures["rps"] = float(rps.group(1)) if rps else 0.0
    total = re.search(r"(\d+) requests in", out)
    figures["requests"] = float(total.group(1)) if total else 0.0
    return figures


def main() -> None:
    p = parser(__doc__)
    p.add_argument("--n", type=int, default=100_000)
    p.add_argument("--seconds", type=int, default=15)
    p.add_argument("--connections", type=int, default=32)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--threads", type=int, default=1, help="threads per worker (tracker serve)")
    p.add_argument(
        "--no-embed",
        action="store_true",
        help="leave the claims without vectors (the search is then lexical only)",
    )
    p.add_argument("--embed-workers", type=int, default=2, help="tracker dedup embed --workers")
    p.add_argument(
        "--pages", nargs="+", choices=list(PAGES), default=list(PAGES), help="pages to load"
    )
    args = p.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed (Debian: apt-get install wrk)")
    v = Verdicts()
    with scratch(args.workdir) as work, fresh_database(args.engine, work) as url:
        ids = _load(url, args.n)
        if not args.no_embed:
            _embed(url, args.embed_workers)
        create_users(url, ["reader"], "viewer")
        server = Server(url, Path(work), args.workers, options=["--threads", str(args.threads)])
        server.start()
        with httpx.Client(base_url=server.base, timeout=60) as client:
            v.check("sign-in", sign_in(client, "reader").status_code == 302)
            cookie = "; ".join(f"{k}={val}" for k, val in client.cookies.items())
            for path, _ in PAGES.values():  # warm up, and check each page answers 200
                probe = path + str(ids[0]) if path.endswith("/") else path
                v.check(f"GET {probe} is 200", client.get(probe).status_code == 200)
            # Every worker loads the model and maps the index on its first search: send
            # concurrent searches so no worker does that during the measured run.
            search = PAGES["search"][0]
            with ThreadPoolExecutor(4 * args.workers) as pool:
                warm = list(
                    pool.map(lambda _: client.get(search).status_code, range(8 * args.workers))
                )
            v.check("every worker warmed up", set(warm) == {200})
        print(
            f"engine {args.engine}, {args.n:,} claims, {args.workers} workers "
            f"x {args.threads} threads, "
            f"{args.connections} connections, {args.seconds} s per page,"
            f" {'lexical only' if args.no_embed else 'hybrid (every claim embedded)'}"
        )
        results = {}
        for page in args.pages:
            # Let the workers finish the previous page's queued requests (wrk closes its
            # connections at the end, but requests already accepted still run).
            time.sleep(PAUSE)
            f = _wrk(server.base, cookie, page, ids, args, work)
            results[page] = f
            print(
                f"{page:11s} {f['rps']:7.1f} req/s  p50 {f['P50'] / 1000:7.1f} ms  "
                f"p95 {f['P95'] / 1000:7.1f} ms  p99 {f['P99'] / 1000:7.1f} ms  "
                f"{int(f['requests'])} requests, {int(f['BAD'])} errors or non-2xx/3xx"
            )
            v.check(f"{page}: no errors", f["BAD"] == 0 and f["requests"] > 0)
        for pid in server.worker_pids():
            print(f"worker {pid}: {_memory(pid)}")
        status = server.stop()
        v.check("no traceback in the server log", "Traceback" not in server.log_text())
        v.check("server stopped cleanly", status == 0)
        claim = results.get("claim page")
        if args.engine == "sqlite" and claim is not None:
            v.check("claim page >= 300 req/s", claim["rps"] >= 300, f"{claim['rps']:.0f}")
            v.check(
                "claim page p95 <= 100 ms", claim["P95"] <= 100_000, f"{claim['P95'] / 1000:.1f} ms"
            )
        search = results.get("search")
        if search is not None:
            v.check(
                "search p95 <= 200 ms", search["P95"] <= 200_000, f"{search['P95'] / 1000:.1f} ms"
            )
    v.exit()


if __name__ == "__main__":
    main()
