"""Allocating on-site clean generation by contract before the pro-rata rule.

A contract (``activity.yaml``, ``green_power_contracts``) gives an entity a share of one
generator's delivered output. In each hour the entity takes its contracted power up to its
own load; whatever clean supply is left in that hour (uncontracted output, contract surplus,
storage) goes pro rata to every load still unmet — the stated default rule:

    C_e,h = min(L_e,h, Σ_g share_g,e · G_g,h)
    r'_h  = (matched_h − Σ_e C_e,h) / (L_h − Σ_e C_e,h)
    clean_e,h = C_e,h + r'_h · (L_e,h − C_e,h)

Σ_e clean_e,h = matched_h, so the contracts move clean power between entities and never
create any.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from zcp.ledger.activity import GreenPowerContract
from zcp.ledger.matching import Matching


def contracted(
    contracts: list[GreenPowerContract],
    generation: Mapping[str, np.ndarray],
    loads: Mapping[str, np.ndarray],
) -> dict[str, np.ndarray]:
    """Entity → its contracted clean power each hour, C_e,h [MWh]."""
    offered: dict[str, np.ndarray] = {}
    for c in contracts:
        series = generation.get(c.generator)
        if series is None:
            continue
        offered[c.entity] = offered.get(c.entity, 0.0) + c.share * series
    return {e: np.minimum(loads[e], offer) for e, offer in offered.items() if e in loads}


def residual_share(m: Matching, taken: Mapping[str, np.ndarray]) -> np.ndarray:
    """r'_h [fraction]: the share of each hour's still-unmet load that the remaining clean
    covers (``taken``: each entity's contracted power per hour [MWh])."""
    total = sum(taken.values()) if taken else np.zeros_like(m.load)
    unmet = m.load - total
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.clip(np.where(unmet > 1e-12, (m.matched - total) / unmet, 0.0), 0.0, 1.0)


def entity_clean(load: np.ndarray, taken: np.ndarray | float, r_prime: np.ndarray) -> np.ndarray:
    """clean_e,h = C_e,h + r'_h · (L_e,h − C_e,h) [MWh per hour]; ``load`` L_e,h and
    ``taken`` C_e,h [MWh per hour], ``r_prime`` r'_h [fraction]."""
    return taken + r_prime * (load - taken)
