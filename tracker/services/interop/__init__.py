"""Interchange formats: ClaimReview, Web Annotation, PROV, CSV, bulk import."""
