"""Provider hook: the metric registry imports ``zcp.ledger.metrics`` on first lookup.

The metric functions themselves live with the other metrics, in
:mod:`zcp.metrics.accounting`; nothing in the ledger imports this module, so the ledger
still knows nothing of metrics or rules.
"""

import zcp.metrics.accounting  # noqa: F401
