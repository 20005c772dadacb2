"""Sources: ingest, reading, excerpts, quote matching, boilerplate, publishers."""
