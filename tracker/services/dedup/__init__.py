"""Claim deduplication. A text is analysed once (``analysis``, on ``tokens``) -> its normalized
text goes to the token index and its packed postings (``token_index``, ``postings``) and to
``search`` (fused with the semantic tier in ``hybrid``) -> ``guards`` read the same analysis
(through ``guard_facts``) for differences a score misses -> ``matching`` decides the level;
``scan`` clusters the whole database.

Public modules: ``matching`` (match, Thresholds, Match, record_decision), ``scan``,
``analysis`` (analyze, Analysis, normalize_claim_text), ``tokens`` (fold, light_stem,
normalize_word), ``aliases`` (the editable alias table), ``token_index`` (index_claim),
``search``, ``guards`` (compare, Reader). The lexicon modules load their word lists from
``tracker/data/`` (``entity_lexicon``, ``lexicon``, ``spelling_lexicon``, ``guard_lexicon``);
``guard_facts`` serves guards and ``postings`` serves the index and search.
"""
