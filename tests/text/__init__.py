"""Tests of tracker/services/text/."""
