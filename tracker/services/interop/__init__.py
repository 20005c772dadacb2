"""Interchange formats: schema.org ClaimReview (export and import), W3C Web Annotation, W3C
PROV, CSV, and the bulk claim import.

Public modules: ``claimreview``, ``claimreview_import``, ``web_annotation``, ``prov``,
``csv_io``, ``bulk_import`` (import_claims, read_rows); ``import_rows`` checks the rows and
``import_events`` writes and reads the import's audit events.
"""
