"""`tracker dedup embed`: vectors for claims that have none, in batches, over N processes."""

from __future__ import annotations

import multiprocessing
import sys
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import click
import numpy as np
import numpy.typing as npt

from tracker import config
from tracker.cli.support import CliState
from tracker.services.dedup import embeddings, vector_index
from tracker.services.dedup import vectors as claim_vectors

_worker_encoder: embeddings.Encoder | None = None


def _start_worker() -> None:
    global _worker_encoder
    _worker_encoder = embeddings.UseMultilingual()


def _encode_in_worker(texts: list[str]) -> npt.NDArray[np.float32]:
    assert _worker_encoder is not None
    return _worker_encoder.encode(texts)


def run_embed(current: CliState, workers: int) -> dict[str, Any]:
    encoder = embeddings.encoder()
    if encoder is None:
        raise click.ClickException(
            f"the semantic tier is off ({embeddings.ENV_SEMANTIC}=0): nothing to embed"
        )
    current.require_head()
    vector_index.configure(config.instance_path())
    pool = None
    encode = None
    if workers > 1:
        context = multiprocessing.get_context("spawn")
        pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker)

        def encode(texts: list[str]) -> npt.NDArray[np.float32]:
            assert pool is not None
            step = -(-len(texts) // workers)
            parts = [texts[i : i + step] for i in range(0, len(texts), step)]
            return np.vstack(list(pool.map(_encode_in_worker, parts)))

    batch = claim_vectors.EMBED_BATCH * workers
    try:
        with current.sessions()() as session:
            missing = claim_vectors.coverage(session, encoder).missing
            with click.progressbar(
                length=missing, label="embedding", file=sys.stderr, hidden=not sys.stderr.isatty()
            ) as bar:
                result = claim_vectors.embed_missing(
                    session,
                    encoder,
                    commit=session.commit,
                    progress=bar.update,
                    encode=encode,
                    batch=batch,
                )
            left = claim_vectors.coverage(session, encoder)
            index = vector_index.for_session(session, encoder)
            index.refresh(session)
            index.save()
    finally:
        if pool is not None:
            pool.shutdown()
    return {**result.as_dict(), "missing": left.missing, "claims": left.claims}
