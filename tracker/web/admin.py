"""Administration: user accounts (admins only) and the entity alias table (everyone reads it,
admins edit it). Every change goes through a service that audits it; role, activation and
password changes need a reason."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm

from tracker.boundary import savepoint
from tracker.db import get_session
from tracker.models import Role, User
from tracker.services.accounts import sign_in as accounts
from tracker.services.accounts.users import create_user
from tracker.services.dedup.aliases import add_alias, alias_map, remove_alias
from tracker.services.errors import DomainError
from tracker.services.pagination import Page, page_number
from tracker.web.auth import require_role, web_actor
from tracker.web.errors import status_of
from tracker.web.forms.admin import (
    ActiveForm,
    AddAliasForm,
    AliasFilterForm,
    CreateUserForm,
    RemoveAliasForm,
    ResetPasswordForm,
    RoleForm,
)

bp = Blueprint("admin", __name__)


# --- users ------------------------------------------------------------------------------------


def _users_page(
    selected: User | None = None, status: int = 200, **forms: FlaskForm
) -> ResponseReturnValue:
    """The user list, the create form and, for ``selected``, its management forms."""
    if selected is not None:
        forms.setdefault("role_form", RoleForm(formdata=None, role=selected.role.value))
    defaults = {
        "create_form": CreateUserForm(formdata=None),
        "role_form": RoleForm(formdata=None),
        "active_form": ActiveForm(formdata=None),
        "reset_form": ResetPasswordForm(formdata=None),
    }
    page_forms = defaults | forms
    users = accounts.list_users(get_session())
    return render_template("users.html", users=users, selected=selected, **page_forms), status


def _refused(
    exc: DomainError, form: FlaskForm, field: str, user: User | None, name: str
) -> ResponseReturnValue:
    """Re-show the page with the service's refusal under ``field`` (the savepoint it was raised
    in is rolled back: nothing is kept)."""
    form[field].errors.append(str(exc))
    return _users_page(user, status_of(exc), **{name: form})


@bp.get("/users")
@require_role(Role.ADMIN)
def users() -> ResponseReturnValue:
    raw = request.args.get("user", "")
    number = raw.isascii() and raw.isdigit() and len(raw) <= 9  # not "²", nor past an integer
    selected = accounts.get_user_by_id(get_session(), int(raw)) if number else None
    return _users_page(selected)


@bp.post("/users/new")
@require_role(Role.ADMIN)
def create() -> ResponseReturnValue:
    form = CreateUserForm()
    if not form.validate_on_submit():
        return _users_page(None, 422, create_form=form)
    with savepoint(DomainError) as refused:
        user = create_user(
            get_session(),
            form.username.data,
            role=form.role.data,
            password=form.password.data,
            display_name=form.display_name.data or "",
            actor=web_actor(),
        )
    if refused.error is not None:
        where = "password" if "password" in str(refused.error) else "username"
        return _refused(refused.error, form, where, None, "create_form")
    flash(f"User {user.username} created with the {user.role.value} role.", "success")
    return redirect(url_for("admin.users", user=user.id))


@bp.post("/users/<int:user_id>/role")
@require_role(Role.ADMIN)
def change_role(user_id: int) -> ResponseReturnValue:
    db = get_session()
    user = accounts.get_user_by_id(db, user_id)
    form = RoleForm()
    if not form.validate_on_submit():
        return _users_page(user, 422, role_form=form)
    before = user.role
    with savepoint(DomainError) as refused:
        accounts.set_role(
            db, user, form.role.data, actor=web_actor(), reason=form.role_reason.data.strip()
        )
    if refused.error is not None:
        return _refused(refused.error, form, "role", user, "role_form")
    if user.role is before:
        flash(f"{user.username} already has the {before.value} role.", "info")
    else:
        flash(f"{user.username} is now {user.role.value} (was {before.value}).", "success")
    return redirect(url_for("admin.users", user=user.id))


def _set_active(user_id: int, active: bool) -> ResponseReturnValue:
    db = get_session()
    user = accounts.get_user_by_id(db, user_id)
    form = ActiveForm()
    if not form.validate_on_submit():
        return _users_page(user, 422, active_form=form)
    with savepoint(DomainError) as refused:
        accounts.set_active(
            db, user, active, actor=web_actor(), reason=form.active_reason.data.strip()
        )
    if refused.error is not None:
        return _refused(refused.error, form, "active_reason", user, "active_form")
    if active:
        flash(f"{user.username} is active again.", "success")
    else:
        flash(f"{user.username} is deactivated; their sessions are ended.", "success")
    return redirect(url_for("admin.users", user=user.id))


@bp.post("/users/<int:user_id>/deactivate")
@require_role(Role.ADMIN)
def deactivate(user_id: int) -> ResponseReturnValue:
    return _set_active(user_id, False)


@bp.post("/users/<int:user_id>/reactivate")
@require_role(Role.ADMIN)
def reactivate(user_id: int) -> ResponseReturnValue:
    return _set_active(user_id, True)


@bp.post("/users/<int:user_id>/password")
@require_role(Role.ADMIN)
def reset_password(user_id: int) -> ResponseReturnValue:
    db = get_session()
    user = accounts.get_user_by_id(db, user_id)
    form = ResetPasswordForm()
    if not form.validate_on_submit():
        return _users_page(user, 422, reset_form=form)
    with savepoint(DomainError) as refused:
        accounts.reset_password(
            db,
            user,
            form.new_password.data,
            actor=web_actor(),
            reason=form.reset_reason.data.strip(),
        )
    if refused.error is not None:
        return _refused(refused.error, form, "new_password", user, "reset_form")
    flash(f"The password of {user.username} is reset; their sessions are ended.", "success")
    return redirect(url_for("admin.users", user=user.id))


# --- aliases ----------------------------------------------------------------------------------


ALIAS_ROWS = 50  # surface forms per page of the aliases table


def matching_aliases(table: dict[str, str], query: str = "") -> list[tuple[str, str]]:
    """(canonical, surface) rows sorted by entity, then form. With ``query``, the rows whose
    entity name or surface form holds it (any case, spacing collapsed)."""
    needle = " ".join(query.casefold().split())
    rows = [
        (canonical, surface)
        for surface, canonical in table.items()
        if not needle or needle in canonical or needle in surface.casefold()
    ]
    return sorted(rows)


def _aliases_page(status: int = 200, **forms: Any) -> ResponseReturnValue:
    filter_form = AliasFilterForm(request.args)
    filter_form.validate()
    remove = request.args.get("remove", "")[:200]
    defaults = {
        "add_form": AddAliasForm(formdata=None),
        "remove_form": RemoveAliasForm(formdata=None, remove_surface=remove),
    }
    table = alias_map(get_session())
    query = filter_form.q.data or ""
    rows = matching_aliases(table, query)
    number = page_number(request.args.get("page"))
    pages = max(1, -(-len(rows) // ALIAS_ROWS))
    number = min(number, pages)
    shown = rows[(number - 1) * ALIAS_ROWS : number * ALIAS_ROWS]
    body = render_template(
        "aliases.html",
        page=Page(shown, number, ALIAS_ROWS, len(rows)),
        args={"q": query} if query else {},
        total=len(table),
        canonicals=sorted(set(table.values())),
        filter_form=filter_form,
        **(defaults | forms),
    )
    return body, status


@bp.get("/aliases")
def aliases() -> ResponseReturnValue:
    return _aliases_page()


@bp.post("/aliases/add")
@require_role(Role.ADMIN)
def alias_add() -> ResponseReturnValue:
    form = AddAliasForm()
    if not form.validate_on_submit():
        return _aliases_page(422, add_form=form)
    with savepoint(DomainError) as refused:
        # add_alias also renormalizes the claims that mention the surface (as the CLI does).
        alias = add_alias(get_session(), form.surface.data, form.canonical.data, actor=web_actor())
    if refused.error is not None:
        form.surface.errors.append(str(refused.error))
        return _aliases_page(status_of(refused.error), add_form=form)
    flash(f"“{alias.surface}” now stands for {alias.canonical}.", "success")
    return redirect(url_for("admin.aliases", q=alias.canonical))


@bp.post("/aliases/remove")
@require_role(Role.ADMIN)
def alias_remove() -> ResponseReturnValue:
    form = RemoveAliasForm()
    if not form.validate_on_submit():
        return _aliases_page(422, remove_form=form)
    with savepoint(DomainError) as refused:
        remove_alias(
            get_session(),
            form.remove_surface.data,
            actor=web_actor(),
            reason=form.remove_reason.data.strip(),
        )
    if refused.error is not None:
        form.remove_surface.errors.append(str(refused.error))
        return _aliases_page(status_of(refused.error), remove_form=form)
    flash(f"“{form.remove_surface.data.strip()}” is no longer an alias.", "success")
    return redirect(url_for("admin.aliases"))
