"""Tests of tracker/services/audit/."""
