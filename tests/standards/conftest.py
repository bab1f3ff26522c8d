"""The standards' metrics must be registered before any rule set that names them loads.

``zcp.metrics`` does not import ``zcp.metrics.park_structure`` yet (the rule engine's
``__init__`` owns that line); importing it here registers the park-structure metrics and
the ledger metrics the standards declare, for every test in the run.
"""

from __future__ import annotations

import zcp.metrics.park_structure  # noqa: F401
