"""Issue 8, scenario 6: brute force on one account, across gunicorn workers.

    .venv/bin/python benchmarks/scenarios/brute_force.py [--engine postgresql]
        [--attempts 1000] [--clients 8] [--addresses 4] [--workers 4]

The server runs with TRACKER_PROXY_COUNT=1, so each simulated client address is sent as
X-Forwarded-For. --clients concurrent httpx clients send --attempts wrong-password sign-ins for
one account from --addresses attacker addresses. Checks: every answer is 401 or 429; no address
gets more than the per-account-and-address limit of 401s before 429 starts; the account
gets at most the per-account limit of 401s over all addresses, then is locked (one
user.login_locked event); the real user, signing in from another address during and after the
attack, gets in before the lock and a 429 saying the account is locked after it;
user.login_failed + user.login_throttled events == attempts; `tracker audit verify` ok;
integrity ok on SQLite."""

from __future__ import annotations

import threading
import time
from collections import Counter
from pathlib import Path

import httpx
from common import (
    PASSWORD,
    Server,
    Verdicts,
    audit_verify,
    create_users,
    csrf_token,
    fresh_database,
    integrity_ok,
    parser,
    scratch,
)
from sqlalchemy import func, select

from tracker.db import make_engine, make_sessionmaker
from tracker.models import AuditEvent
from tracker.services.accounts.throttle import FAILED, LOCKED, PER_ACCOUNT, PER_ACCOUNT_ADDRESS

TARGET = "target"


def _attempt_loop(base: str, address: str, todo: list[int], answers: Counter[str]) -> None:
    headers = {"X-Forwarded-For": address}
    with httpx.Client(base_url=base, timeout=120, headers=headers) as client:
        token = csrf_token(client.get("/login").text)
        while True:
            with lock:
                if not todo:
                    return
                todo.pop()
            answer = client.post(
                "/login",
                data={"username": TARGET, "password": "wrong guess", "csrf_token": token},
            )
            with lock:
                answers[f"{address} {answer.status_code}"] += 1


lock = threading.Lock()


def _real_user(base: str) -> tuple[int, str]:
    with httpx.Client(base_url=base, timeout=120, headers={"X-Forwarded-For": "10.9.9.9"}) as c:
        token = csrf_token(c.get("/login").text)
        data = {"username": TARGET, "password": PASSWORD, "csrf_token": token}
        answer = c.post("/login", data=data)
        return answer.status_code, answer.text


def _audited(url: str, actions: tuple[str, ...]) -> int:
    engine = make_engine(url)
    with make_sessionmaker(engine)() as session:
        count = session.scalar(
            select(func.count()).where(
                AuditEvent.action.in_(actions),
                AuditEvent.changes[("username", "after")].as_string() == TARGET,
            )
        )
    engine.dispose()
    return int(count or 0)


def main() -> None:
    p = parser(__doc__)
    p.add_argument("--attempts", type=int, default=1000)
    p.add_argument("--clients", type=int, default=8)
    p.add_argument("--addresses", type=int, default=4)
    p.add_argument("--workers", type=int, default=4)
    args = p.parse_args()
    v = Verdicts()
    with scratch(args.workdir) as work, fresh_database(args.engine, work) as url:
        create_users(url, [TARGET], "editor")
        server = Server(url, Path(work), args.workers, env={"TRACKER_PROXY_COUNT": "1"})
        server.start()
        todo = list(range(args.attempts))
        answers: Counter[str] = Counter()
        addresses = [f"203.0.113.{i + 1}" for i in range(args.addresses)]
        threads = [
            threading.Thread(
                target=_attempt_loop,
                args=(server.base, addresses[i % len(addresses)], todo, answers),
            )
            for i in range(args.clients)
        ]
        started = time.monotonic()
        for t in threads:
            t.start()
        time.sleep(1)
        during, _ = _real_user(server.base)
        for t in threads:
            t.join()
        elapsed = time.monotonic() - started
        after, after_page = _real_user(server.base)
        status = server.stop()
        log = server.log_text()
        statuses = Counter(key.split()[1] for key in answers.elements())
        per_address = {a: answers[f"{a} 401"] for a in addresses}
        print(
            f"engine {args.engine}, {args.attempts} attempts, {args.clients} clients, "
            f"{args.workers} workers: {elapsed:.1f} s ({args.attempts / elapsed:.0f}/s)"
        )
        print(f"answers {dict(statuses)}; 401s per address {per_address}")
        v.check("every attempt answered 401 or 429", set(statuses) <= {"401", "429"})
        v.check("all attempts sent", sum(statuses.values()) == args.attempts)
        v.check(
            f"at most {PER_ACCOUNT_ADDRESS} failures per address before 429",
            max(per_address.values()) <= PER_ACCOUNT_ADDRESS,
            str(max(per_address.values())),
        )
        v.check("past the limit the answer is 429", statuses["429"] > 0)
        v.check(
            f"at most {PER_ACCOUNT} failures for the account over all addresses",
            statuses["401"] <= PER_ACCOUNT,
            str(statuses["401"]),
        )
        locks = _audited(url, (LOCKED,))
        v.check("the account is locked once, and the lock audited", locks == 1, str(locks))
        v.check("real user during the attack: signed in, or told of the lock", during in (302, 429))
        v.check(
            "real user after the attack: 429 saying the account is locked",
            after == 429 and "this account is locked" in after_page,
        )
        audited = _audited(url, FAILED)
        refused_real = (during == 429) + (after == 429)  # the real user's refusals are audited too
        v.check(
            "every attempt audited", audited == args.attempts + refused_real, f"{audited} events"
        )
        v.check("no traceback in the server log", "Traceback" not in log)
        v.check("server stopped cleanly", status == 0, str(status))
        v.check("tracker audit verify", *audit_verify(url))
        v.check("PRAGMA integrity_check", *integrity_ok(url))
    v.exit()


if __name__ == "__main__":
    main()
