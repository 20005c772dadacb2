"""Tests of tracker/services/ops/."""
