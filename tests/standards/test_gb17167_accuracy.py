"""GB 17167 accuracy by installation class, weighing kind and pipe size, on a park folder.

The metered test park's meters get an installation class, a weighing kind or a pipe size;
each is then judged by its own requirement (class I 0.2, class III 1.0; static scale 0.1;
water above DN250 1.5) and no longer by the plain per-level or per-carrier rule. Weighing
accuracy covers only fuel scales at the unit boundary (进出用能单位 = the park boundary): a
tenant's coal scale is not held to it.
"""

from __future__ import annotations

import shutil

from zcp.model import load_park
from zcp.rules import Catalogue, shipped_standards_dir
from zcp.rules.evaluate import evaluate_rule_set
from zcp.rules.run import park_context

PARK = shipped_standards_dir() / "metering" / "park_energy_metering" / "parks" / "metered"


def _evaluate(tmp_path, edit):
    folder = tmp_path / "park"
    shutil.copytree(PARK, folder)
    text = (folder / "park.yaml").read_text(encoding="utf-8")
    (folder / "park.yaml").write_text(edit(text), encoding="utf-8")
    ctx = park_context(load_park(folder))
    rs = Catalogue().load("park_energy_metering", "2026-provisional")
    return {r.id: r for r in evaluate_rule_set(rs, ctx).rules}


def test_boundary_meter_of_class_i_needs_0_2_not_the_level_value(tmp_path):
    # m-grid states class I and 0.5S: fails class I's 0.2; the plain park-boundary rule
    # now only sees m-wind (0.2S, no class) and passes
    got = _evaluate(tmp_path, lambda t: t.replace(
        "level: park_boundary,\n     accuracy_class: 0.2S, upload_interval_minutes: 15}",
        "level: park_boundary, installation_class: I,\n"
        "     accuracy_class: 0.5S, upload_interval_minutes: 15}", 1))  # fmt: skip
    assert got["accuracy_electricity_class_i"].status == "fail"
    assert got["accuracy_electricity_class_i"].actual == 0.5
    assert got["accuracy_electricity_park_boundary"].status == "pass"
    assert got["accuracy_electricity_class_v"].status == "not_applicable"


def test_tenant_meter_of_class_v_at_2_0_passes_its_class(tmp_path):
    # m-t1 class V at 2.0: class V allows 2.0; the tenant level rule (1.0) no longer sees it
    got = _evaluate(tmp_path, lambda t: t.replace(
        "level: tenant, accuracy_class: 0.5S}",
        "level: tenant, installation_class: V, accuracy_class: '2.0'}", 1))  # fmt: skip
    assert got["accuracy_electricity_class_v"].status == "pass"
    assert got["accuracy_electricity_tenant"].status == "pass"  # m-t2 at 0.5S


def test_coal_scales_and_large_water_meters(tmp_path):
    extra = """
  - {id: coal, type: fuel_supply, carrier: coal}
  - {id: boiler2, type: converter, technology: boiler, inputs: [coal], outputs: [steam], tenant: t1}
  - {id: water, type: fuel_supply, carrier: water}
"""

    def edit(text: str) -> str:
        text = text.replace("flows:\n", extra.lstrip("\n") + "flows:\n", 1)
        text = text.replace(
            "meters:\n",
            """\
  - {id: f-coal, from: coal, to: boiler2, carrier: coal, annual_estimate: 100 t}
  - {id: f-coal-steam, from: boiler2, to: t1, carrier: steam, annual_estimate: 500 t}
  - {id: f-water, from: water, to: t1, carrier: water, annual_estimate: 1000 m3}
meters:
  - {id: m-coal, flow: f-coal, carrier: coal, unit: t, level: park_boundary, weighing: static, accuracy_class: '0.5'}
  - {id: m-water, flow: f-water, carrier: water, unit: m3, level: park_boundary, nominal_diameter_mm: 300, accuracy_class: '2.0'}
""",
            1,
        )
        return text

    got = _evaluate(tmp_path, edit)
    # static scale at 0.5 %: fails static ±0.1 %; no unstated scale left for the plain rule
    assert got["accuracy_solid_fuel_static"].status == "fail"
    assert got["accuracy_solid_fuel"].status == "not_applicable"
    # DN300 > DN250 at 2.0 %: fails ±1.5 %
    assert got["accuracy_water_large"].status == "fail"
    assert got["accuracy_water_large"].actual == 2.0


