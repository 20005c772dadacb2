"""AI-use disclosures and leftover chatbot output in source texts.

Public module: ``detect`` (find disclosures and leftovers in a source text). The others serve
it: ``disclosure`` judges one sentence, ``language_gate`` picks the tables for a text's
language, ``patterns`` (built from ``patterns_base`` and ``patterns_lang_a``/``_b``) and
``leftover_patterns`` hold the regex sources.
"""
