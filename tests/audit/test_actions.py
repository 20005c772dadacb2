"""Every audit action the code records reads as its own sentence, AI statuses read by their
labels, and an event lists only the fields that changed (a confirmed verdict is no change)."""

from __future__ import annotations

import ast
import json
import string
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

import tracker
from tests.helpers.api import Api, api_for
from tracker.models import AuditEvent, Claim, Source
from tracker.services.audit import log as audit
from tracker.services.audit.log import Actor
from tracker.services.audit.sentences import Described, describe
from tracker.services.claims.edit import confirm_verdict, update_claim
from tracker.services.claims.intake import intake_claim
from tracker.services.claims.merge import merge_claims
from tracker.services.sources.flags import set_ai_status
from tracker.services.sources.ingest import SourceMeta, ingest_text

PACKAGE = Path(tracker.__file__).parent
SENTENCES = PACKAGE / "data" / "audit_sentences.toml"
BODY = (
    "The city council approved the new budget on Monday after a long debate about school "
    "funding and road repairs. The mayor said the plan balances growth and care.\n"
)
QUOTE = "The city council approved the new budget on Monday"

# --- which actions the code records ---------------------------------------------------------


class Unresolved(Exception):
    pass


class _Code:
    """The package's modules, its functions by name and every call with its enclosing function."""

    def __init__(self, root: Path) -> None:
        self.modules: dict[Path, ast.Module] = {
            path: ast.parse(path.read_text("utf-8")) for path in sorted(root.rglob("*.py"))
        }
        self.functions: dict[str, list[tuple[ast.FunctionDef, ast.Module]]] = {}
        self.calls: list[tuple[ast.Call, ast.FunctionDef | None, ast.Module, Path]] = []
        for path, module in self.modules.items():
            self._walk(module, None, module, path)

    def _walk(
        self, node: ast.AST, function: ast.FunctionDef | None, module: ast.Module, path: Path
    ) -> None:
        for child in ast.iter_child_nodes(node):
            inner = function
            if isinstance(child, ast.FunctionDef):
                self.functions.setdefault(child.name, []).append((child, module))
                inner = child
            if isinstance(child, ast.Call):
                self.calls.append((child, function, module, path))
            self._walk(child, inner, module, path)


def _name(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return None


def _argument(call: ast.Call, position: int, keyword: str) -> ast.expr | None:
    for given in call.keywords:
        if given.arg == keyword:
            return given.value
    if position < len(call.args) and not any(isinstance(a, ast.Starred) for a in call.args):
        return call.args[position]
    return None


def _assigned(scope: ast.AST, name: str) -> list[ast.expr]:
    """The values assigned to ``name`` directly in ``scope`` (not in nested functions)."""
    found: list[ast.expr] = []
    body = scope.body if isinstance(scope, ast.Module | ast.FunctionDef) else []
    for node in (n for statement in body for n in ast.walk(statement)):
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AnnAssign):
            targets = [node.target]
        value = getattr(node, "value", None)
        if value is not None and any(isinstance(t, ast.Name) and t.id == name for t in targets):
            found.append(value)
    return found


def _resolve(
    code: _Code, expr: ast.expr, function: ast.FunctionDef | None, module: ast.Module, depth: int
) -> set[str]:
    """Every string ``expr`` can be: literals, both sides of ``a if c else b``, the values of a
    module's dict literal it indexes, and names traced to their assignments or, for a
    parameter, to the arguments every caller passes. Anything else is Unresolved."""
    if depth > 8:
        raise Unresolved("too deep")
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        return {expr.value}
    if isinstance(expr, ast.IfExp):
        return _resolve(code, expr.body, function, module, depth + 1) | _resolve(
            code, expr.orelse, function, module, depth + 1
        )
    if isinstance(expr, ast.Subscript) and isinstance(expr.value, ast.Name):
        values = _assigned(module, expr.value.id)
        if len(values) == 1 and isinstance(values[0], ast.Dict):
            found: set[str] = set()
            for value in values[0].values:
                found |= _resolve(code, value, None, module, depth + 1)
            return found
    if isinstance(expr, ast.Name):
        if function is not None and (local := _assigned(function, expr.id)):
            return set().union(*(_resolve(code, v, function, module, depth + 1) for v in local))
        if function is not None:
            params = [*function.args.posonlyargs, *function.args.args]
            names = [a.arg for a in params]
            keyword_only = [a.arg for a in function.args.kwonlyargs]
            if expr.id in names or expr.id in keyword_only:
                position = names.index(expr.id) if expr.id in names else 10**6
                return _from_callers(code, function.name, module, position, expr.id, depth)
        if glob := _assigned(module, expr.id):
            return set().union(*(_resolve(code, v, None, module, depth + 1) for v in glob))
    raise Unresolved(ast.unparse(expr))


