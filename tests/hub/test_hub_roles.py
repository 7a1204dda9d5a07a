"""Roles, refusals and the signed-in user without a browser (issue 20)."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from toolkit.errors import UserError
from toolkit.hub import guard
from toolkit.hub import roles as R

KID = "0123abcd-0000-4000-8000-00000000abcd"


@pytest.fixture
def as_user(monkeypatch: pytest.MonkeyPatch):  # noqa: ANN201
    def sign_in(name: str | None, role: str | None = None) -> None:
        for k, v in ((R.ENV_USER, name), (R.ENV_ROLE, role)):
            if v is None:
                monkeypatch.delenv(k, raising=False)
            else:
                monkeypatch.setenv(k, v)
    return sign_in


def test_outside_the_hub_everything_is_allowed_and_the_typed_name_counts(as_user) -> None:  # noqa: ANN001
    as_user(None)
    assert R.allowed("review") and R.who("  Li  ") == "Li" and R.who("") is None
    R.require("review")


def test_under_the_hub_the_signed_in_user_is_recorded(as_user) -> None:  # noqa: ANN001
    as_user("eva", "evaluator")
    assert R.who("somebody else") == "eva"
    from toolkit.project.review import who_default

    assert who_default("typed name") == "eva"


@pytest.mark.parametrize(("role", "review", "note"), [("admin", True, True), ("supervisor", True, True),
                                                       ("evaluator", False, True), ("leadership", False, False),
                                                       ("", False, False), ("root", False, False)])
def test_role_permissions(as_user, role: str, review: bool, note: bool) -> None:  # noqa: ANN001
    as_user("u", role)
    assert R.allowed("review") is review and R.allowed("note") is note


def test_highest_group_wins() -> None:
    assert R.role_of(["leadership", "supervisor"]) == "supervisor"
    assert R.role_of(["admin", "evaluator"]) == "admin" and R.role_of(["other"]) is None


def test_review_decision_refused_for_an_evaluator_in_the_project_call(as_user) -> None:  # noqa: ANN001
    from toolkit.project import review

    as_user("eva", "evaluator")
    with pytest.raises(UserError) as e:   # refused before the project is even read
        review.decide(SimpleNamespace(), "A1", "wrong_inclusion", "confirmed", "why")
    assert e.value.key == "hub.refused"
    msg = e.value.message("en")
    assert "eva" in msg and "evaluator" in msg and "review decisions" in msg and "_" not in msg
    with pytest.raises(UserError):
        review.set_status(SimpleNamespace(), "KEY1", "rejected", "why")


def test_walkthrough_note_takes_the_hub_user_and_refuses_leadership(as_user, tmp_path) -> None:  # noqa: ANN001
    from toolkit.store import open_store
    from toolkit.widgets.walkthrough import record_note

    url = f"sqlite:///{tmp_path / 'store.db'}"
    as_user("eva", "evaluator")
    record_note(url, "A1", "seen the bank slip", "typed name")
    with open_store(url) as st:
        assert st.notes()["who"].tolist() == ["eva"]
    as_user("lead", "leadership")
    with pytest.raises(UserError) as e:
        record_note(url, "A1", "a note", "")
    assert e.value.key == "hub.refused"


LEAD_REFUSED = ["/voila/render/walkthrough.ipynb", "/voila/render/entry.ipynb", "/voila/render/quality.ipynb",
                "/voila/render/progress.ipynb", "/files/evaluation.toml", "/voila/files/x.csv", "/voila/",
                "/voila/tree/", "/api/kernels", f"/api/kernels/{KID}/restart", "/api/sessions", "/api/contents/",
                "/tree", "/lab", "/voila/api/contents/"]
LEAD_ALLOWED = ["/voila/render/leadership.ipynb", "/voila/static/voila.js", f"/api/kernels/{KID}/channels",
                f"/api/kernels/{KID}", "/oauth_callback", "/logout", "/static/x.css", "/"]


@pytest.mark.parametrize("path", LEAD_REFUSED)
def test_leadership_refused(path: str) -> None:
    assert guard.verdict(path, "leadership") is not None


@pytest.mark.parametrize("path", LEAD_ALLOWED)
def test_leadership_allowed(path: str) -> None:
    assert guard.verdict(path, "leadership") is None


def test_kernel_api_refused_for_every_role_unless_the_lab_hook() -> None:
    for role in ("evaluator", "supervisor", "admin"):
        assert guard.verdict("/voila/render/walkthrough.ipynb", role) is None
        assert guard.verdict("/api/kernels", role, method="POST") == "kernel"
        assert guard.verdict(f"/api/kernels/{KID}", role, method="DELETE") == "kernel"
        assert guard.verdict("/api/kernels", role, lab=True) is None
    assert guard.verdict("/api/kernels", "leadership", lab=True) is not None
    assert guard.verdict(f"/api/kernels/{KID}", "leadership", method="DELETE") is not None
    assert guard.verdict("/voila/render/leadership.ipynb", None) is not None   # no role: nothing


def test_refusal_page_and_log(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    import asyncio
    import json

    from tornado import web
    from tornado.httpclient import AsyncHTTPClient
    from tornado.testing import bind_unused_port

    monkeypatch.setenv(R.ENV_USER, "lead")
    monkeypatch.setenv(guard.ENV_LOG, str(tmp_path))

    class Ok(web.RequestHandler):
        def get(self) -> None:
            self.write("dashboard")

    async def run() -> list:
        app = web.Application([(r"/user/lead/.*", Ok)])
        guard.install(app, "/user/lead/", "leadership")
        sock, port = bind_unused_port()
        from tornado.httpserver import HTTPServer

        srv = HTTPServer(app)
        srv.add_sockets([sock])
        c = AsyncHTTPClient()
        out = []
        for path, lang in (("voila/render/leadership.ipynb", ""), ("voila/render/walkthrough.ipynb", "en"),
                           ("files/roster.xlsx", ""), ("api/kernels", "")):
            r = await c.fetch(f"http://127.0.0.1:{port}/user/lead/{path}", raise_error=False,
                              headers={"Accept-Language": lang} if lang else {})
            out.append((r.code, r.body.decode("utf-8")))
        srv.stop()
        return out

    (ok, walk, files, api) = asyncio.run(run())
    assert ok == (200, "dashboard")
    assert walk[0] == 403 and "may not open" in walk[1] and "lead" in walk[1] and "leadership" in walk[1]
    assert files[0] == 403 and "无权" in files[1]
    assert api[0] == 403 and json.loads(api[1])["message"]
    logged = [json.loads(x) for x in (tmp_path / "refusals.log").read_text(encoding="utf-8").splitlines()]
    assert [(x["user"], x["role"], x["path"]) for x in logged] == [
        ("lead", "leadership", "/voila/render/walkthrough.ipynb"), ("lead", "leadership", "/files/roster.xlsx"),
        ("lead", "leadership", "/api/kernels")]
