"""User accounts, sign-in and sessions, sign-in throttling, personal API tokens."""
