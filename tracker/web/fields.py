"""Number fields that refuse what WTForms and the databases cannot handle.

WTForms' ``NumberRange`` calls ``math.isnan`` on the value, which raises for an integer of
more than 308 digits or a signalling NaN, and SQLite cannot bind an integer past 64 bits: such
input used to end in a 500. These fields make it an ordinary field error instead."""

from __future__ import annotations

from typing import Any

from wtforms import DecimalField as _DecimalField
from wtforms import IntegerField as _IntegerField

MAX_INT = 2**31 - 1  # the databases' integer columns (PostgreSQL's integer)


class IntegerField(_IntegerField):  # type: ignore[misc]
    """A whole number from -MAX_INT to MAX_INT."""

    data: Any  # WTForms is untyped; None or an int

    def process_formdata(self, valuelist: list[Any]) -> None:
        super().process_formdata(valuelist)
        if self.data is not None and not -MAX_INT <= self.data <= MAX_INT:
            self.data = None
            raise ValueError(f"Not a whole number from {-MAX_INT} to {MAX_INT}.")


class DecimalField(_DecimalField):  # type: ignore[misc]
    """A finite decimal number (no NaN or infinity)."""

    data: Any  # None or a Decimal

    def process_formdata(self, valuelist: list[Any]) -> None:
        super().process_formdata(valuelist)
        if valuelist and self.data is not None and not self.data.is_finite():
            self.data = None
            raise ValueError("Not a finite number.")
