"""Tests of tracker/services/dedup/."""