_COAL_ASSETS = """\
  - {id: coal, type: fuel_supply, carrier: coal}
  - {id: boiler2, type: converter, technology: boiler, inputs: [coal], outputs: [steam], tenant: t1}
"""
_COAL_FLOWS = """\
  - {id: f-coal, from: coal, to: boiler2, carrier: coal, annual_estimate: 100 t}
  - {id: f-coal-steam, from: boiler2, to: t1, carrier: steam, annual_estimate: 500 t}
meters:
"""


def _with_scales(*scales: str):
    def edit(text: str) -> str:
        text = text.replace("flows:\n", _COAL_ASSETS + "flows:\n", 1)
        return text.replace("meters:\n", _COAL_FLOWS + "".join(scales), 1)

    return edit


def test_weighing_accuracy_judges_boundary_scales_only(tmp_path):
    # boundary static scale at 0.1 % meets ±0.1 %; the tenant's static scale at 0.5 % and
    # the boiler's unstated scale at 1.0 % are inside the park, outside the requirement
    got = _evaluate(tmp_path, _with_scales(
        "  - {id: m-coal, flow: f-coal, carrier: coal, unit: t, level: park_boundary, weighing: static, accuracy_class: '0.1'}\n",
        "  - {id: m-coal-t1, flow: f-coal, carrier: coal, unit: t, level: tenant, weighing: static, accuracy_class: '0.5'}\n",
        "  - {id: m-coal-b2, flow: f-coal, carrier: coal, unit: t, level: equipment, accuracy_class: '1.0'}\n",
    ))  # fmt: skip
    static = got["accuracy_solid_fuel_static"]
    assert (static.status, static.actual) == ("pass", 0.1)
    assert static.metric is not None and static.metric.trace["meters"] == 1
    assert got["accuracy_solid_fuel"].status == "not_applicable"
    assert got["accuracy_solid_fuel_dynamic"].status == "not_applicable"


def test_only_inner_scales_make_the_weighing_rules_not_applicable(tmp_path):
    got = _evaluate(tmp_path, _with_scales(
        "  - {id: m-coal-t1, flow: f-coal, carrier: coal, unit: t, level: tenant, weighing: static, accuracy_class: '0.5'}\n",
        "  - {id: m-coal-b2, flow: f-coal, carrier: coal, unit: t, level: equipment, weighing: dynamic, accuracy_class: '2.0'}\n",
    ))  # fmt: skip
    for rule in (
        "accuracy_solid_fuel_static",
        "accuracy_solid_fuel_dynamic",
        "accuracy_solid_fuel",
    ):
        assert got[rule].status == "not_applicable", rule
        assert "at its boundary" in got[rule].why


def test_unstated_boundary_scale_between_limits_stays_undetermined(tmp_path):
    # 0.3 % passes dynamic ±0.5 % but not static ±0.1 %: which applies is unknown until
    # the boundary scale states its weighing — the inner scale stating it does not help
    got = _evaluate(tmp_path, _with_scales(
        "  - {id: m-coal, flow: f-coal, carrier: coal, unit: t, level: park_boundary, accuracy_class: '0.3'}\n",
        "  - {id: m-coal-t1, flow: f-coal, carrier: coal, unit: t, level: tenant, weighing: static, accuracy_class: '0.1'}\n",
    ))  # fmt: skip
    rule = got["accuracy_solid_fuel"]
    assert rule.status == "undetermined"
    assert "not stated for m-coal" in rule.why and "m-coal-t1" not in rule.why
