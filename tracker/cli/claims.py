"""`tracker claims ...` and `tracker aliases ...`: claims, deduplication, merges, aliases."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Any, TextIO

import click
from sqlalchemy.orm import Session

from tracker.cli.support import domain_errors, emit, session_scope, state
from tracker.models import Verdict
from tracker.services.audit.log import Actor
from tracker.services.claims.as_of import claim_as_of, parse_when
from tracker.services.claims.edit import confirm_verdict
from tracker.services.claims.intake import intake_claim
from tracker.services.claims.merge import merge_claims, unmerge_claim
from tracker.services.claims.provenance import check_class, provenance
from tracker.services.claims.records import claim_to_dict, get_claim, list_claims, unlink_evidence
from tracker.services.dedup.aliases import (
    add_alias,
    alias_index,
    alias_map,
    remove_alias,
    renormalize_all,
)
from tracker.services.dedup.matching import (
    Match,
    Thresholds,
    match,
    record_decision,
    semantic_coverage,
)
from tracker.services.dedup.scan import apply_auto as apply_auto_merges
from tracker.services.dedup.scan import scan
from tracker.services.interop.bulk_import import import_claims, read_rows
from tracker.services.text.display import format_percent, format_when, stance_word, verdict_label

STANCES = click.Choice(["supports", "refutes", "mentions"])
VERDICTS = click.Choice([v.value for v in Verdict])


def _print_matches(matches: list[Match]) -> None:
    if not matches:
        click.echo("no candidates")
    for m in matches:
        warn = f"  [{', '.join(w.code for w in m.warnings)}]" if m.warnings else ""
        click.echo(f"{m.claim_id:>7}  {m.score:5.1f}  {m.level:7}  {m.text}{warn}  ({m.tiers})")


def _note_coverage(session: Session) -> None:
    """Say on stderr how many claims the semantic tier cannot see yet."""
    left = semantic_coverage(session)
    if left is None:
        click.echo("semantic tier off (TRACKER_SEMANTIC=0): lexical matching only", err=True)
    elif left.missing:
        click.echo(
            f"{left.missing} of {left.claims} claims have no vector yet (lexical matching"
            " only for them): run `tracker dedup embed`",
            err=True,
        )


@click.group()
def claims() -> None:
    """Claims: add, match, list, show, merge and unmerge."""


@claims.command("add")
@click.argument("text")
@click.option("--language", help="BCP-47 tag of the claim text.")
@click.option("--source", "source_id", type=int, help="Source the quote comes from.")
@click.option("--quote", help="Exact (or nearly exact) words of the source.")
@click.option("--occurrence", type=click.IntRange(min=1), help="Which copy of a repeated quote.")
@click.option("--stance", type=STANCES, default="supports", show_default=True)
@click.option("--verdict", type=VERDICTS, default="unreviewed", show_default=True)
@click.option("--confidence", type=click.FloatRange(0, 1))
@click.option("--rationale", default="")
@click.option(
    "--override-reason", help="Needed for true or mostly true on AI-generated evidence only."
)
@click.option("--link-to", type=int, help="Link the excerpt to this existing claim instead.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def claims_add(
    text: str,
    language: str | None,
    source_id: int | None,
    quote: str | None,
    occurrence: int | None,
    stance: str,
    verdict: str,
    confidence: float | None,
    rationale: str,
    override_reason: str | None,
    link_to: int | None,
    as_json: bool,
) -> None:
    """Add a claim; its near-duplicates are shown first.

    On a terminal you may pick a candidate to link the excerpt to; otherwise the claim is
    created and the candidates are printed."""
    actor = Actor.cli()
    with domain_errors(), session_scope() as session:
        candidates = None
        if link_to is None and quote is not None and not as_json and sys.stdin.isatty():
            candidates = match(session, text, language=language)
            link_to = _choose(candidates)
        result = intake_claim(
            session,
            text,
            actor=actor,
            language=language,
            source_id=source_id,
            quote=quote,
            occurrence=occurrence,
            stance=stance,
            verdict=verdict,
            confidence=confidence,
            rationale=rationale,
            override_reason=override_reason,
            link_to=link_to,
            candidates=candidates,
        )
        data: dict[str, Any] = {
            "claim": claim_to_dict(result.claim),
            "linked": result.linked,
            "candidates": [m.as_dict() for m in result.candidates],
        }
        if result.anchor is not None:
            data["anchor"] = {"method": result.anchor.method, "score": result.anchor.score}
    if as_json:
        emit(data)
        return
    verb = "linked the excerpt to claim" if result.linked else "created claim"
    click.echo(f"{verb} {data['claim']['id']} (version {data['claim']['version']})")
    _print_matches(result.candidates)


def _choose(candidates: list[Match]) -> int | None:
    shown = [m for m in candidates if m.level != "none"]
    if not shown:
        return None
    click.echo("The team may already have this claim:")
    _print_matches(shown)
    answer: int = click.prompt("Claim id to link to (0 = create a new claim)", type=int, default=0)
    return answer or None


@claims.command("match")
@click.argument("text", required=False)
@click.option(
    "--file",
    "file",
    type=click.File("r", encoding="utf-8"),
    help="Match many texts: one per line, or id<TAB>text; prints one JSON line each.",
)
@click.option("--limit", default=5, show_default=True, type=click.IntRange(min=1, max=100))
@click.option("--language", help="BCP-47 tag of the text(s).")
@click.option("--auto", "t_auto", default=Thresholds.auto, show_default=True, type=float)
@click.option("--suggest", "t_suggest", default=Thresholds.suggest, show_default=True, type=float)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def claims_match(
    text: str | None,
    file: TextIO | None,
    limit: int,
    language: str | None,
    t_auto: float,
    t_suggest: float,
    as_json: bool,
) -> None:
    """Print the stored claims most like TEXT, best first. Writes nothing."""
    if (text is None) == (file is None):
        raise click.UsageError("give TEXT or --file, not both")
    with domain_errors(), session_scope() as session:
        thresholds = Thresholds(auto=t_auto, suggest=t_suggest)
        table = alias_index(session)
        if file is not None:
            for number, line in enumerate(file, start=1):
                query_id, tab, query = line.rstrip("\r\n").partition("\t")
                if not tab:  # a line without an id: numbered
                    query_id, query = str(number), query_id
                if not query.strip():
                    continue
                found = match(
                    session,
                    query,
                    language=language,
                    limit=limit,
                    thresholds=thresholds,
                    aliases=table,
                )
                click.echo(
                    json.dumps(
                        {
                            "id": query_id,
                            "query": query,
                            "candidates": [m.as_dict() for m in found],
                        },
                        ensure_ascii=False,
                    )
                )
            return
        assert text is not None
        found = match(
            session, text, language=language, limit=limit, thresholds=thresholds, aliases=table
        )
        _note_coverage(session)
    if as_json:
        emit([m.as_dict() for m in found])
    else:
        _print_matches(found)


@claims.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print a JSON report.")
def claims_import(path: Path, as_json: bool) -> None:
    """Import claims from a CSV or JSON file (text, language, verdict, confidence, rationale,
    source, quote, stance). Bad rows are reported; good rows are kept."""
    with domain_errors(), session_scope() as session:
        rows = read_rows(path)
        with click.progressbar(
            length=0, label="importing", file=sys.stderr, hidden=not sys.stderr.isatty()
        ) as bar:
            report = import_claims(session, rows, actor=Actor.cli(), progress=bar.update)
    if as_json:
        emit(report.as_dict())
    else:
        for error in report.errors:
            click.echo(f"row {error['row']}: {error['error']}", err=True)
        click.echo(f"imported {report.created} claims, {len(report.errors)} rows refused")
    if report.errors:
        sys.exit(1)


@claims.command("list")
@click.option(
    "--provenance",
    "provenance_class",
    type=click.Choice(["ai-only", "mixed", "independent", "none"], case_sensitive=False),
    help="Only claims whose support is AI-only, mixed, independent, or none.",
)
@click.option(
    "--needs-review", is_flag=True, help="Only claims marked for re-review (with the reasons)."
)
@click.option("--verdict", type=VERDICTS, help="Only claims with this verdict.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def claims_list(
    provenance_class: str | None, needs_review: bool, verdict: str | None, as_json: bool
) -> None:
    """List claims with their verdict, confidence and evidence (and where their support
    comes from)."""
    with domain_errors(), session_scope() as session:
        found = [c for c in list_claims(session) if verdict is None or c.verdict == verdict]
        classes = provenance(session, [c.id for c in found])
        wanted = check_class(provenance_class) if provenance_class else None
        items = [
            claim_to_dict(c) | {"provenance": classes[c.id].as_dict()}
            for c in found
            if (wanted is None or classes[c.id].cls == wanted)
            and (not needs_review or c.needs_review)
        ]
    if as_json:
        emit(items)
        return
    click.echo(f"{'id':>6}  {'verdict':13} {'confidence':>10}  {'evidence':8}  text")
    for c in items:
        merged = f" -> merged into {c['merged_into']}" if c["merged_into"] else ""
        shown = format_percent(c["confidence"])
        evidence = f"{len(c['evidence'])} ex."
        line = f"{c['id']:>6}  {verdict_label(c['verdict']):13} {shown:>10}  {evidence:8}  "
        click.echo(line + c["text"] + merged)
        if c["needs_review"]:
            click.echo(f"{'':8}needs re-review: {'; '.join(c['needs_review_reasons'])}")


def _show_claim(data: dict[str, Any]) -> None:
    """One claim for a person: its fields, then each piece of evidence with its quote."""
    merged = f" (merged into #{data['merged_into']})" if data.get("merged_into") else ""
    click.echo(f"Claim #{data['id']}{merged}")
    click.echo(f"  {data['text']}")
    click.echo("")
    rows = [
        ("Verdict", verdict_label(data.get("verdict"))),
        ("Confidence", format_percent(data.get("confidence"))),
        ("Language", data.get("language") or "not known"),
        ("Version", data.get("version")),
    ]
    if data.get("as_of"):
        rows.append(("As of", format_when(data["as_of"])))
    for label, value in rows:
        if value is not None:
            click.echo(f"  {label + ':':12} {value}")
    if data.get("proposed_verdict") or data.get("proposed_confidence") is not None:
        proposed = (
            verdict_label(data.get("proposed_verdict")) if data.get("proposed_verdict") else ""
        )
        if data.get("proposed_confidence") is not None:
            shown = format_percent(data["proposed_confidence"])
            proposed = f"{proposed}, {shown}" if proposed else shown
        by = f" (by {data['proposed_by']})" if data.get("proposed_by") else ""
        click.echo(f"  {'Proposed:':12} {proposed}{by}")
    if data.get("rationale"):
        click.echo(f"  {'Reason:':12} {data['rationale']}")
    if data.get("provenance"):
        click.echo(f"  {'Provenance:':12} {data['provenance'].get('summary', '')}")
    if data.get("needs_review"):
        click.echo(f"  {'Re-review:':12} needed: {'; '.join(data.get('needs_review_reasons', []))}")
    evidence = data.get("evidence") or []
    click.echo("")
    click.echo(f"Evidence ({len(evidence)})" if evidence else "No evidence linked.")
    for item in evidence:
        quote = next(
            (s["exact"] for s in item.get("selectors", []) if s.get("type") == "TextQuoteSelector"),
            None,
        )
        where: dict[str, Any] = next(
            (s for s in item.get("selectors", []) if s.get("type") == "TextPositionSelector"), {}
        )
        span = f", characters {where['start']}–{where['end']}" if where else ""
        click.echo(
            f"  - {stance_word(item.get('stance'))}: excerpt {item.get('excerpt_id')} "
            f"of source #{item.get('source_id')}{span}"
        )
        if quote:
            click.echo(f"    “{quote}”")


@claims.command("show")
@click.argument("claim_id", type=int)
@click.option(
    "--as-of",
    "as_of",
    help='Show the claim as it was then, rebuilt from the audit log ("2024-05-01 12:00"; '
    "no offset: UTC).",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def claims_show(claim_id: int, as_of: str | None, as_json: bool) -> None:
    """Show one claim with its evidence and selectors (or, with --as-of, as it was then)."""
    with domain_errors(), session_scope() as session:
        if as_of is not None:
            data = claim_as_of(session, claim_id, parse_when(as_of))
        else:
            data = claim_to_dict(get_claim(session, claim_id))
            data["provenance"] = provenance(session, [claim_id])[claim_id].as_dict()
    if as_json:
        emit(data)
        return
    _show_claim(data)


@claims.command("confirm")
@click.argument("claim_id", type=int)
@click.option("--reason", required=True, help="Why the verdict still holds.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def claims_confirm(claim_id: int, reason: str, as_json: bool) -> None:
    """Confirm the verdict of CLAIM_ID, marked for re-review: the marker is cleared."""
    with domain_errors(), session_scope() as session:
        data = claim_to_dict(confirm_verdict(session, claim_id, reason=reason, actor=Actor.cli()))
    if as_json:
        emit(data)
    else:
        click.echo(f"claim {claim_id}: verdict {data['verdict']} confirmed, re-review done")


@claims.command("unlink")
@click.argument("claim_id", type=int)
@click.argument("evidence_id", type=int)
@click.option("--reason", required=True, help="Why the excerpt is not evidence for the claim.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def claims_unlink(claim_id: int, evidence_id: int, reason: str, as_json: bool) -> None:
    """Unlink evidence EVIDENCE_ID from CLAIM_ID (a final verdict then needs re-review)."""
    with domain_errors(), session_scope() as session:
        claim = unlink_evidence(session, claim_id, evidence_id, reason=reason, actor=Actor.cli())
        data = claim_to_dict(claim)
    if as_json:
        emit(data)
    else:
        marked = " (needs re-review)" if data["needs_review"] else ""
        click.echo(f"claim {claim_id}: evidence {evidence_id} unlinked{marked}")


@claims.command("merge")
@click.argument("claim_id", type=int)
@click.argument("into_id", type=int)
@click.option("--reason", required=True, help="Why the two are the same claim.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def claims_merge(claim_id: int, into_id: int, reason: str, as_json: bool) -> None:
    """Merge CLAIM_ID into INTO_ID: its evidence moves, and it redirects there."""
    with domain_errors(), session_scope() as session:
        record = merge_claims(session, claim_id, into_id, reason=reason, actor=Actor.cli())
        data = {
            "merge_id": record.id,
            "claim_id": claim_id,
            "into_id": into_id,
            "evidence_moved": record.snapshot["moved"],
            "evidence_already_on_target": record.snapshot["dropped"],
        }
    if as_json:
        emit(data)
    else:
        click.echo(
            f"merged claim {claim_id} into {into_id} "
            f"({len(data['evidence_moved'])} evidence links moved)"
        )


@claims.command("unmerge")
@click.argument("claim_id", type=int)
@click.option("--reason", help="Why the merge was wrong.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def claims_unmerge(claim_id: int, reason: str | None, as_json: bool) -> None:
    """Undo the merge of CLAIM_ID exactly: its evidence, fields and version come back."""
    with domain_errors(), session_scope() as session:
        data = claim_to_dict(unmerge_claim(session, claim_id, actor=Actor.cli(), reason=reason))
    if as_json:
        emit(data)
    else:
        click.echo(
            f"claim {claim_id} restored (version {data['version']}, "
            f"{len(data['evidence'])} evidence links)"
        )


@claims.command("distinct")
@click.argument("claim_id", type=int)
@click.argument("other_id", type=int)
@click.option("--reason", required=True, help="What makes them different claims.")
def claims_distinct(claim_id: int, other_id: int, reason: str) -> None:
    """Record that two claims are different; the pair is not suggested again."""
    with domain_errors(), session_scope() as session:
        decision = record_decision(
            session, claim_id, other_id, "distinct", actor=Actor.cli(), reason=reason
        )
        click.echo(
            f"recorded: claims {claim_id} and {other_id} are distinct "
            f"(score {decision.score}, warnings {len(decision.warnings)})"
        )


@click.group()
def aliases() -> None:
    """Entity aliases used by claim normalisation."""


@aliases.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def aliases_list(as_json: bool) -> None:
    """List surface forms and the entity each stands for."""
    with session_scope() as session:
        table = alias_map(session)
    if as_json:
        emit(table)
        return
    for surface, canonical in sorted(table.items(), key=lambda kv: (kv[1], kv[0])):
        click.echo(f"{canonical:30} {surface}")


@aliases.command("add")
@click.argument("surface")
@click.argument("canonical")
def aliases_add(surface: str, canonical: str) -> None:
    """Make SURFACE (e.g. "Nordkorea") a name of CANONICAL (e.g. north_korea)."""
    with domain_errors(), session_scope() as session:
        alias = add_alias(session, surface, canonical, actor=Actor.cli())
        click.echo(f"{alias.surface!r} -> {alias.canonical}")


@aliases.command("remove")
@click.argument("surface")
@click.option("--reason", required=True)
def aliases_remove(surface: str, reason: str) -> None:
    """Stop treating SURFACE as a name of its entity."""
    with domain_errors(), session_scope() as session:
        remove_alias(session, surface, actor=Actor.cli(), reason=reason)
        click.echo(f"removed {surface!r}")


@click.group()
def dedup() -> None:
    """Deduplication over the whole database."""


@dedup.command("reindex")
@click.option("--json", "as_json", is_flag=True, help="Print the changed claim ids as JSON.")
def dedup_reindex(as_json: bool) -> None:
    """Recompute every claim's normalized text and index rows (after a normalizer upgrade)."""
    with domain_errors(), session_scope() as session:
        changed = renormalize_all(session, actor=Actor.cli())
    if as_json:
        emit({"changed": changed})
    else:
        click.echo(f"{len(changed)} claims renormalized")


