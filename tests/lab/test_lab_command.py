"""``fieldeval lab`` as a user runs it: prints the address and the token file
(no token when the output is not a terminal), and SIGTERM stops JupyterLab and
removes the token and runtime files."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from dashboards_test_path import free_port


def test_lab_command_starts_and_stops_everything(tmp_path):
    import psutil

    project = tmp_path / "p"
    project.mkdir()
    (project / "evaluation.toml").write_text("# fixture\n", encoding="utf-8")
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2]), "FIELDEVAL_TOKEN": "t0ken-for-test"}
    proc = subprocess.Popen([sys.executable, "-m", "toolkit.cli", "lab", "--project", str(project), "--port", str(port),
                             "--no-browser"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    lines: list[str] = []
    deadline = time.time() + 180
    while time.time() < deadline and proc.poll() is None:
        line = proc.stdout.readline()
        lines.append(line)
        if line.startswith("按 Ctrl-C"):
            break
    text = "".join(lines)
    assert f"http://127.0.0.1:{port}/" in text and "output/.lab/token" in text, text[-2000:]
    assert "t0ken-for-test" not in text
    children = psutil.Process(proc.pid).children(recursive=True)
    assert children
    assert (project / "output" / ".lab" / "token").read_text() == "t0ken-for-test"
    proc.send_signal(signal.SIGTERM)
    rest = proc.communicate(timeout=60)[0]
    assert proc.returncode == 0, rest[-2000:]
    assert "JupyterLab 已停止" in rest
    gone, alive = psutil.wait_procs(children, timeout=10)
    assert not alive
    assert not (project / "output" / ".lab" / "token").exists()
    assert not (project / "output" / ".lab" / "runtime").exists()
    assert "t0ken-for-test" not in rest
