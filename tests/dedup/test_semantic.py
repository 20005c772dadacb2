"""The semantic tier: vectors with the claim, `dedup embed`, the index cache, and the hybrid."""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from tracker.models import Claim, ClaimVector
from tracker.services.audit.log import Actor
from tracker.services.claims.edit import update_claim
from tracker.services.claims.merge import merge_claims
from tracker.services.claims.records import create_claim
from tracker.services.dedup import embeddings, vector_index
from tracker.services.dedup import vectors as claim_vectors
from tracker.services.dedup.embeddings import Encoder
from tracker.services.dedup.matching import Thresholds, match, semantic_coverage

Invoke = Callable[..., Any]

NK = "North Korea ratifies its mutual defence treaty with Russia"
MOSCOW = "The attack on the concert hall near Moscow killed 139 people"
OTHERS = [
    "Iran has delivered ballistic missiles to Russia",
    "Norway expels Russian diplomats for espionage",
    "Finland closes its border with Russia",
    "Sweden joins NATO",
]


@pytest.fixture(scope="session")
def encoder() -> Encoder:
    """The real model, loaded once for the whole session."""
    found = embeddings.encoder()
    assert found is not None
    return found


@pytest.fixture
def stored(session: Session, actor: Actor, encoder: Encoder) -> dict[str, Claim]:
    claims = {t: create_claim(session, text=t, language="en", actor=actor) for t in [NK, MOSCOW]}
    for text in OTHERS:
        create_claim(session, text=text, language="en", actor=actor)
    return claims


def _vector_rows(session: Session, claim_id: int) -> list[ClaimVector]:
    return list(session.scalars(select(ClaimVector).where(ClaimVector.claim_id == claim_id)))


