"""Tests of tracker/services/ai/."""
