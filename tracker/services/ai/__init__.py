"""AI-use disclosures and leftover chatbot output in source texts.

Public module: ``detect`` (find disclosures and leftovers in a source text). The others serve
it: ``disclosure`` judges one sentence, ``language_gate`` picks the tables for a text's
language, ``patterns`` (``patterns_base`` plus the per-language tables in
``tracker/data/ai/disclosure/``) and ``leftover_patterns`` hold the regex sources.
"""
