"""Claims: create, edit, revert, as-of, read, search, merge, intake, provenance."""
