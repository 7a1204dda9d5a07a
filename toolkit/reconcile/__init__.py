"""System-data reconciliation (查看系统数据 / 上报数据与存档数据一致, issue 19 item 2).

The union reports tallies per county — households and persons by hardship
category, households by archive status, payments and amounts by help item
and year — on the workbook fieldeval ships (:mod:`toolkit.reconcile.template`).
:mod:`toolkit.reconcile.read` reads a filled copy however an office filled it;
:mod:`toolkit.reconcile.archive` counts the same tallies from the roster and
the payment ledger; :mod:`toolkit.reconcile.compare` lists every difference
with both numbers and gives a data-consistency share per county;
:mod:`toolkit.reconcile.outputs` keeps the result as the stage
``output/reconcile/``; :mod:`toolkit.reconcile.report` is its report section.
"""
from toolkit.reconcile.compare import Reconciliation, reconcile
from toolkit.reconcile.spec import KINDS, MEASURES, Settings

__all__ = ["KINDS", "MEASURES", "Settings", "Reconciliation", "reconcile"]
