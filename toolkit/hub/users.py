"""``fieldeval hub user add | list | remove | role``: accounts and roles in the
hub's database (issue 20).

An account is three things in ``jupyterhub.sqlite``: JupyterHub's user (an
``admin`` is also a hub administrator), its membership of exactly one role
group (``admin``, ``supervisor``, ``evaluator``, ``leadership``) and
NativeAuthenticator's record (bcrypt hash of the password, authorised). The
password is read from standard input (first line) or generated (16
characters from ``secrets``) and printed once; it is never stored in clear
or written to a log. Changes made while the hub runs take effect at the
user's next sign-in and server start (the hub reads the database then);
the last administrator cannot be removed or demoted.
"""
from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from toolkit.errors import UserError
from toolkit.hub.roles import ROLES, role_of

NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
MIN_PASSWORD = 8


@dataclass(frozen=True)
class Account:
    """One account: name, role (None when in no role group), admin flag, authorised."""

    name: str
    role: str | None
    admin: bool
    authorised: bool


def open_hub_db(project: str | Path):  # noqa: ANN201 - SQLAlchemy session
    """A session on the project's hub database (created with its tables when new)."""
    import nativeauthenticator.orm  # noqa: F401 - registers users_info on JupyterHub's Base
    from jupyterhub import orm

    from toolkit.hub.setup import hub_db_url, hub_dir

    if not (hub_dir(project) / "jupyterhub_config.py").exists():
        raise UserError("hub.not_initialised", path=str(hub_dir(project) / "jupyterhub_config.py"),
                        project=str(project))
    return orm.new_session_factory(hub_db_url(project))()


def _check_role(role: str) -> str:
    if role not in ROLES:
        raise UserError("hub.bad_role", role=role)
    return role


def _set_groups(db, user, role: str) -> None:  # noqa: ANN001
    from jupyterhub import orm

    keep = [g for g in user.groups if g.name not in ROLES]
    group = orm.Group.find(db, role) or orm.Group(name=role)
    if group not in db:
        db.add(group)
    user.groups = [*keep, group]
    user.admin = role == "admin"


def new_password() -> str:
    """A random password of 16 letters and digits."""
    alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(16))


def add(project: str | Path, name: str, role: str, password: str | None = None) -> str:
    """Create an authorised account with ``role``; returns the password (generated when None)."""
    import bcrypt
    from jupyterhub import orm
    from nativeauthenticator.orm import UserInfo

    name = name.strip()
    if not NAME.match(name):
        raise UserError("hub.bad_name", name=name)
    _check_role(role)
    pw = new_password() if password is None else password
    if len(pw) < MIN_PASSWORD:
        raise UserError("hub.short_password", n=MIN_PASSWORD)
    db = open_hub_db(project)
    try:
        if orm.User.find(db, name) is not None or UserInfo.find(db, name) is not None:
            raise UserError("hub.user_exists", name=name)
        user = orm.User(name=name)
        db.add(user)
        _set_groups(db, user, role)
        db.add(UserInfo(username=name, password=bcrypt.hashpw(pw.encode("utf-8"), bcrypt.gensalt()),
                        is_authorized=True))
        db.commit()
    finally:
        db.close()
    return pw


def accounts(project: str | Path) -> list[Account]:
    """Every account, by name."""
    from jupyterhub import orm
    from nativeauthenticator.orm import UserInfo

    db = open_hub_db(project)
    try:
        info = {u.username: bool(u.is_authorized) for u in UserInfo.all_users(db)}
        return [Account(u.name, role_of([g.name for g in u.groups]), bool(u.admin), info.get(u.name, False))
                for u in sorted(db.query(orm.User).all(), key=lambda u: u.name)]
    finally:
        db.close()


def _admins(db) -> list[str]:  # noqa: ANN001
    from jupyterhub import orm

    g = orm.Group.find(db, "admin")
    return [u.name for u in g.users] if g is not None else []


def remove(project: str | Path, name: str) -> None:
    """Delete the account (hub user and password record)."""
    from jupyterhub import orm
    from nativeauthenticator.orm import UserInfo

    db = open_hub_db(project)
    try:
        user = orm.User.find(db, name)
        if user is None:
            raise UserError("hub.no_user", name=name)
        if _admins(db) == [name]:
            raise UserError("hub.last_admin", name=name)
        info = UserInfo.find(db, name)
        if info is not None:
            db.delete(info)
        db.delete(user)
        db.commit()
    finally:
        db.close()


def set_role(project: str | Path, name: str, role: str) -> None:
    """Give the account ``role`` (its only role group)."""
    from jupyterhub import orm

    _check_role(role)
    db = open_hub_db(project)
    try:
        user = orm.User.find(db, name)
        if user is None:
            raise UserError("hub.no_user", name=name)
        if role != "admin" and _admins(db) == [name]:
            raise UserError("hub.last_admin", name=name)
        _set_groups(db, user, role)
        db.commit()
    finally:
        db.close()