def _from_callers(
    code: _Code, function: str, home: ast.Module, position: int, keyword: str, depth: int
) -> set[str]:
    """What the callers of ``function`` pass for one parameter (a ``_private`` function is
    called from its own module only)."""
    found: set[str] = set()
    callers = [
        c
        for c in code.calls
        if _name(c[0]) == function and (not function.startswith("_") or c[2] is home)
    ]
    if not callers:
        raise Unresolved(f"nobody calls {function}()")
    for call, outer, module, _ in callers:
        given = _argument(call, position, keyword)
        if given is None:
            raise Unresolved(f"a call of {function}() without {keyword}")
        found |= _resolve(code, given, outer, module, depth + 1)
    return found


def recorded_actions() -> tuple[set[str], list[str]]:
    """Every action some ``record(session, actor, action, ...)`` call in the package can record,
    and the calls whose action could not be traced to its strings."""
    code = _Code(PACKAGE)
    actions: set[str] = set()
    unresolved: list[str] = []
    for call, function, module, path in code.calls:
        if _name(call) != "record" or len(call.args) + len(call.keywords) < 5:
            continue
        expr = _argument(call, 2, "action")
        where = f"{path.relative_to(PACKAGE.parent)}:{call.lineno}"
        try:
            if expr is None:
                raise Unresolved("no action argument")
            actions |= _resolve(code, expr, function, module, 0)
        except Unresolved as exc:
            unresolved.append(f"{where}: {exc}")
    return actions, unresolved


def _templates() -> dict[str, Any]:
    import tomllib

    actions: dict[str, Any] = tomllib.loads(SENTENCES.read_text("utf-8"))["actions"]
    return actions


def test_every_recorded_action_has_its_own_sentence() -> None:
    actions, unresolved = recorded_actions()
    assert unresolved == [], "audit actions this test cannot trace (use literal strings)"
    # The tracing reaches actions passed through helpers, dict lookups and module constants.
    assert {"dedup.merged", "dedup.distinct", "dedup.linked"} <= actions  # OUTCOME_ACTIONS[...]
    assert {"user.logout", "user.login_locked", "source.recapture"} <= actions  # via parameters
    assert {"claimreview.link", "user.activate", "user.deactivate"} <= actions
    assert {"rereview.mark", "rereview.clear", "verdict.ai_only_override"} <= actions
    templates = _templates()
    missing = sorted(actions - set(templates))
    assert missing == [], f"audit actions without a sentence in {SENTENCES.name}"
    stale = sorted(set(templates) - actions)
    assert stale == [], "sentences for actions the code never records (a misspelt name?)"


def test_every_template_is_well_formed() -> None:
    for action, spec in _templates().items():
        assert spec["text"], action
        for template in spec["text"]:
            names = [n for _, n, _, _ in string.Formatter().parse(template) if n is not None]
            assert "actor" in names or action.startswith("user.login"), (action, template)
        one, many = spec["summary"]
        assert "{n}" in many and "{n}" not in one, action


def test_an_untraceable_action_is_reported(tmp_path: Path) -> None:
    (tmp_path / "mod.py").write_text(
        "def change(session, actor, thing):\n"
        "    record(session, actor, 'thing.' + thing, 'thing', 1)\n"
        "def other(session, actor, verb):\n"
        "    record(session, actor, verb, 'thing', 1)\n"
        "def fine(session, actor, verb):\n"
        "    record(session, actor, verb, 'thing', 1)\n"
        "def caller(session, actor):\n"
        "    fine(session, actor, 'thing.made')\n"
        "    fine(session, actor, verb='thing.kept' if actor else 'thing.dropped')\n"
        "    other(session, actor, 'thing.made')\n"
        "    other(session, actor, verb='thing.' + 'x')\n",
        "utf-8",
    )
    code = _Code(tmp_path)
    found, errors = set(), []
    for call, function, module, _ in code.calls:
        if _name(call) == "record":
            try:
                found |= _resolve(code, call.args[2], function, module, 0)
            except Unresolved as exc:
                errors.append(str(exc))
    assert found == {"thing.made", "thing.kept", "thing.dropped"}
    assert errors == ["'thing.' + thing", "'thing.' + 'x'"]  # change(), and one call of other()


