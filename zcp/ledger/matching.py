"""Matching clean supply to load, hour by hour and over the year.

Formulas (hourly CFE after EnergyTag / 24/7 CFE practice, digest §4.4):

    G_h   clean electricity reaching the internal grid in hour h (after stated line losses)
    L_h   electricity consumed in the boundary in hour h
    surplus_h = max(G_h − L_h, 0); clean charge cc_h = min(charge_h, surplus_h)
    φ = Σ cc_h / Σ charge_h           clean fraction of what storage gives back
    matched_h = min(L_h, G_h + φ·discharge_h)
    hourly CFE = Σ matched_h / Σ L_h
    pool = Σ G_h − Σ exported clean − Σ cc_h + φ·Σ discharge_h      (annual matching)

Exported clean is the export that surplus could cover, min(export_h, surplus_h − cc_h).
Each hour's matched ≤ that hour's contribution to the pool, so hourly CFE ≤ annual share.
Certificates sold on the park's own generation beyond its exported clean make that much
power null: the pool and every hour's match shrink by the same factor.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Matching:
    """Physical matching; ``keep`` is the share of it whose attributes the park still holds
    (1 − sold null power ÷ pool). Location-based accounting uses the physical figures,
    market-based accounting and the green shares the figures × ``keep``."""

    load: np.ndarray  #: L_h [MWh]
    matched: np.ndarray  #: clean physically matched to load in hour h [MWh]
    pool: float  #: clean physically available to load over the period [MWh]
    direct_pool: float  #: the part of ``pool`` supplied directly (on-site, dedicated line)
    clean_charge_fraction: float  #: φ
    exported_clean: float  #: [MWh]
    sold_null: float  #: sold certificates that made consumed power null [MWh]
    keep: float = 1.0

    @property
    def r(self) -> np.ndarray:
        """Share of each hour's load physically met by clean supply [fraction] (0 without
        load)."""
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(self.load > 0, self.matched / self.load, 0.0)

    @property
    def hourly_cfe(self) -> float | None:
        """Hourly CFE score, net of sold attributes [fraction]; None without load."""
        total = float(self.load.sum())
        return float(self.matched.sum()) * self.keep / total if total > 0 else None

    @property
    def annual_share(self) -> float | None:
        """Annual physical clean share, net of exports and sold attributes [fraction]; None
        without load."""
        total = float(self.load.sum())
        return self.pool * self.keep / total if total > 0 else None


def match(
    clean_direct: np.ndarray,
    clean_contract: np.ndarray,
    storage_in: np.ndarray,
    storage_out: np.ndarray,
    export: np.ndarray,
    load: np.ndarray,
    sold_mwh: float = 0.0,
) -> Matching:
    """Match clean supply to ``load`` (all arrays hourly [MWh], same length)."""
    clean = clean_direct + clean_contract
    surplus = np.maximum(clean - load, 0.0)
    clean_charge = np.minimum(storage_in, surplus)
    charged = float(storage_in.sum())
    phi = float(clean_charge.sum()) / charged if charged > 0 else 0.0
    exported_clean = np.minimum(export, surplus - clean_charge)
    matched = np.minimum(load, clean + phi * storage_out)
    pool = float(clean.sum() - exported_clean.sum() - clean_charge.sum() + phi * storage_out.sum())
    pool = min(max(pool, float(matched.sum())), float(load.sum()))
    sold_null = min(max(sold_mwh - float(exported_clean.sum()), 0.0), pool)
    keep = 1.0 - sold_null / pool if pool > 0 else 1.0
    total_clean = float(clean.sum())
    direct_fraction = float(clean_direct.sum()) / total_clean if total_clean > 0 else 0.0
    return Matching(
        load=load,
        matched=matched,
        pool=pool,
        direct_pool=pool * direct_fraction,
        clean_charge_fraction=phi,
        exported_clean=float(exported_clean.sum()),
        sold_null=sold_null,
        keep=keep,
    )
