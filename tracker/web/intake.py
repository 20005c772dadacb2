"""(Filled in by the reviewer-app work.)"""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("intake", __name__)