# --- the sentences, read from real events ----------------------------------------------------


def _article(session: Session, actor: Actor, n: int) -> Source:
    body = BODY.replace("Monday", f"Monday {n}") if n else BODY
    source, _ = ingest_text(
        session,
        f"Budget news {n}\n\n{body}",
        actor=actor,
        origin=f"t{n}",
        meta=SourceMeta(language="en"),
    )
    return source


def _claim(session: Session, actor: Actor, source: Source, verdict: str, text: str) -> Claim:
    return intake_claim(
        session, text, actor=actor, source_id=source.id, quote=QUOTE, verdict=verdict
    ).claim


def _described(session: Session, action: str) -> list[Described]:
    query = select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
    return describe(session, list(session.scalars(query)))


@pytest.fixture
def marked(session: Session) -> Iterator[tuple[Source, Claim]]:
    """A claim rated unverifiable on a source an editor then sets to AI-generated (reviewer)."""
    editor = Actor(name="user:demo", request_id="req-1")
    source = _article(session, editor, 0)
    claim = _claim(session, editor, source, "unverifiable", "The council approved the budget")
    set_ai_status(session, source.id, "ai_reviewer", reason="drafted by a model", actor=editor)
    yield source, claim


def test_ai_status_reads_by_its_label(session: Session, marked: tuple[Source, Claim]) -> None:
    source, _ = marked
    [flag] = _described(session, "source.ai_flag")
    assert flag.text.startswith(f"demo set the AI status of source #{source.id} (Budget news 0)")
    assert flag.text.endswith(" to AI-generated (reviewer)")
    rows = {c.label: (c.before, c.after) for c in flag.changes}
    assert rows["AI status"] == ("unknown", "AI-generated (reviewer)")
    assert rows["ai flag by"] == (None, "demo")  # not "user:demo"
    assert "ai reviewer" not in str(rows) and "ai_reviewer" not in flag.text
    [created] = _described(session, "source.create")
    assert ("AI status", None, "unknown") in [(c.label, c.before, c.after) for c in created.changes]


def test_rereview_mark_and_confirm_read_as_sentences(
    session: Session, marked: tuple[Source, Claim]
) -> None:
    source, claim = marked
    [mark] = _described(session, "rereview.mark")
    why = f"source #{source.id} is now AI-generated (reviewer)"
    assert mark.text == f"demo marked claim #{claim.id} as needing re-review: {why}"
    assert [(c.label, c.before, c.after) for c in mark.changes] == [("needs re-review", None, why)]
    confirm_verdict(session, claim.id, reason="other sources say so too", actor=Actor("user:ed"))
    [cleared] = _described(session, "rereview.clear")
    assert (
        cleared.text
        == f"ed confirmed the verdict Unverifiable of claim #{claim.id} after re-review"
    )
    assert cleared.event.changes == {
        "needs_review": {"before": [why], "after": None},
        "confirmed_verdict": {"before": None, "after": "unverifiable"},
    }
    rows = {c.label: (c.before, c.after) for c in cleared.changes}
    assert rows == {
        "needs re-review": (why, "not set"),
        "confirmed verdict": (None, "Unverifiable"),
    }
    assert claim.rereview is None


def test_a_confirm_records_no_verdict_change(
    session: Session, marked: tuple[Source, Claim], signed_in: Callable[[str], FlaskClient]
) -> None:
    _, claim = marked
    confirm_verdict(session, claim.id, reason="other sources say so too", actor=Actor("user:ed"))
    session.commit()
    claim_events = session.scalars(
        select(AuditEvent).where(AuditEvent.entity_type == "claim").order_by(AuditEvent.id)
    ).all()
    confirm = claim_events[-1]
    assert confirm.action == "rereview.clear" and confirm.reason == "other sources say so too"
    for event in claim_events:  # no event lists a field that stayed as it was
        for name, change in event.changes.items():
            if isinstance(change, dict) and set(change) == {"before", "after"}:
                assert change["before"] != change["after"], (event.action, name)
    assert "verdict" not in confirm.changes
    page = signed_in("viewer").get("/audit").get_data(as_text=True)
    assert "Unverifiable → Unverifiable" not in page
    assert f'confirmed the verdict Unverifiable of <a href="/claims/{claim.id}">' in page
    assert "recorded “rereview" not in page and "ai reviewer" not in page
    assert "as needing re-review: source #" in page


