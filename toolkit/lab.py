"""JupyterLab for evaluators: the project's copies of the notebooks, the lab's
settings and the JupyterLab process behind ``fieldeval lab``.

* **The project's notebooks** (:func:`prepare`): the shipped notebooks
  (``notebooks/``, or the packaged copies of an installed fieldeval) are copied
  into ``<project>/notebooks/`` with their parameters cell set for the project
  (``project = ".."``: the kernel runs in the notebook's folder, so the copies
  keep working when the project folder is moved; the sample's seed; the
  language). A ledger (``notebooks/.fieldeval-notebooks.json``) records the
  cells of every copy as written; a copy whose cells still equal the ledger is
  refreshed at the next start (new shipped version, other language), a copy the
  evaluator edited is kept as it is and reported (``reset=True`` moves it aside
  to ``<name>.edited-<time>.ipynb`` first). Outputs, execution counts and cell
  metadata do not count as edits: running a notebook is not editing it.
* **Settings outside the user's home** (:func:`settings`): JupyterLab's user
  settings, workspaces, Jupyter's config, data and runtime folders all live in
  ``<project>/output/.lab/`` (runtime 0700, removed at exit): the interface
  language (``zh_CN`` from jupyterlab-language-pack-zh-CN, or ``en``), no news
  or update checks (no request leaves the machine), and the kernel spec for
  this interpreter (:func:`toolkit.report.notebooks.write_kernelspec`).
* **The process** (:func:`launch`, :func:`start`): JupyterLab through
  :mod:`toolkit.lab_server` on 127.0.0.1 with a token from a 0600 file (as
  ``fieldeval serve``: never on a command line, never in the kernels'
  environment), the read-only extension manager, in its own session; stopped
  with :func:`toolkit.commands.serve.stop` (SIGTERM, then whatever it started).

For the team deployment (JupyterHub, another room): an evaluator's or
supervisor's single-user server is ``fieldeval lab``'s settings —
:func:`lab_argv` and :func:`environment` give the command line and the
environment a spawner can reuse.
"""
from __future__ import annotations

import hashlib
import json
import os
import secrets
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from toolkit.errors import UserError

AREA = Path("output") / ".lab"            # settings, workspaces, kernel spec, runtime (under the project)
NOTEBOOKS = "notebooks"                   # the project's copies
LEDGER = ".fieldeval-notebooks.json"      # what fieldeval wrote into each copy (its cells' fingerprint)
LOCALES = {"zh": "zh_CN", "en": "en"}
KERNEL_DISPLAY = "fieldeval 评估 (Python)"
DEFAULT_PORT = 8888


def project_root(project: str | Path) -> Path:
    """The project folder, absolute."""
    return Path(project).resolve()


# --- the project's copies of the notebooks -------------------------------------------------------------
def fingerprint(nb: dict) -> str:
    """SHA-256 of a notebook's cells (type and source only): what an evaluator edits."""
    cells = [(c.get("cell_type"), "".join(c.get("source", "")) if isinstance(c.get("source"), list)
              else c.get("source", "")) for c in nb.get("cells", [])]
    return hashlib.sha256(json.dumps(cells, ensure_ascii=False).encode("utf-8")).hexdigest()


def parameters_source(seed: str, lang: str) -> str:
    """The parameters cell of a project's copy (module doc)."""
    return (
        "# 参数 / parameters（由 fieldeval lab 为本项目设置 / set for this project by fieldeval lab）\n"
        'project = ".."            # 本项目（笔记本所在文件夹的上一级）/ this project (the folder above the notebooks)\n'
        f"seed = {json.dumps(str(seed))}              # 抽样种子（公开来源）/ sampling seed (from a public draw)\n"
        f"lang = {json.dumps(lang)}                # 语言 zh | en / language\n"
        'out = ""                  # 结果目录（留空则用项目的 output/notebooks）/ results directory (blank: output/notebooks)')


