"""Tests of tracker/cli/."""
