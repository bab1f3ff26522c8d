"""Design figures follow the design: derived from capacity and site unless stated, said so,
and the design's annual balance per bus checked."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pvlib
import pytest

from zcp.graph import build_graph
from zcp.graph.design_balance import bus_balances
from zcp.ledger import Ledger
from zcp.model import load_park
from zcp.model.design_figures import (
    PV_CLEARNESS,
    PV_PERFORMANCE_RATIO,
    WIND_CAPACITY_FACTOR,
    flow_figure,
)
from zcp.validate import check_park

ORDOS = Path(__file__).resolve().parents[2] / "assessments" / "ordos-design"


def design_copy(tmp_path: Path, edit) -> Path:
    folder = tmp_path / "design"
    shutil.copytree(ORDOS, folder)
    park = folder / "park.yaml"
    park.write_text(edit(park.read_text(encoding="utf-8")), encoding="utf-8")
    return folder


def without_generation_estimates(text: str, pv_capacity: str = "300") -> str:
    text = text.replace("loss_fraction: 0.02, annual_estimate: 1682 GWh}", "loss_fraction: 0.02}")
    text = text.replace("carrier: electricity, annual_estimate: 473 GWh}", "carrier: electricity}")
    return text.replace(
        "technology: pv, capacity: 300,", f"technology: pv, capacity: {pv_capacity},"
    )


def test_capacity_moves_every_figure(tmp_path):
    small = load_park(design_copy(tmp_path / "a", without_generation_estimates))
    large = load_park(design_copy(tmp_path / "b", lambda t: without_generation_estimates(t, "350")))
    fig_small, fig_large = flow_figure(small, "f-pv"), flow_figure(large, "f-pv")
    assert fig_small.basis == "derived" and "300 MW × capacity factor 0.18" in fig_small.how
    assert fig_small.value == pytest.approx(300 * 0.18 * 8760)
    assert fig_large.value == pytest.approx(350 * 0.18 * 8760)
    assert flow_figure(small, "f-wind").value == pytest.approx(600 * 0.32 * 8760)
    # the ledger's modelled supply and the park's indicators move with it
    a, b = Ledger(small).result(), Ledger(large).result()
    supply = lambda r: float(r.hourly["supply_clean_direct"].sum())  # noqa: E731
    added = 50 * 0.18 * 8760 * (1 - 0.0)  # f-pv has no line loss
    assert supply(b) - supply(a) == pytest.approx(added, rel=1e-9)
    assert b.totals["scope2_location_t"] < a.totals["scope2_location_t"]
    assert any("design figure derived for flow 'f-pv'" in w for w in a.warnings)


@pytest.mark.filterwarnings("ignore::DeprecationWarning", "ignore::FutureWarning")
def test_pv_without_capacity_factor_comes_from_pvlib_at_the_site(tmp_path):
    def edit(text):
        text = without_generation_estimates(text)
        return text.replace("capacity: 300, capacity_factor: 0.18,", "capacity: 300,")

    folder = load_park(design_copy(tmp_path, edit))
    loc = folder.park.location
    hours = pd.date_range("2026-01-01", periods=8760, freq="h", tz="UTC")
    ghi = pvlib.location.Location(loc.latitude, loc.longitude, tz="UTC").get_clearsky(
        hours + pd.Timedelta(minutes=30), model="ineichen"
    )["ghi"]
    per_mw = np.clip(ghi.to_numpy(), 0, None).sum() / 1000 * PV_CLEARNESS * PV_PERFORMANCE_RATIO
    figure = flow_figure(folder, "f-pv")
    assert figure.value == pytest.approx(300 * per_mw, rel=1e-9)
    assert "pvlib clear-sky" in figure.how and "modelled" in figure.how
    assert 0.10 < figure.value / (300 * 8760) < 0.25  # a plausible capacity factor


def test_wind_without_capacity_factor_takes_the_stated_regional_default(tmp_path):
    def edit(text):
        text = without_generation_estimates(text)
        return re.sub(r"capacity: 600, site: off_site, capacity_factor: 0.32,",
                      "capacity: 600, site: off_site,", text)  # fmt: skip

    figure = flow_figure(load_park(design_copy(tmp_path, edit)), "f-wind")
    assert figure.value == pytest.approx(600 * WIND_CAPACITY_FACTOR * 8760)
    assert "default" in figure.how
    # its hours are modelled, and the figure says how (it used to say "flat")
    assert "seeded wind series" in figure.how and "power curve" in figure.how
    assert "flat" not in figure.how


def test_the_bundled_design_bus_shortfall_is_reported():
    # 35 kV bus, from park.yaml: in = PV 473 + substation 1688 × (1 − 0.005) + battery 158;
    # out = battery 180 + the tenants' and electrolyser's feeds [GWh]
    inflow = 473 + 1688 * (1 - 0.005) + 158
    outflow = 180 + 820 + 420 + 45 + 90 + 420 + 60 + 35 + 380 + 25 + 40 + 18 + 22
    short_mwh = (outflow - inflow) * 1000
    folder = load_park(ORDOS)
    balances = {b.bus: b for b in bus_balances(folder, build_graph(folder))}
    assert balances["bus35"].imbalance == pytest.approx(-short_mwh)
    assert abs(balances["sub220"].imbalance) < 0.02 * balances["sub220"].inflow
    warnings = [str(w) for w in check_park(ORDOS).warnings]
    [bus35] = [w for w in warnings if "bus 'bus35' does not balance" in w]
    assert f"{short_mwh:,.0f} MWh short of balance" in bus35
    assert not any("'sub220' does not balance" in w for w in warnings)
