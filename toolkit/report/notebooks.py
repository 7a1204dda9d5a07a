"""The six evaluation notebooks: where they are, how they are packaged, and
the runner behind ``fieldeval notebooks run``.

Source of truth: the notebooks themselves, ``notebooks/*.ipynb`` in the
checkout, edited in JupyterLab (``fieldeval lab``) or any notebook editor and
committed without outputs. They ship as package data in ``toolkit/notebooks/``
so an installed ``fieldeval`` (no checkout) still runs them;
``python -m toolkit.report.notebooks sync`` copies ``notebooks/`` there (and
strips outputs), and a test checks the two are equal. :func:`locate` uses the
checkout's ``notebooks/`` when it is there and otherwise the packaged copies.

Each notebook: a title in Chinese with an English line, a papermill
``parameters`` cell (``project``, ``seed``, ``lang``, ``out``), then for each
step what it does and why (zh, with an English line), a cell of one or two
calls to :mod:`toolkit.report.steps` / :mod:`toolkit.report.views` showing the
step's key table in words, and what to check before the next step. Long steps
show progress as one text line updated in place (toolkit.report.progress),
so a saved notebook shows the final state, not a bar stuck at "0%".

Running: papermill with a kernel spec written at run time for *this*
interpreter (:func:`kernel`), so the notebooks run in the same virtual
environment as the command, also in a fresh CI ``.venv`` with no kernel
installed.
"""
from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

NAMES = ("01_plan_sample", "02_draw_sample", "03_ingest_and_check", "04_verify_and_score",
         "05_satisfaction", "06_report")


def packaged_dir() -> Path:
    """The notebooks shipped inside the package (``toolkit/notebooks/``)."""
    import toolkit.notebooks as pkg

    return Path(pkg.__file__).resolve().parent


def clean(nb: dict) -> dict:
    """``nb`` (notebook JSON) without outputs, execution counts or widget state:
    how notebooks are committed and packaged."""
    nb = json.loads(json.dumps(nb))
    for c in nb.get("cells", []):
        if c.get("cell_type") == "code":
            c["outputs"], c["execution_count"] = [], None
    nb.get("metadata", {}).pop("widgets", None)
    return nb


