"""Tests of tracker/services/claims/."""
