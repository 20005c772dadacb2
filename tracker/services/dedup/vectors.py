"""Claim vectors in the database (``claim_vectors``): written with the claim, filled in bulk by
``tracker dedup embed``, and read back for exact cosine scores. The database is the truth;
the approximate index (``vector_index``) is a cache built from these rows."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from sqlalchemy import Select, delete, func, insert, select
from sqlalchemy.orm import Session

from tracker.models import Claim, ClaimVector
from tracker.services.dedup import embeddings
from tracker.services.dedup.embeddings import Encoder

EMBED_BATCH = 256


def store_vector(session: Session, claim: Claim, encoder: Encoder | None = None) -> None:
    """Embed the claim's text and store it in the current transaction (after create or edit).
    Does nothing when the semantic tier is off. The row is replaced, so it takes a new id and
    index caches see it above their watermark."""
    encoder = encoder or embeddings.encoder()
    if encoder is None:
        return
    vector = encoder.encode([claim.text])[0]
    _write(session, encoder, [(claim.id, vector)])


def _write(
    session: Session, encoder: Encoder, rows: Sequence[tuple[int, npt.NDArray[np.float32]]]
) -> None:
    ids = [claim_id for claim_id, _ in rows]
    session.execute(delete(ClaimVector).where(ClaimVector.claim_id.in_(ids)))
    session.execute(
        insert(ClaimVector),
        [
            {
                "claim_id": claim_id,
                "model": encoder.name,
                "version": encoder.version,
                "vector": embeddings.pack(vector),
            }
            for claim_id, vector in rows
        ],
    )


def vectors_for(
    session: Session, encoder: Encoder, claim_ids: Sequence[int]
) -> dict[int, npt.NDArray[np.float32]]:
    """The stored vectors (of the current model) of those of ``claim_ids`` that have one."""
    found: dict[int, npt.NDArray[np.float32]] = {}
    ids = sorted(set(claim_ids))
    current = (encoder.name, encoder.version)
    for start in range(0, len(ids), 500):
        # By the unique claim_id alone: with the model in the WHERE clause SQLite would walk
        # the (model, version, id) index over every vector instead.
        found_rows = session.execute(
            select(
                ClaimVector.claim_id, ClaimVector.model, ClaimVector.version, ClaimVector.vector
            ).where(ClaimVector.claim_id.in_(ids[start : start + 500]))
        ).all()
        rows = [r for r in found_rows if (r.model, r.version) == current]
        matrix = embeddings.unpack_many([r.vector for r in rows], encoder.dimension)
        found.update({r.claim_id: matrix[i] for i, r in enumerate(rows)})
    return found


Rows = Select[*tuple[Any, ...]]  # a select of any columns


def with_vectors(statement: Rows, encoder: Encoder | None) -> Rows:
    """``statement``, a select of claims with their ``id``, with each claim's stored vector
    row joined, so that claims and their vectors come in one query (read the vectors back
    with ``vectors_in``); unchanged when the semantic tier is off. Joined by the unique
    claim_id alone, as in ``vectors_for``."""
    if encoder is None:
        return statement
    return statement.outerjoin(ClaimVector, ClaimVector.claim_id == Claim.id).add_columns(
        ClaimVector.model.label("vector_model"),
        ClaimVector.version.label("vector_version"),
        ClaimVector.vector,
    )


def vectors_in(rows: Iterable[Any], encoder: Encoder | None) -> dict[int, npt.NDArray[np.float32]]:
    """The vectors (of the current model) in rows read with ``with_vectors``, by claim id."""
    if encoder is None:
        return {}
    current = (encoder.name, encoder.version)
    found = [r for r in rows if (r.vector_model, r.vector_version) == current]
    matrix = embeddings.unpack_many([r.vector for r in found], encoder.dimension)
    return {r.id: matrix[i] for i, r in enumerate(found)}


@dataclass(frozen=True)
class Coverage:
    claims: int  # unmerged claims
    embedded: int  # of which have a vector of the current model

    @property
    def missing(self) -> int:
        return self.claims - self.embedded

    def as_dict(self) -> dict[str, int]:
        return {"claims": self.claims, "embedded": self.embedded, "missing": self.missing}


def coverage(session: Session, encoder: Encoder) -> Coverage:
    claims = session.scalar(select(func.count()).where(Claim.merged_into_id.is_(None))) or 0
    embedded = session.scalar(
        select(func.count())
        .select_from(ClaimVector)
        .join(Claim, Claim.id == ClaimVector.claim_id)
        .where(
            Claim.merged_into_id.is_(None),
            ClaimVector.model == encoder.name,
            ClaimVector.version == encoder.version,
        )
    )
    return Coverage(int(claims), int(embedded or 0))


def _missing_ids(session: Session, encoder: Encoder, after: int, limit: int) -> list[int]:
    """The next unmerged claims (by id, above ``after``) without a current vector: an outer
    join on the unique claim_id, so each batch reads only its own stretch of claims."""
    stale = (
        ClaimVector.id.is_(None)
        | (ClaimVector.model != encoder.name)
        | (ClaimVector.version != encoder.version)
    )
    return list(
        session.scalars(
            select(Claim.id)
            .outerjoin(ClaimVector, ClaimVector.claim_id == Claim.id)
            .where(Claim.id > after, Claim.merged_into_id.is_(None), stale)
            .order_by(Claim.id)
            .limit(limit)
        )
    )


@dataclass
class EmbedResult:
    embedded: int = 0
    already: int = 0
    model: str = ""
    version: str = ""

    def as_dict(self) -> dict[str, object]:
        return {
            "embedded": self.embedded,
            "already": self.already,
            "model": self.model,
            "version": self.version,
        }


def embed_missing(
    session: Session,
    encoder: Encoder,
    *,
    commit: Callable[[], None],
    progress: Callable[[int], None] | None = None,
    encode: Callable[[list[str]], npt.NDArray[np.float32]] | None = None,
    batch: int = EMBED_BATCH,
) -> EmbedResult:
    """Embed every unmerged claim without a vector of the current model (a vector of another
    model or version is replaced), ``batch`` claims per transaction: an interrupted run keeps
    what it committed and the next run starts where it stopped; a complete run finds nothing
    to do. ``encode`` may spread the work over processes (default: ``encoder.encode``)."""
    encode = encode or (lambda texts: encoder.encode(texts))
    result = EmbedResult(model=encoder.name, version=encoder.version)
    result.already = coverage(session, encoder).embedded
    after = 0
    while ids := _missing_ids(session, encoder, after, batch):
        rows = session.execute(select(Claim.id, Claim.text).where(Claim.id.in_(ids))).all()
        vectors = encode([r.text for r in rows])
        _write(session, encoder, [(r.id, vectors[i]) for i, r in enumerate(rows)])
        commit()
        result.embedded += len(rows)
        after = ids[-1]
        if progress:
            progress(len(rows))
    return result
