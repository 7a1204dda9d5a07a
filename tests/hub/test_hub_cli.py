"""``fieldeval hub init`` and ``fieldeval hub user`` (issue 20), without starting a hub."""
from __future__ import annotations

import io
import os
import stat
from pathlib import Path

import pytest

from toolkit.cli import main
from toolkit.hub import users
from toolkit.hub.setup import hub_dir


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("hubcli") / "proj"
    d.mkdir()
    (d / "evaluation.toml").write_text("", encoding="utf-8")
    assert main(["hub", "init", "--project", str(d), "--mem-limit", "2G", "--database-url",
                 "postgresql+psycopg://u@127.0.0.1/db"]) == 0
    return d


def test_init_writes_private_config(project: Path, capsys: pytest.CaptureFixture) -> None:
    d = hub_dir(project)
    assert stat.S_IMODE(os.stat(d).st_mode) == 0o700
    for f in ("jupyterhub_config.py", "jupyterhub_cookie_secret", "jupyterhub.sqlite", "database_url"):
        assert stat.S_IMODE(os.stat(d / f).st_mode) == 0o600, f
    assert len((d / "jupyterhub_cookie_secret").read_text()) == 64
    assert main(["hub", "init", "--project", str(project), "--lang", "en"]) == 2   # exists: --force needed
    assert "--force" in capsys.readouterr().err


class _Cfg:
    """A stand-in for traitlets' config: every attribute an object that records assignments."""

    def __init__(self) -> None:
        self.__dict__["_d"] = {}

    def __getattr__(self, k: str):  # noqa: ANN204
        return self._d.setdefault(k, _Cfg())

    def __setattr__(self, k: str, v: object) -> None:
        self._d[k] = v


def test_config_loads_and_sets_role_from_groups(project: Path) -> None:
    from types import SimpleNamespace

    c = _Cfg()
    ns = {"get_config": lambda: c, "__file__": str(hub_dir(project) / "jupyterhub_config.py")}
    exec(compile((hub_dir(project) / "jupyterhub_config.py").read_text(), "jupyterhub_config.py", "exec"), ns)  # noqa: S102
    assert c.NativeAuthenticator._d["enable_signup"] is False and c.NativeAuthenticator._d["open_signup"] is False
    assert c.Spawner._d["mem_limit"] == "2G"
    assert c.Spawner._d["environment"]["FIELDEVAL_DATABASE_URL"].startswith("postgresql")
    assert c.Spawner._d["environment"]["FIELDEVAL_PROJECT"] == str(project.resolve())
    assert [s["name"] for s in c.JupyterHub._d["services"]] == ["idle-culler"]
    hook = c.Spawner._d["pre_spawn_hook"]
    sp = SimpleNamespace(user=SimpleNamespace(groups=[SimpleNamespace(name="leadership")]),
                         environment=dict(c.Spawner._d["environment"]), default_url="/voila/")
    hook(sp)
    assert sp.environment["FIELDEVAL_ROLE"] == "leadership" and sp.default_url.endswith("leadership.ipynb")
    no_key = Path(sp.environment["FIELDEVAL_KEY_DIR"])          # leadership gets no project key
    assert sp.environment["FIELDEVAL_KEY"] == "" and no_key.is_dir() and not any(no_key.iterdir())
    sp.user.groups = [SimpleNamespace(name="evaluator"), SimpleNamespace(name="supervisor")]
    hook(sp)
    assert sp.environment["FIELDEVAL_ROLE"] == "supervisor" and sp.default_url == "/voila/"
    assert "FIELDEVAL_KEY" not in sp.environment and "FIELDEVAL_KEY_DIR" not in sp.environment   # the hub's own


def test_user_add_list_role_remove(project: Path, capsys: pytest.CaptureFixture,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    import bcrypt
    from nativeauthenticator.orm import UserInfo

    monkeypatch.setattr("sys.stdin", io.StringIO("a-good-password\n"))
    assert main(["hub", "user", "add", "boss", "--role", "admin", "--project", str(project)]) == 0
    assert "a-good-password" not in capsys.readouterr().out           # a given password is never printed
    assert main(["hub", "user", "add", "eva", "--role", "evaluator", "--project", str(project), "--generate",
                 "--lang", "en"]) == 0
    out = capsys.readouterr().out
    pw = out.split("hand it over safely): ")[1].strip()
    assert len(pw) == 16
    db = users.open_hub_db(project)
    try:
        assert bcrypt.checkpw(pw.encode(), UserInfo.find(db, "eva").password)
    finally:
        db.close()
    assert main(["hub", "user", "role", "eva", "--role", "supervisor", "--project", str(project)]) == 0
    assert {a.name: a.role for a in users.accounts(project)} == {"boss": "admin", "eva": "supervisor"}
    assert main(["hub", "user", "list", "--project", str(project), "--lang", "en"]) == 0
    listing = capsys.readouterr().out
    assert "eva\tsupervisor\tyes" in listing and "boss\tadministrator\tyes" in listing
    # mistakes in words
    for argv, words in ((["add", "eva", "--role", "evaluator"], "already exists"),
                        (["add", "Bad Name", "--role", "evaluator"], "Invalid user name"),
                        (["remove", "boss"], "last administrator"),
                        (["role", "boss", "--role", "evaluator"], "last administrator"),
                        (["remove", "nobody"], "no user")):
        monkeypatch.setattr("sys.stdin", io.StringIO("another-password\n"))
        assert main(["hub", "user", *argv, "--project", str(project), "--lang", "en"]) == 2
        assert words in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert main(["hub", "user", "add", "li", "--role", "evaluator", "--project", str(project), "--lang", "en"]) == 2
    assert "too short" in capsys.readouterr().err
    assert main(["hub", "user", "remove", "eva", "--project", str(project)]) == 0
    assert [a.name for a in users.accounts(project)] == ["boss"]
