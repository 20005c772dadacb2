"""Claim deduplication: normalization, aliases, the token index, search, guards."""