@dedup.command("embed")
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(min=1, max=64),
    help="Processes that encode (one BLAS thread each).",
)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON report.")
def dedup_embed(workers: int, as_json: bool) -> None:
    """Store a vector for every claim without one (after a bulk import, or a new model
    version). Commits every batch: an interrupted run resumes where it stopped, and a
    finished one has nothing left to do."""
    from tracker.cli.embed import run_embed

    report = run_embed(state(), workers)
    if as_json:
        emit(report)
    else:
        click.echo(
            f"embedded {report['embedded']} claims ({report['already']} already had a vector);"
            f" model {report['model']} {report['version']}; {report['missing']} claims without"
            " a vector"
        )


@dedup.command("scan")
@click.option("--json", "as_json", is_flag=True, help="Print the groups as JSON.")
@click.option("--csv", "as_csv", is_flag=True, help="Print one CSV row per pair.")
@click.option("--apply-auto", is_flag=True, help="Merge auto-level pairs (newer into older).")
def dedup_scan(as_json: bool, as_csv: bool, apply_auto: bool) -> None:
    """Cluster all claims into groups of likely duplicates for review."""
    with domain_errors(), session_scope() as session:
        with click.progressbar(
            length=0, label="scanning", file=sys.stderr, hidden=not sys.stderr.isatty()
        ) as bar:
            result = scan(session, progress=bar.update)
        if apply_auto:
            apply_auto_merges(session, result, actor=Actor.cli())
    if as_csv:
        writer = csv.writer(sys.stdout)
        writer.writerow(["group", "claim_id", "other_id", "score", "level", "warnings"])
        for number, group in enumerate(result.groups, start=1):
            for p in group["pairs"]:
                writer.writerow(
                    [
                        number,
                        p["claim_id"],
                        p["other_id"],
                        p["score"],
                        p["level"],
                        " ".join(p["warnings"]),
                    ]
                )
    elif as_json:
        emit(
            {
                "claims": result.claims,
                "pairs_scored": result.pairs_scored,
                "groups": result.groups,
                "merged": result.merged,
            }
        )
    else:
        for number, group in enumerate(result.groups, start=1):
            click.echo(f"group {number}: claims {', '.join(map(str, group['claims']))}")
            for p in group["pairs"]:
                warn = f"  [{', '.join(p['warnings'])}]" if p["warnings"] else ""
                click.echo(
                    f"  {p['claim_id']} ~ {p['other_id']}  {p['score']:5.1f} {p['level']}{warn}"
                    f"  ({p['tiers']})"
                )
        click.echo(
            f"{len(result.groups)} groups from {result.claims} claims; {len(result.merged)} merged"
        )
