"""Sources: ingesting files and pasted text, reading them, excerpts anchored in their text,
quote matching, boilerplate spans, publishers and the flags editors set.

Public modules: ``ingest`` (ingest_path, SourceMeta), ``read`` (get_source, list_sources,
source_detail, the add-source preview), ``excerpts`` (locate_quote, get_or_create_excerpt),
``quote_match``, ``boilerplate`` (boilerplate lines and repeated blocks; its tables in
``boilerplate_patterns``), ``publishers``, ``flags`` (AI status, publication date), ``titles``,
``digital_source`` (IPTC digitalSourceType).
"""