class Renamed:
    """The real encoder under another version (a model upgrade), counting what it encodes."""

    def __init__(self, inner: Encoder, version: str) -> None:
        self.name, self.version, self.dimension = inner.name, version, inner.dimension
        self.inner, self.encoded = inner, 0

    def encode(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        self.encoded += len(texts)
        return self.inner.encode(texts)


# --- vectors are written with the claim --------------------------------------------------------


def test_a_created_claim_has_its_vector_in_the_same_transaction(
    session: Session, actor: Actor, encoder: Encoder
) -> None:
    claim = create_claim(session, text=NK, language="en", actor=actor)
    [row] = _vector_rows(session, claim.id)  # flushed, not committed
    assert (row.model, row.version) == (encoder.name, encoder.version)
    vector = embeddings.unpack(row.vector)
    assert vector.shape == (encoder.dimension,) and len(row.vector) == 2 * encoder.dimension
    assert float(vector @ encoder.encode([NK])[0]) > 0.999
    session.rollback()
    assert session.scalar(select(func.count()).select_from(ClaimVector)) == 0


def test_an_edited_text_replaces_the_vector_and_other_edits_keep_it(
    session: Session, actor: Actor, encoder: Encoder
) -> None:
    claim = create_claim(session, text=NK, language="en", actor=actor)
    [before] = _vector_rows(session, claim.id)
    old_id, old_vector = before.id, before.vector
    update_claim(
        session,
        claim.id,
        expected_version=claim.version,
        actor=actor,
        reason="typo",
        text="Sweden joins NATO",
    )
    session.expire_all()
    [after] = _vector_rows(session, claim.id)
    assert after.id > old_id  # a new row: index caches see it above their watermark
    assert float(embeddings.unpack(after.vector) @ encoder.encode(["Sweden joins NATO"])[0]) > 0.999
    assert after.vector != old_vector
    update_claim(
        session,
        claim.id,
        expected_version=claim.version,
        actor=actor,
        reason="checked",
        verdict="false",
    )
    session.expire_all()
    assert [r.id for r in _vector_rows(session, claim.id)] == [after.id]


def test_switched_off_no_vectors_and_lexical_only(
    session: Session, actor: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(embeddings.ENV_SEMANTIC, "0")
    claim = create_claim(session, text=NK, language="en", actor=actor)
    assert _vector_rows(session, claim.id) == []
    found = match(session, "North Korea ratifies defence treaty with Russia", language="en")
    assert found and all(m.semantic is None and m.score == m.lexical for m in found)
    assert found[0].tiers.startswith("lexical ")
    italian = match(
        session, "La Corea del Nord ratifica il trattato di difesa reciproca con la Russia"
    )
    assert all(m.level == "none" for m in italian)  # found by the semantic tier only
    assert semantic_coverage(session) is None


# --- the hybrid -------------------------------------------------------------------------------


# No word of it is in the lexical tables (they cover en, de, nl, nb and fr): the model finds it.
ITALIAN = "La Corea del Nord ratifica il trattato di difesa reciproca con la Russia"


def test_german_query_finds_the_english_claim(session: Session, stored: dict[str, Claim]) -> None:
    found = match(
        session, "Nordkorea ratifiziert Verteidigungsabkommen mit Russland", language="de"
    )
    best = found[0]
    assert best.claim_id == stored[NK].id and best.level == "suggest"
    assert best.semantic is not None and best.semantic > 0.75
    assert best.tiers == f"semantic {best.semantic:.2f} · lexical {best.lexical:g}"
    assert best.as_dict()["tiers"] == best.tiers


def test_a_query_sharing_no_words_is_found_by_the_semantic_tier(
    session: Session, stored: dict[str, Claim]
) -> None:
    best = match(session, ITALIAN)[0]
    assert best.claim_id == stored[NK].id and best.level == "suggest"
    assert best.semantic is not None and best.semantic > 0.8 and best.lexical < 20


def test_paraphrase_reaches_suggest(session: Session, stored: dict[str, Claim]) -> None:
    text = "Kim Jong Un signed a decree ratifying North Korea's defence treaty with Russia"
    [best] = match(session, text, language="en", limit=1)
    assert best.claim_id == stored[NK].id and best.level in ("suggest", "auto")
    assert best.score > best.lexical  # the semantic tier lifted it


@pytest.mark.parametrize(
    ("query", "target"),
    [
        ("North Korea did not ratify its mutual defence treaty with Russia", NK),
        ("The attack on the concert hall near Moscow killed 39 people", MOSCOW),
    ],
)
def test_negation_and_number_variants_never_reach_auto_and_warn(
    session: Session, stored: dict[str, Claim], query: str, target: str
) -> None:
    found = {m.claim_id: m for m in match(session, query, language="en")}
    variant = found[stored[target].id]
    assert variant.semantic is not None and variant.semantic > 0.85  # the model cannot tell
    assert variant.level != "auto" and variant.warnings


def test_a_semantic_score_alone_never_reaches_auto(
    session: Session, stored: dict[str, Claim]
) -> None:
    first = match(session, ITALIAN)[0]
    query = ITALIAN
    low = Thresholds(auto=math.floor(first.score), suggest=30.0)  # the fused score reaches auto
    best = match(session, query, thresholds=low)[0]
    assert best.claim_id == first.claim_id and best.score >= low.auto > best.lexical
    assert best.level == "suggest"


def test_partial_coverage_matches_lexically_and_counts_the_missing(
    session: Session, stored: dict[str, Claim]
) -> None:
    session.execute(delete(ClaimVector).where(ClaimVector.claim_id == stored[MOSCOW].id))
    coverage = semantic_coverage(session)
    assert coverage is not None and coverage.missing == 1 and coverage.claims == 6
    found = match(session, "Concert hall attack near Moscow killed 139 people", language="en")
    moscow = next(m for m in found if m.claim_id == stored[MOSCOW].id)
    assert moscow.semantic is None and moscow.score == moscow.lexical > 60
    german = match(session, "Nordkorea ratifiziert Verteidigungsabkommen mit Russland")
    assert german[0].claim_id == stored[NK].id and german[0].semantic is not None


def test_merged_claims_in_a_stale_index_are_left_out(
    session: Session, stored: dict[str, Claim], actor: Actor
) -> None:
    query = "Nordkorea ratifiziert Verteidigungsabkommen mit Russland"
    assert match(session, query)[0].claim_id == stored[NK].id  # index built, NK in it
    twin = create_claim(
        session, text="North Korea ratified the defence pact with Moscow", actor=actor
    )
    merge_claims(session, stored[NK].id, twin.id, reason="same claim", actor=actor)
    assert stored[NK].id not in [m.claim_id for m in match(session, query)]


# --- the index cache --------------------------------------------------------------------------


def _nearest(session: Session, encoder: Encoder, text: str) -> list[int]:
    index = vector_index.for_session(session, encoder)
    return index.nearest(session, encoder.encode([text])[0], 3)


def test_index_follows_new_rows_and_rebuilds_when_the_database_went_back(
    session: Session, stored: dict[str, Claim], encoder: Encoder, actor: Actor
) -> None:
    index = vector_index.for_session(session, encoder)
    assert _nearest(session, encoder, NK)[0] == stored[NK].id and len(index) == 6
    added = create_claim(session, text="Chile's president resigned after protests", actor=actor)
    assert _nearest(session, encoder, "Chile's president resigned")[0] == added.id
    assert index.rebuilds == 1 and len(index) == 7  # incremental: no second rebuild
    session.execute(delete(ClaimVector).where(ClaimVector.claim_id == added.id))
    # The highest row is gone: the watermark is above the database's, so it rebuilds.
    assert added.id not in _nearest(session, encoder, "Chile's president resigned")
    assert index.rebuilds == 2 and len(index) == 6


def test_index_cache_file_is_reloaded_and_a_broken_one_rebuilt(
    session: Session,
    stored: dict[str, Claim],
    encoder: Encoder,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(vector_index, "SAVE_AFTER_ROWS", 1)
    vector_index.configure(tmp_path)
    expected = _nearest(session, encoder, NK)
    folder = tmp_path / "vector-index"
    [meta_file] = folder.glob("*.json")
    [index_file] = folder.glob("*.usearch")
    assert json.loads(meta_file.read_text())["file"] == index_file.name
    vector_index.forget_all()
    reloaded = vector_index.for_session(session, encoder)
    assert _nearest(session, encoder, NK) == expected and reloaded.rebuilds == 0
    assert reloaded.mapped  # read-only view of the file, shared by processes
    index_file.write_bytes(b"not an index")
    vector_index.forget_all()
    again = vector_index.for_session(session, encoder)
    assert _nearest(session, encoder, NK) == expected and again.rebuilds == 1


def test_a_mapped_index_file_follows_new_and_replaced_vectors(
    session: Session,
    stored: dict[str, Claim],
    encoder: Encoder,
    actor: Actor,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(vector_index, "SAVE_AFTER_ROWS", 1)
    vector_index.configure(tmp_path)
    _nearest(session, encoder, NK)  # built and saved
    folder = tmp_path / "vector-index"
    [first_file] = folder.glob("*.usearch")
    vector_index.forget_all()
    monkeypatch.setattr(vector_index, "SAVE_AFTER_ROWS", 100)  # rows since the file stay apart
    index = vector_index.for_session(session, encoder)
    finland = "Finland reopens its border crossings with Russia"
    moscow = stored[MOSCOW]
    assert _nearest(session, encoder, finland)[0] != moscow.id and index.mapped
    update_claim(
        session,
        moscow.id,
        expected_version=moscow.version,
        actor=actor,
        reason="rewritten",
        text="Finland has reopened its border with Russia",
    )
    chile = create_claim(session, text="Chile's president resigned after protests", actor=actor)
    assert _nearest(session, encoder, finland)[0] == moscow.id  # its new vector, not the file's
    assert _nearest(session, encoder, "Chile's president quit")[0] == chile.id
    assert len(index) == 7 and index.rebuilds == 0 and index.mapped
    assert _nearest(session, encoder, MOSCOW).count(moscow.id) <= 1
    monkeypatch.setattr(vector_index, "SAVE_AFTER_ROWS", 1)
    index.save()  # merged into a new file; the old one is gone
    [second_file] = folder.glob("*.usearch")
    assert second_file != first_file and not first_file.exists()
    vector_index.forget_all()
    restarted = vector_index.for_session(session, encoder)
    assert _nearest(session, encoder, finland)[0] == moscow.id
    assert _nearest(session, encoder, "Chile's president quit")[0] == chile.id
    assert len(restarted) == 7 and restarted.rebuilds == 0 and restarted.mapped


def test_an_index_file_that_disagrees_with_its_metadata_is_rebuilt(
    session: Session,
    stored: dict[str, Claim],
    encoder: Encoder,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(vector_index, "SAVE_AFTER_ROWS", 1)
    vector_index.configure(tmp_path)
    expected = _nearest(session, encoder, NK)
    [meta_file] = (tmp_path / "vector-index").glob("*.json")
    meta = json.loads(meta_file.read_text())
    for broken in ({**meta, "count": meta["count"] + 1}, {**meta, "file": "../elsewhere"}):
        meta_file.write_text(json.dumps(broken))
        vector_index.forget_all()
        index = vector_index.for_session(session, encoder)
        assert _nearest(session, encoder, NK) == expected and index.rebuilds == 1


# --- dedup embed ------------------------------------------------------------------------------


def test_embed_is_resumable_idempotent_and_follows_the_model_version(
    session: Session, stored: dict[str, Claim], encoder: Encoder
) -> None:
    session.execute(delete(ClaimVector))
    calls: list[int] = []

    def failing(texts: list[str]) -> npt.NDArray[np.float32]:
        if calls:
            raise RuntimeError("interrupted")
        calls.append(len(texts))
        return encoder.encode(texts)

    commits: list[int] = []
    with pytest.raises(RuntimeError):
        claim_vectors.embed_missing(
            session, encoder, commit=lambda: commits.append(1), encode=failing, batch=4
        )
    assert commits == [1] and claim_vectors.coverage(session, encoder).embedded == 4
    done = claim_vectors.embed_missing(session, encoder, commit=lambda: None, batch=4)
    assert (done.embedded, done.already) == (2, 4)
    assert claim_vectors.coverage(session, encoder).missing == 0
    again = claim_vectors.embed_missing(session, encoder, commit=lambda: None, batch=4)
    assert again.embedded == 0
    upgraded = Renamed(encoder, "next-version")
    result = claim_vectors.embed_missing(session, upgraded, commit=lambda: None, batch=4)
    assert result.embedded == 6 and upgraded.encoded == 6
    versions = set(session.scalars(select(ClaimVector.version)))
    assert versions == {"next-version"} and session.scalar(select(func.count(ClaimVector.id))) == 6


def test_dedup_embed_command(run_cli: Invoke, session: Session, stored: dict[str, Claim]) -> None:
    session.execute(delete(ClaimVector).where(ClaimVector.claim_id != stored[NK].id))
    session.flush()
    note = run_cli("claims", "match", "Sweden joins NATO")
    assert "5 of 6 claims have no vector yet" in note.stderr
    report = json.loads(run_cli("dedup", "embed", "--json").stdout)
    assert (report["embedded"], report["already"], report["missing"]) == (5, 1, 0)
    assert json.loads(run_cli("dedup", "embed", "--json").stdout)["embedded"] == 0
    assert "no vector" not in run_cli("claims", "match", "Sweden joins NATO").stderr


def test_dedup_embed_refuses_when_switched_off(
    run_cli: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(embeddings.ENV_SEMANTIC, "0")
    result = run_cli("dedup", "embed")
    assert result.exit_code == 1 and "semantic tier is off" in result.stderr


def test_scan_forms_cross_language_groups(
    run_cli: Invoke, session: Session, stored: dict[str, Claim], actor: Actor
) -> None:
    german = create_claim(
        session,
        text="Nordkorea ratifiziert Verteidigungsabkommen mit Russland",
        language="de",
        actor=actor,
    )
    session.flush()
    data = json.loads(run_cli("dedup", "scan", "--json").stdout)
    [group] = [g for g in data["groups"] if german.id in g["claims"]]
    assert stored[NK].id in group["claims"] and group["cross_language"]
    assert group["languages"] == ["de", "en"]
    [pair] = [
        p for p in group["pairs"] if {p["claim_id"], p["other_id"]} == {stored[NK].id, german.id}
    ]
    assert pair["level"] == "suggest" and pair["semantic"] > 0.75 and "semantic" in pair["tiers"]


def test_search_and_intake_find_the_claim_across_languages(
    session: Session, stored: dict[str, Claim], actor: Actor
) -> None:
    from tracker.services.claims.intake import intake_claim
    from tracker.services.claims.search import search_claims

    german = "Nordkorea ratifiziert Verteidigungsabkommen mit Russland"
    page = search_claims(session, text=german)
    first = page.items[0]
    assert first.claim.id == stored[NK].id and first.level == "suggest"
    assert first.tiers is not None and first.tiers.startswith("semantic ")
    result = intake_claim(session, german, actor=actor, language="de")
    assert not result.linked and result.candidates[0].claim_id == stored[NK].id


def test_two_servers_indexes_follow_the_same_database(
    session: Session, stored: dict[str, Claim], encoder: Encoder, actor: Actor
) -> None:
    """Each process keeps its own index; both follow new and replaced vector rows."""
    url = "shared-database"
    one, two = vector_index.VectorIndex(encoder, url), vector_index.VectorIndex(encoder, url)
    finland = encoder.encode(["Finland reopens its border crossings with Russia"])[0]
    assert one.nearest(session, finland, 1) == two.nearest(session, finland, 1)
    moscow = stored[MOSCOW]
    update_claim(
        session,
        moscow.id,
        expected_version=moscow.version,
        actor=actor,
        reason="rewritten",
        text="Finland has reopened its border with Russia",
    )
    chile = create_claim(session, text="Chile's president resigned after protests", actor=actor)
    for index in (one, two):
        assert index.nearest(session, finland, 1) == [moscow.id]  # the replaced vector
        assert index.nearest(session, encoder.encode(["Chile's president quit"])[0], 1) == [
            chile.id
        ]
        assert len(index) == 7 and index.rebuilds == 1
