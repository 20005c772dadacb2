"""Run a benchmark with Snowball stemmers (PyStemmer) in place of the hand-written light
stemmer of ``tokens.py``, to compare the two:

    .venv/bin/pip install PyStemmer   # not a dependency of the tracker
    .venv/bin/python benchmarks/stemmer_swap.py benchmarks/quality.py
    .venv/bin/python benchmarks/stemmer_swap.py benchmarks/crosslang.py --split dev

Irregular forms and spelling variants still apply first; only the suffix stripping changes
(Snowball english, german, dutch, norwegian for nb/nn, danish, swedish, french).
"""

from __future__ import annotations

import runpy
import sys
from functools import lru_cache
from pathlib import Path

import Stemmer  # type: ignore[import-not-found]

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tracker.services.dedup import tokens

NAMES = {
    "en": "english",
    "de": "german",
    "nl": "dutch",
    "nb": "norwegian",
    "nn": "norwegian",
    "da": "danish",
    "sv": "swedish",
    "fr": "french",
}
STEMMERS = {code: Stemmer.Stemmer(name) for code, name in NAMES.items()}


@lru_cache(maxsize=200_000)
def snowball(word: str, lang: str) -> str:
    word = tokens._irregular(lang).get(word) or word
    word = tokens._SPELLING.get(word, word)
    return tokens.fold(STEMMERS[lang].stemWord(word)) if lang in STEMMERS else word


if __name__ == "__main__":
    tokens._light = snowball
    script = sys.argv[1]
    sys.argv = sys.argv[1:]
    runpy.run_path(script, run_name="__main__")
