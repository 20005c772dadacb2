"""Text tools with no database: HTML to text, sentences, publication dates (word lists in
``tracker/data/dates/``), typed times, language identification, storable text.

Public modules: ``html``, ``sentences``, ``dates``, ``date_words``, ``times``, ``language``,
``storable``.
"""