def sync(source: str | Path | None = None, dest: str | Path | None = None) -> list[Path]:
    """Copy the checkout's notebooks (cleaned, :func:`clean`) into the package
    (``python -m toolkit.report.notebooks sync``); return the paths written."""
    src, dst = Path(source or checkout_dir()), Path(dest or packaged_dir())
    out = []
    for name in NAMES:
        nb = clean(json.loads((src / f"{name}.ipynb").read_text(encoding="utf-8")))
        p = dst / f"{name}.ipynb"
        p.write_text(json.dumps(nb, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        out.append(p)
    return out


def write_all(directory: str | Path) -> list[Path]:
    """Copy the packaged notebooks into ``directory``; return the paths."""
    import shutil

    d = Path(directory)
    d.mkdir(parents=True, exist_ok=True)
    out = []
    for name in NAMES:
        p = d / f"{name}.ipynb"
        shutil.copyfile(packaged_dir() / f"{name}.ipynb", p)
        out.append(p)
    return out


def checkout_dir() -> Path:
    """``notebooks/`` beside the toolkit package (a clone or an editable install)."""
    import toolkit

    return Path(toolkit.__file__).resolve().parent.parent / "notebooks"


def locate(source: str | Path | None, scratch: str | Path) -> Path:
    """The directory to run notebooks from: ``source`` if given (UserError if
    it lacks one), else the checkout's ``notebooks/`` when complete, else the
    packaged notebooks written into ``scratch``."""
    from toolkit.errors import UserError

    if source is not None:
        d = Path(source)
        missing = [n for n in NAMES if not (d / f"{n}.ipynb").exists()]
        if missing:
            raise UserError("notebooks.not_found", path=str(d / f"{missing[0]}.ipynb"))
        return d
    d = checkout_dir()
    if all((d / f"{n}.ipynb").exists() for n in NAMES):
        return d
    write_all(scratch)
    return Path(scratch)


def kernel_name() -> str:
    """The kernel spec name for this interpreter (stable per interpreter path)."""
    return "fieldeval-" + hashlib.sha256(sys.executable.encode()).hexdigest()[:10]


def write_kernelspec(base: str | Path, display_name: str | None = None) -> str:
    """Write the kernel spec for this interpreter into ``base/kernels/<name>``
    (``base`` a Jupyter data or JUPYTER_PATH folder); return its name."""
    exe, name = sys.executable, kernel_name()
    kdir = Path(base) / "kernels" / name
    kdir.mkdir(parents=True, exist_ok=True)
    (kdir / "kernel.json").write_text(json.dumps({
        "argv": [exe, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": display_name or f"fieldeval ({exe})", "language": "python",
        "env": {"MPLBACKEND": "module://matplotlib_inline.backend_inline"}}, ensure_ascii=False), encoding="utf-8")
    return name


@contextmanager
def kernel():
    """A Jupyter kernel spec for this interpreter, written at run time into a
    private directory put first on JUPYTER_PATH; yields its name."""
    base = Path(tempfile.mkdtemp(prefix="fieldeval-kernel-"))
    name = write_kernelspec(base)
    old = os.environ.get("JUPYTER_PATH")
    os.environ["JUPYTER_PATH"] = str(base) + (os.pathsep + old if old else "")
    try:
        yield name
    finally:
        if old is None:
            os.environ.pop("JUPYTER_PATH", None)
        else:
            os.environ["JUPYTER_PATH"] = old
        import shutil

        shutil.rmtree(base, ignore_errors=True)


@dataclass(frozen=True)
class Executed:
    """One executed notebook: name, the executed copy and its results directory."""

    name: str
    path: Path
    results: Path


def run(project: str | Path, out: str | Path, *, lang: str = "zh", seed: str | None = None,
        names: tuple[str, ...] = NAMES, source: str | Path | None = None,
        timeout: int = 1800, progress=None) -> list[Executed]:
    """Execute ``names`` in order with papermill on ``project``; the executed
    copies go to ``out/<name>.ipynb`` and each notebook's results to
    ``out/<name>/``. ``seed`` defaults to the seed in the project's manifest
    (or "2026"). UserError ``notebooks.failed`` (with the saved copy) when a
    cell fails; ``progress(name)`` is called before each notebook."""
    from toolkit.errors import UserError

    try:
        import papermill as pm
    except ImportError:
        raise UserError("notebooks.missing_dep", package="papermill") from None
    out_dir = Path(out).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    src = locate(source, out_dir / "_source")
    proj = str(Path(project).resolve())
    if seed is None:
        seed = _manifest_seed(proj)
    done = []
    with kernel() as kname:
        for name in names:
            if progress:
                progress(name)
            target = out_dir / f"{name}.ipynb"
            results = out_dir / name
            params = {"project": proj, "seed": str(seed), "lang": lang, "out": str(results)}
            try:
                pm.execute_notebook(str(src / f"{name}.ipynb"), str(target), parameters=params,
                                    kernel_name=kname, progress_bar=False, cwd=str(out_dir),
                                    execution_timeout=timeout)
            except pm.PapermillExecutionError as e:
                raise UserError("notebooks.failed", name=name, path=str(target),
                                detail=f"{e.ename}: {e.evalue}", exit_code=1) from None
            done.append(Executed(name, target, results))
    return done


def _manifest_seed(project: str) -> str:
    try:
        from toolkit import config
        from toolkit.project.paths import ProjectPaths

        ev = config.load(project)
        p = ProjectPaths.of(ev).sample / "manifest.json"
        if p.is_file():
            return str(json.loads(p.read_text(encoding="utf-8"))["seed"]["value"])
    except Exception:  # noqa: BLE001 - the notebook reports a broken project itself
        pass
    return "2026"


__all__ = ["NAMES", "checkout_dir", "packaged_dir", "clean", "sync", "write_all", "locate", "kernel_name",
           "write_kernelspec", "kernel", "run", "Executed"]


if __name__ == "__main__":  # python -m toolkit.report.notebooks sync
    if sys.argv[1:2] != ["sync"]:
        sys.exit("usage: python -m toolkit.report.notebooks sync")
    for p in sync():
        print(p)
