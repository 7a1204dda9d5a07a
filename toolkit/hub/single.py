"""The single-user server a hub login starts: ``python -m toolkit.hub.single``.

JupyterHub's single-user server (``jupyterhub-singleuser``, a Jupyter Server
extension: the hub's OAuth sign-in, activity reports) with Voilà as a server
extension serving the dashboards (``toolkit/dashboards/``) and
:mod:`toolkit.hub.guard` (refusals by role, memory watchdog). Only these
extensions are loaded (none found on the machine's Jupyter paths).

Settings (all through Jupyter's own configuration, see :func:`config`):
Voilà with the ``fieldeval`` template (no CDN), sources hidden, no
tracebacks; the browser may send only widget messages to a kernel (no code
execution); idle kernels culled; a cell timeout.
"""
from __future__ import annotations

import os
import sys

from toolkit.commands.serve import CELL_TIMEOUT, CULL_IDLE_TIMEOUT, CULL_INTERVAL, DASHBOARDS, TEMPLATE

# What the page's widgets need; execute_request and the rest are dropped by the server.
WIDGET_MESSAGES = ["comm_open", "comm_msg", "comm_close", "comm_info_request", "kernel_info_request"]


def config():  # noqa: ANN201 - traitlets Config
    """The server's settings (module doc)."""
    from traitlets.config import Config

    from toolkit.commands.serve_voila import UNUSED_EXTENSIONS, CellTimeout

    c = Config()
    c.ServerApp.root_dir = str(DASHBOARDS)
    c.VoilaConfiguration.template = TEMPLATE
    c.VoilaConfiguration.strip_sources = True
    c.VoilaConfiguration.show_tracebacks = False
    c.VoilaConfiguration.extension_denylist = list(UNUSED_EXTENSIONS)   # scripts a dashboard never uses
    c.VoilaExecutor.timeout = CELL_TIMEOUT
    c.VoilaExecutor.timeout_func = CellTimeout(CELL_TIMEOUT)
    c.VoilaExecutor.iopub_timeout = CELL_TIMEOUT
    c.MappingKernelManager.allowed_message_types = WIDGET_MESSAGES
    c.MappingKernelManager.cull_interval = CULL_INTERVAL
    c.MappingKernelManager.cull_idle_timeout = CULL_IDLE_TIMEOUT
    c.MappingKernelManager.cull_connected = False
    c.ServerApp.terminals_enabled = False
    c.ServerApp.allow_root = os.geteuid() == 0   # CI and containers run as root; the hub decided who may start it
    return c


def main(argv: list[str] | None = None) -> None:
    """Run the single-user server with :func:`config` (arguments from the spawner are passed on)."""
    from jupyterhub.singleuser.extension import JupyterHubSingleUser

    os.environ.setdefault("MPLBACKEND", "agg")
    from jupyter_server.extension.application import NoStart

    JupyterHubSingleUser.load_other_extensions = False
    JupyterHubSingleUser.serverapp_config = {"jpserver_extensions": {"voila": True, "toolkit.hub.guard": True}}
    server = JupyterHubSingleUser.initialize_server(argv=list(sys.argv[1:] if argv is None else argv),
                                                    config=config())
    try:
        server.start()
    except NoStart:
        pass


if __name__ == "__main__":  # pragma: no cover - the process the hub starts
    main()
