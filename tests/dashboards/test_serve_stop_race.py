"""A stop signal that arrives while ``fieldeval serve``/``lab`` prints its
addresses still stops the server and says so (found by a clean-clone CI run
under load: the test sent SIGTERM right after the last address line, before
the command had marked the server as up, and "JupyterLab 已停止" was never
printed)."""
from __future__ import annotations

import signal
import subprocess
import sys

from toolkit.commands import serve
from toolkit.i18n import t


class _Proc(subprocess.Popen):
    mark = None
    token_file = None
    ready_dir = None


def test_stop_during_the_address_lines_still_says_stopped(monkeypatch, capsys) -> None:
    monkeypatch.setattr(serve, "wait_ready", lambda proc, port, **kw: True)
    started: list[_Proc] = []
    cleaned: list[int] = []

    def start() -> _Proc:
        started.append(_Proc([sys.executable, "-c", "import time; time.sleep(120)"]))
        return started[0]

    def on_up(proc: _Proc) -> None:
        print("按 Ctrl-C 停止")
        raise serve._Stop(signal.SIGTERM)      # the signal lands here, as it did under load

    code = serve.run_until_stopped(start, on_up, port=1, lang="zh", not_started="lab.not_started",
                                   stopped="lab.stopped", kernels=0, cleanup=lambda: cleaned.append(1))
    assert code == 0 and cleaned == [1]
    assert started[0].poll() is not None                     # the server was stopped
    assert t("lab.stopped", "zh") in capsys.readouterr().err
    assert signal.getsignal(signal.SIGTERM) is not serve._raise_stop   # handlers restored
