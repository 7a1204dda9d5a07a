"""What runs inside the JupyterLab process that ``fieldeval lab`` starts.

``python -m toolkit.lab_server [options]`` is ``jupyter lab`` with the
settings a command line cannot carry safely:

* the token from the 0600 file named by ``$FIELDEVAL_TOKEN_FILE`` (never on a
  command line); the variable is removed before JupyterLab starts, so kernels
  (whose environment is the server's) do not learn where it is, and every log
  record has the token replaced (toolkit.commands.serve_voila.redact_logs);
* the project (``$FIELDEVAL_LAB_ROOT``) as the file browser's root, opening on
  its ``notebooks/`` folder;
* nothing fetched from the internet: no news, no update check, the read-only
  extension manager (it would ask PyPI), no browser opened by the server;
* the kernel spec written by toolkit.lab.settings as the default kernel.
"""
from __future__ import annotations

import os
import sys


def lab_config(token: str, root: str, kernel: str):
    """The settings passed to JupyterLab in-process (module doc)."""
    from jupyterlab.handlers.announcements import NeverCheckForUpdate
    from traitlets.config import Config

    c = Config()
    if token:
        c.IdentityProvider.token = token
    c.ServerApp.root_dir = root
    c.ServerApp.open_browser = False
    c.ServerApp.allow_remote_access = False
    c.ServerApp.allow_root = True   # the user's own choice of account (containers run as root)
    c.ServerApp.default_url = "/lab/tree/notebooks"
    c.LabApp.news_url = None
    c.LabApp.check_for_updates_class = NeverCheckForUpdate
    c.LabApp.extension_manager = "readonly"
    c.MappingKernelManager.default_kernel_name = kernel
    c.KernelSpecManager.ensure_native_kernel = False
    return c


def main(argv: list[str] | None = None) -> None:
    """Run JupyterLab with :func:`lab_config`."""
    from jupyterlab.labapp import LabApp

    from toolkit.commands.serve_voila import ENV_TOKEN_FILE, read_token, redact_logs
    from toolkit.report.notebooks import kernel_name

    argv = list(sys.argv[1:] if argv is None else argv)
    token = read_token(os.environ.pop(ENV_TOKEN_FILE, None))
    redact_logs(token)
    root = os.environ.get("FIELDEVAL_LAB_ROOT") or os.getcwd()
    # LabApp.launch_instance drops its keyword arguments: start the server the way it does, with the config
    server = LabApp.initialize_server(argv=argv, config=lab_config(token, root, kernel_name()))
    server.start()


if __name__ == "__main__":  # pragma: no cover - the process fieldeval lab starts
    main()
