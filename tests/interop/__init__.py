"""Tests of tracker/services/interop/."""
