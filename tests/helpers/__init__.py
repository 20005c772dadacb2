"""Helpers shared by the tests: plain functions, classes and constants (fixtures live in
the conftest.py files)."""
