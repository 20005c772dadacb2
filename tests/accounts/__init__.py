"""Tests of tracker/services/accounts/."""
