"""Tests of tracker/api/."""
