"""Who is signed in and what their role lets them do (issue 20).

Under JupyterHub every single-user server is started with the signed-in
user's name in ``$JUPYTERHUB_USER`` (set by the hub) and the role the hub
derived from the user's groups in ``$FIELDEVAL_ROLE`` (set by the spawner
hook of the generated ``jupyterhub_config.py``, never by the user; the
browser cannot execute code in the kernels, see :mod:`toolkit.hub.guard`).
Without ``$JUPYTERHUB_USER`` (``fieldeval serve`` with its token, the
command line) nothing changes: the person is the typed name or the OS user
and every action is allowed.

Roles, highest first (a user in several groups gets the highest):

* ``admin``: users and roles (the hub's admin page), keys; in the dashboards as supervisor;
* ``supervisor``: as evaluator, plus review decisions, overrides and
  submission statuses (back-check results);
* ``evaluator``: walkthrough (notes), entry form, quality, progress,
  identifiable files of the project;
* ``leadership``: the leadership dashboard only (de-identified).
"""
from __future__ import annotations

import os

from toolkit.errors import UserError

ENV_USER = "JUPYTERHUB_USER"
ENV_ROLE = "FIELDEVAL_ROLE"
ROLES = ("admin", "supervisor", "evaluator", "leadership")   # highest first

_EVALUATOR = frozenset({"leadership", "walkthrough", "entry", "quality", "progress", "files", "note"})
PERMISSIONS: dict[str, frozenset[str]] = {
    "leadership": frozenset({"leadership"}),
    "evaluator": _EVALUATOR,
    "supervisor": _EVALUATOR | {"review"},
    "admin": _EVALUATOR | {"review"},
}
DASHBOARD_ACTION = {"leadership": "leadership", "walkthrough": "walkthrough", "entry": "entry",
                    "quality": "quality", "progress": "progress"}


def under_hub() -> bool:
    """Whether this process runs in a JupyterHub user's server (or its kernels)."""
    return bool(os.environ.get(ENV_USER, "").strip())


def hub_user() -> str | None:
    """The signed-in hub user's name, or None outside the hub."""
    name = os.environ.get(ENV_USER, "").strip()
    return name or None


def role_of(groups: list[str] | tuple[str, ...] | set[str]) -> str | None:
    """The highest role among a user's hub groups (None when in none of them)."""
    have = set(groups)
    return next((r for r in ROLES if r in have), None)


def current_role() -> str | None:
    """The role of the signed-in hub user (None outside the hub, or under the
    hub with no role: then nothing is allowed)."""
    if not under_hub():
        return None
    role = os.environ.get(ENV_ROLE, "").strip()
    return role if role in PERMISSIONS else None


def allowed(action: str, role: str | None = None) -> bool:
    """Whether ``action`` is allowed: always outside the hub; under it, as the role says."""
    if role is None and not under_hub():
        return True
    role = role if role is not None else current_role()
    return role is not None and action in PERMISSIONS.get(role, frozenset())


class Refused(UserError):
    """A role's refusal (``hub.refused``): role and action in the reader's language."""

    def __init__(self, user: str, role: str | None, action: str) -> None:
        super().__init__("hub.refused", user=user, role=role or "", action=action)
        self.role, self.action = role, action

    def message(self, lang: str | None = None) -> str:
        from toolkit.i18n import t

        return t("hub.refused", lang, user=self.fields["user"], role=role_word(self.role, lang),
                 action=action_word(self.action, lang))


def require(action: str) -> None:
    """Refuse ``action`` (:class:`Refused`) when the signed-in user's role does not allow it."""
    if not allowed(action):
        raise Refused(hub_user() or "", current_role(), action)


def role_word(role: str | None, lang: str | None = None) -> str:
    """A role in words."""
    from toolkit.i18n import t

    return t(f"hub.role.{role}" if role in PERMISSIONS else "hub.role.none", lang)


def action_word(action: str, lang: str | None = None) -> str:
    """An action in words."""
    from toolkit.i18n import t

    return t(f"hub.action.{action}", lang)


def who(typed: str | None = None) -> str | None:
    """The person to record: the hub user under the hub (a typed name is
    ignored there: nobody types a name), else ``typed`` (None when empty)."""
    user = hub_user()
    if user:
        return user
    return str(typed).strip() if typed and str(typed).strip() else None


__all__ = ["Refused", "ENV_USER", "ENV_ROLE", "ROLES", "PERMISSIONS", "under_hub", "hub_user", "role_of",
           "current_role", "allowed", "require", "who", "role_word", "action_word"]
