"""Claims: creating, editing, reverting, reading and merging them, and where their support
comes from.

Public modules: ``records`` (create_claim, link_evidence, get_claim, claim_to_dict, check_*),
``edit`` (optimistic-locking edits), ``revert``, ``as_of`` (a claim rebuilt from the audit
log), ``read`` (the claim pages' queries), ``search``, ``merge`` (merge and unmerge),
``intake`` (near-duplicates first, then link or create), ``provenance``, ``dashboard``.
"""
