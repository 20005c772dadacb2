"""Hybrid retrieval: the lexical score (``dedup_search``, 0-100) fused with the cosine of the
claims' sentence embeddings (``embeddings``).

    semantic points = 100 * clip((cosine - FLOOR) / (1 - FLOOR), 0, 1)
    fused = max(lexical, (1 - WEIGHT) * lexical + WEIGHT * semantic points)

The max keeps every lexical match where it was; the mix lifts paraphrases and translations
that share few words. FLOOR and WEIGHT were chosen with ``benchmarks/semantic_tune.py`` on the
labelled pairs in benchmarks/data/claim_pairs.jsonl and benchmarks/data/semantic_tune.jsonl
(no test split; CLEF data was not on the build machine): the best mean reciprocal rank plus
share of duplicates at suggest level (0.836 and 0.859, against 0.739 and 0.655 lexical only)
among settings where a claim sharing no word needs a cosine of at least about 0.78 to be
suggested, since same-topic claims that are not duplicates often reach 0.7-0.75.

The semantic score alone never reaches ``auto``: that level still needs the lexical score at
the auto threshold, and the guards decide on every candidate as before.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from sqlalchemy.orm import Session

from tracker.services.dedup import embeddings, vector_index
from tracker.services.dedup import vectors as claim_vectors
from tracker.services.dedup.embeddings import Encoder

FLOOR = 0.35
WEIGHT = 0.9
# Nearest vectors taken as candidates besides the lexical ones.
SEMANTIC_CANDIDATES = 20


def semantic_points(cosine: float) -> float:
    return 100 * min(max((cosine - FLOOR) / (1 - FLOOR), 0.0), 1.0)


def fuse(lexical: float, cosine: float | None) -> float:
    if cosine is None:
        return lexical
    mixed = (1 - WEIGHT) * lexical + WEIGHT * semantic_points(cosine)
    return round(max(lexical, mixed), 1)


def tiers_text(lexical: float, cosine: float | None) -> str:
    """What each tier contributed, for people: "semantic 0.78 · lexical 43"."""
    lex = f"lexical {lexical:g}"
    return lex if cosine is None else f"semantic {cosine:.2f} · {lex}"


@dataclass
class Query:
    """The semantic side of one query: its vector, or None when the tier is off."""

    encoder: Encoder | None
    vector: npt.NDArray[np.float32] | None

    @classmethod
    def of(cls, text: str) -> Query:
        encoder = embeddings.encoder()
        if encoder is None:
            return cls(None, None)
        return cls(encoder, encoder.encode([text])[0])

    def nearest(self, session: Session, k: int = SEMANTIC_CANDIDATES) -> list[int]:
        if self.encoder is None or self.vector is None:
            return []
        return vector_index.for_session(session, self.encoder).nearest(session, self.vector, k)

    def cosines(self, session: Session, claim_ids: list[int]) -> dict[int, float]:
        """Exact cosines against the stored vectors (claims without one are left out)."""
        if self.encoder is None or self.vector is None or not claim_ids:
            return {}
        stored = claim_vectors.vectors_for(session, self.encoder, claim_ids)
        return {cid: round(float(vec @ self.vector), 4) for cid, vec in stored.items()}
