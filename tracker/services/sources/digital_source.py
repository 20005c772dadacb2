"""IPTC ``digitalSourceType`` for exports: how a source's text was made, as far as we know.

An AI-generated source (disclosed, or a reviewer's finding) is ``trainedAlgorithmicMedia``;
when its disclosure, or the reviewer's reason, says that people edited or checked the machine's
text, it is ``compositeWithTrainedAlgorithmicMedia``. Other sources carry no value: "we found no
AI" is not evidence that a human wrote the text.
"""

from __future__ import annotations

import re

from tracker.models import AiStatus, Source

IPTC = "http://cv.iptc.org/newscodes/digitalsourcetype/"
TRAINED = IPTC + "trainedAlgorithmicMedia"
COMPOSITE = IPTC + "compositeWithTrainedAlgorithmicMedia"

# Words saying people edited, checked or reviewed the text (en, de, nb/nn, da, sv, nl, fr).
_HUMAN_EDIT = re.compile(
    r"\b(edited|checked|reviewed|revised|fact-checked|verified|"
    r"redigiert|bearbeitet|geprüft|überprüft|kontrolliert|"
    r"redigert|redigeret|redigerad|kvalitetssikr\w*|kontrollert|kontrolleret|kontrollerad|"
    r"gjennomgått|gennemgået|granskad|faktasjekket|faktatjekket|faktagranskad|"
    r"bewerkt|gecontroleerd|nagekeken|gecheckt|"
    r"relu|révisé|vérifié|édité|corrigé)\b",
    re.IGNORECASE,
)
_AI = (AiStatus.AI_DISCLOSED, AiStatus.AI_REVIEWER)


def digital_source_type(source: Source) -> str | None:
    """The IPTC digital source type URI for an AI-generated source, else None."""
    if source.ai_status not in _AI:
        return None
    said = [e.sentence for e in source.ai_evidence if not e.kind.startswith("weak:")]
    said.append(source.ai_flag_reason or "")
    return COMPOSITE if any(_HUMAN_EDIT.search(text) for text in said) else TRAINED
