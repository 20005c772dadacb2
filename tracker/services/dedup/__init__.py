"""Claim deduplication. A text goes normalize (with alias_match and post_text) -> the token
index and its packed postings -> search -> guards (differences a score misses) -> matching;
scan clusters the whole database.

Public modules: ``matching`` (match, Thresholds, Match, record_decision), ``scan``,
``normalize`` (normalize_claim_text, analyze, fold), ``aliases`` (the editable alias table),
``token_index`` (index_claim), ``search``, ``guards``. The lexicon modules load their word
lists from ``tracker/data/`` (``entity_lexicon``, ``lexicon``, ``spelling_lexicon``,
``guard_lexicon``); ``alias_match``, ``post_text`` and ``postings`` serve normalize and search.
"""
