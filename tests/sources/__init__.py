"""Tests of tracker/services/sources/."""
