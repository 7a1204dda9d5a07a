"""Installable: the built wheel, installed outside the checkout, carries its
questionnaires and runs ``fieldeval demo`` to the end."""
from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_wheel_outside_the_checkout_runs_the_demo(tmp_path):
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                    "-w", str(dist), str(ROOT)], check=True, cwd=tmp_path, timeout=300)
    wheel = next(dist.glob("fieldeval-*.whl"))
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(site),
                    str(wheel)], check=True, cwd=tmp_path, timeout=300)
    fresh = tmp_path / "fresh"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(fresh)], check=True, timeout=120)
    python = fresh / "bin" / "python"
    # the fresh venv sees the wheel and the dependencies' folder (a plain path entry:
    # its .pth files, among them the checkout's editable install, are not processed)
    deps = sysconfig.get_paths()["purelib"]
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env["PYTHONPATH"] = os.pathsep.join([str(site), deps])
    work = tmp_path / "work"
    work.mkdir()
    code = ("import sys, toolkit; from pathlib import Path\n"
            f"assert Path(toolkit.__file__).is_relative_to({str(site)!r}), toolkit.__file__\n"
            "from toolkit.questionnaires import path\n"
            "assert path('household_visit.xlsx').is_file() and path('satisfaction.xlsx').is_file()\n"
            "from toolkit.cli import main\n"
            "sys.exit(main(['demo', 'demo', '--households', '700', '--seed', '7', '--lang', 'en']))\n")
    run = subprocess.run([str(python), "-c", code], cwd=work, env=env, capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stderr[-3000:]
    assert "Demo finished" in run.stdout or (work / "demo" / "output" / "report").is_dir(), run.stdout[-2000:]
    assert (work / "demo" / "output" / "verify" / "scorecard.csv").is_file()
    assert any((work / "demo" / "output" / "report").glob("*.docx"))
