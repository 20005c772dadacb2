"""Tests of tracker/web/."""
