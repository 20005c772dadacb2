"""The domain: plain functions over a SQLAlchemy session. They flush, never commit, and never
import Flask; the CLI, the web app and the tests all call them."""
