"""Hostile input (issue 8, scenario 5): the payload corpus, hypothesis strategies, the checks
every submission goes through, and the submission counter of tests/hostile/test_*.py."""