def test_a_verdict_change_clears_the_mark_without_a_confirmation(
    session: Session, marked: tuple[Source, Claim]
) -> None:
    _, claim = marked
    update_claim(
        session,
        claim.id,
        expected_version=claim.version,
        actor=Actor("user:ed"),
        reason="the model wrote it",
        verdict="false",
    )
    [cleared] = _described(session, "rereview.clear")
    assert set(cleared.event.changes) == {"needs_review"}
    assert cleared.text.startswith(f"ed cleared the re-review mark of claim #{claim.id}: source #")
    [update] = _described(session, "claim.update")
    assert update.event.changes["verdict"] == {"before": "unverifiable", "after": "false"}


def test_record_leaves_out_unchanged_fields(session: Session, actor: Actor) -> None:
    event = audit.record(
        session,
        actor,
        "claim.update",
        "claim",
        1,
        {
            "verdict": {"before": "false", "after": "false"},
            "confidence": {"before": 0.5, "after": 0.7},
            "spans": {"before": [[1, 2]], "after": ((1, 2),)},  # the same once stored as JSON
            "note": {"after": "kept: not a before/after pair"},
        },
    )
    assert event.changes == {
        "confidence": {"before": 0.5, "after": 0.7},
        "note": {"after": "kept: not a before/after pair"},
    }


def test_a_dedup_merge_reads_as_a_sentence(session: Session, actor: Actor) -> None:
    desk = Actor(name="user:demo", request_id="req-2")
    source = _article(session, desk, 0)
    first = _claim(session, desk, source, "unreviewed", "The council approved the budget")
    second = _claim(session, desk, source, "unreviewed", "Der Rat hat den Haushalt beschlossen")
    merge_claims(session, second.id, first.id, reason="The same claim, in German.", actor=desk)
    [merged] = _described(session, "dedup.merged")
    low, high = sorted((first.id, second.id))
    assert merged.text == (
        f"demo judged claim #{low} and claim #{high} to be the same claim and merged them"
    )
    refs = {(p.kind, p.ref) for p in merged.sentence if p.kind}
    assert refs == {("claim", str(low)), ("claim", str(high))}
    rows = {c.label: c.after for c in merged.changes}
    assert rows["claim"] == f"claim #{low}" and rows["other claim"] == f"claim #{high}"


# --- the CLI and the API show the same events --------------------------------------------------


def test_cli_and_api_list_no_unchanged_verdict(
    session: Session,
    marked: tuple[Source, Claim],
    run_cli: Callable[..., Any],
    client: FlaskClient,
    actor: Actor,
) -> None:
    _, claim = marked
    confirm_verdict(session, claim.id, reason="other sources say so too", actor=Actor("user:ed"))
    session.commit()
    history = run_cli("audit", "history", "claim", str(claim.id), "--json")
    [cleared] = [e for e in json.loads(history.stdout)["events"] if e["action"] == "rereview.clear"]
    assert "verdict" not in cleared["changes"]
    assert cleared["changes"]["confirmed_verdict"]["after"] == "unverifiable"
    text = run_cli("audit", "history", "claim", str(claim.id)).stdout
    assert "verdict: unverifiable -> unverifiable" not in text
    assert "confirmed_verdict: - -> unverifiable" in text
    rows = run_cli("audit", "query", "--action", "rereview.clear", "--json").stdout
    [row] = json.loads(rows)
    assert set(row["changes"]) == {"needs_review", "confirmed_verdict"}
    api: Api = partial(api_for, client, session, actor)("viewer")
    listed = api.get("/audit/events?action=rereview.clear").get_json()["items"]
    assert [set(item["changes"]) for item in listed] == [{"needs_review", "confirmed_verdict"}]
