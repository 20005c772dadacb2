"""User administration and the alias table: the forms of tracker/web/admin.py."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from tracker.models import Role
from tracker.services.accounts.users import MAX_PASSWORD, MIN_PASSWORD

ROLE_CHOICES = [SelectChoice(role.value, role.value) for role in Role]
REASON = [DataRequired(message="Give a reason."), Length(max=500)]
PASSWORD = [DataRequired(), Length(min=MIN_PASSWORD, max=MAX_PASSWORD)]


class CreateUserForm(FlaskForm):  # type: ignore[misc]
    username = StringField("Username", validators=[DataRequired(), Length(max=64)])
    display_name = StringField("Display name", validators=[Optional(), Length(max=200)])
    role = SelectField("Role", choices=ROLE_CHOICES, default=Role.VIEWER.value)
    password = PasswordField("Password", validators=PASSWORD)


class RoleForm(FlaskForm):  # type: ignore[misc]
    role = SelectField("New role", choices=ROLE_CHOICES)
    role_reason = StringField("Reason for the role change", validators=REASON)


class ActiveForm(FlaskForm):  # type: ignore[misc]
    active_reason = StringField("Reason", validators=REASON)


class ResetPasswordForm(FlaskForm):  # type: ignore[misc]
    new_password = PasswordField("New password", validators=PASSWORD)
    reset_reason = StringField("Reason for the reset", validators=REASON)


class AliasFilterForm(FlaskForm):  # type: ignore[misc]
    class Meta:
        csrf = False

    q = StringField("Filter", validators=[Optional(), Length(max=200)])


class AddAliasForm(FlaskForm):  # type: ignore[misc]
    surface = StringField("Surface form", validators=[DataRequired(), Length(max=200)])
    canonical = StringField("Canonical entity", validators=[DataRequired(), Length(max=100)])


class RemoveAliasForm(FlaskForm):  # type: ignore[misc]
    remove_surface = StringField("Surface form", validators=[DataRequired(), Length(max=200)])
    remove_reason = StringField("Reason", validators=REASON)
