"""The accounting ledger: scopes 1–3, green power over the graph, instruments, net emissions.

Entry points: ``run_ledger(park_dir, profile=..., factors=...)`` → ``LedgerResult``, and
``Ledger`` for repeated what-if runs (``zcp.ledger.whatif``). The ledger takes an explicit
accounting profile (``zcp/data/profiles``) and never reads rule files.

``engine`` prepares what does not change between runs; ``build_inventory.account`` builds
one inventory from it (scope 2 in ``electricity``, fuel, heat, activity and offsets in
``non_grid_lines``, energy and indicators in ``indicators``); ``result.LedgerResult``
documents its tables' columns and units.
"""

from zcp.ledger.engine import Ledger, run_ledger
from zcp.ledger.profile import AccountingProfile, available_profiles, load_profile
from zcp.ledger.result import JSON_CONTRACT, JSON_VERSION, Indicator, LedgerResult

__all__ = [
    "JSON_CONTRACT",
    "JSON_VERSION",
    "AccountingProfile",
    "Indicator",
    "Ledger",
    "LedgerResult",
    "available_profiles",
    "load_profile",
    "run_ledger",
]