def project_copy(shipped: dict, *, seed: str, lang: str, kernel: str) -> dict:
    """``shipped`` (a notebook as JSON) with its parameters cell set for the
    project, the kernel spec ``kernel`` and no outputs."""
    nb = json.loads(json.dumps(shipped))
    for c in nb["cells"]:
        if "parameters" in (c.get("metadata") or {}).get("tags", []):
            c["source"] = parameters_source(seed, lang)
        if c.get("cell_type") == "code":
            c["outputs"], c["execution_count"] = [], None
    nb.setdefault("metadata", {})["kernelspec"] = {"name": kernel, "display_name": KERNEL_DISPLAY, "language": "python"}
    return nb


@dataclass(frozen=True)
class Prepared:
    """The project's notebooks: their folder, the copies written or refreshed,
    the evaluator's edited copies kept, and those moved aside by ``reset``."""

    directory: Path
    written: tuple[str, ...]
    kept: tuple[str, ...]
    moved: tuple[Path, ...]


def _dump(nb: dict) -> str:
    return json.dumps(nb, ensure_ascii=False, indent=1) + "\n"


def prepare(project: str | Path, *, lang: str = "zh", kernel: str | None = None, reset: bool = False,
            source: str | Path | None = None, seed: str | None = None) -> Prepared:
    """Copy the shipped notebooks into ``<project>/notebooks/`` (module doc)."""
    import tempfile

    from toolkit.report import notebooks as nbs

    root = Path(project).resolve()
    if not (root / "evaluation.toml").exists():
        raise UserError("config.not_found", path=str(root / "evaluation.toml"))
    kernel = kernel or nbs.kernel_name()
    seed = seed if seed is not None else nbs._manifest_seed(str(root))
    target = root / NOTEBOOKS
    target.mkdir(parents=True, exist_ok=True)
    ledger_path = target / LEDGER
    try:
        ledger = json.loads(ledger_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        ledger = {}
    written, kept, moved = [], [], []
    with tempfile.TemporaryDirectory(prefix="fieldeval-nb-") as scratch:
        src = nbs.locate(source, scratch)
        for name in nbs.NAMES:
            path = target / f"{name}.ipynb"
            if path.exists():
                try:
                    mine = fingerprint(json.loads(path.read_text(encoding="utf-8")))
                except (OSError, ValueError):
                    mine = ""
                if mine != ledger.get(name):
                    if not reset:
                        kept.append(name)
                        continue
                    aside = target / f"{name}.edited-{time.strftime('%Y%m%dT%H%M%S')}.ipynb"
                    path.replace(aside)
                    moved.append(aside)
            shipped = json.loads((Path(src) / f"{name}.ipynb").read_text(encoding="utf-8"))
            nb = project_copy(shipped, seed=seed, lang=lang, kernel=kernel)
            path.write_text(_dump(nb), encoding="utf-8")
            ledger[name] = fingerprint(nb)
            written.append(name)
    ledger_path.write_text(json.dumps(ledger, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return Prepared(target, tuple(written), tuple(kept), tuple(moved))


# --- settings ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Area:
    """The lab's folders under ``<project>/output/.lab`` (module doc)."""

    root: Path

    @property
    def settings(self) -> Path:
        return self.root / "user-settings"

    @property
    def workspaces(self) -> Path:
        return self.root / "workspaces"

    @property
    def config(self) -> Path:
        return self.root / "config"

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def runtime(self) -> Path:
        return self.root / "runtime"


def _settings_file(area: Area, plugin: str, values: dict) -> None:
    pkg, _, name = plugin.partition(":")
    p = area.settings / pkg / f"{name}.jupyterlab-settings"
    p.parent.mkdir(parents=True, exist_ok=True)
    try:
        old = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        old = {}
    p.write_text(json.dumps({**old, **values}, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def settings(project: str | Path, lang: str = "zh") -> Area:
    """Write the lab's settings and kernel spec into ``<project>/output/.lab``;
    the language always follows ``lang`` (the command's ``--lang``), other
    settings the evaluator changed in JupyterLab are kept."""
    from toolkit.report import notebooks as nbs

    area = Area(Path(project).resolve() / AREA)
    for d in (area.settings, area.workspaces, area.config, area.data):
        d.mkdir(parents=True, exist_ok=True)
    area.runtime.mkdir(mode=0o700, exist_ok=True)
    os.chmod(area.runtime, 0o700)
    _settings_file(area, "@jupyterlab/translation-extension:plugin", {"locale": LOCALES[lang]})
    _settings_file(area, "@jupyterlab/apputils-extension:notification", {"fetchNews": "false", "checkForUpdates": False})
    # the notebooks are short: render every cell (no windowing), so a table scrolled out of view is still on the page
    _settings_file(area, "@jupyterlab/notebook-extension:tracker", {"windowingMode": "none"})
    nbs.write_kernelspec(area.data, display_name=KERNEL_DISPLAY)
    return area


# --- the process ---------------------------------------------------------------------------------------
def lab_argv(port: int, ip: str = "127.0.0.1") -> list[str]:
    """JupyterLab's command line (no secret on it); the rest is set in
    :mod:`toolkit.lab_server`."""
    return [sys.executable, "-m", "toolkit.lab_server", "--no-browser", f"--ServerApp.ip={ip}",
            f"--ServerApp.port={port}", "--ServerApp.port_retries=0"]


def environment(project: Path, area: Area, token_file: Path, mark: str) -> dict[str, str]:
    """The lab's environment: every Jupyter folder in the project's area (none
    in the user's home), the token file's path (not the token), the project,
    this server's mark (toolkit.commands.serve.stop finds what is left by it)."""
    from toolkit.commands.serve import ENV_MARK, SECRET_ENV
    from toolkit.commands.serve_voila import ENV_TOKEN_FILE

    env = {k: v for k, v in os.environ.items() if k not in SECRET_ENV}
    env.update({"JUPYTER_CONFIG_DIR": str(area.config), "JUPYTER_DATA_DIR": str(area.data),
                "JUPYTER_RUNTIME_DIR": str(area.runtime), "JUPYTERLAB_SETTINGS_DIR": str(area.settings),
                "JUPYTERLAB_WORKSPACES_DIR": str(area.workspaces), "FIELDEVAL_PROJECT": str(project),
                "FIELDEVAL_LAB_ROOT": str(project), ENV_TOKEN_FILE: str(token_file), ENV_MARK: mark})
    env.setdefault("MPLCONFIGDIR", str(area.root / "mpl"))
    return env


def launch(project: str | Path, port: int = DEFAULT_PORT, ip: str = "127.0.0.1", token: str | None = None, *,
           lang: str = "zh", reset: bool = False, capture: bool = False):
    """Prepare the notebooks and settings, write the token file, start
    JupyterLab in its own session. Returns (process, token, prepared)."""
    import subprocess

    from toolkit.commands.serve import ENV_TOKEN, VoilaProcess, write_token

    root = Path(project).resolve()
    prepared = prepare(root, lang=lang, reset=reset)
    area = settings(root, lang)
    token = token or os.environ.get(ENV_TOKEN) or secrets.token_urlsafe(24)
    token_file = write_token(area.root, token)
    mark = secrets.token_hex(8)
    out = {"stdout": subprocess.PIPE, "stderr": subprocess.STDOUT, "text": True} if capture else {}
    proc = VoilaProcess(lab_argv(port, ip), env=environment(root, area, token_file, mark), cwd=str(root),
                        start_new_session=True, **out)
    proc.mark, proc.token_file = mark, token_file
    return proc, token, prepared


def start(project: str | Path, port: int = DEFAULT_PORT, ip: str = "127.0.0.1", token: str | None = None,
          **kw: object):
    """JupyterLab in the background, output captured (tests); returns (process,
    token, url, prepared). End it with toolkit.commands.serve.stop."""
    proc, token, prepared = launch(project, port, ip, token, capture=True, **kw)
    return proc, token, f"http://{ip}:{port}/", prepared


__all__ = ["AREA", "NOTEBOOKS", "LEDGER", "Area", "Prepared", "fingerprint", "parameters_source", "project_copy",
           "project_root", "prepare", "settings", "lab_argv", "environment", "launch", "start"]
