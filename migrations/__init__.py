"""Alembic migrations. Installed as ``tracker.migrations`` (see setup.py); ``tracker.migrate``
finds them with importlib.resources."""
