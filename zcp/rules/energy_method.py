"""The electricity → standard-coal method a rule set fixes, and what the other method gives.

GB/T 2589 allows two ways to count electricity in tce: its calorific value (当量值,
0.1229 tce/MWh) or the coal burnt to make it (等价值, the year's thermal-power coal rate).
For a grid-supplied park the choice moves carbon per unit energy several-fold, and which
one the 910号 accounting method (附件4) uses is not confirmed. So a rule set states it as
two parameters — ``electricity_to_tce`` (the method its verdicts use) and
``electricity_to_tce_other_method`` — and every result says which was used and what the
core indicator would be under the other (or why that cannot be computed).

The re-pricing is plain arithmetic on metrics the accounting provides [tce, MWh, tCO2]:
energy' = energy − electricity × k_profile + electricity × k_rule_set. A given
``carbon_per_unit_energy`` (rule tests) is taken as already under the rule set's method.
"""

from __future__ import annotations

import datetime as dt

from zcp.metrics import EvaluationContext, MetricValue
from zcp.rules.parameters import Resolved, Resolver
from zcp.rules.results import EnergyMethodResult, OtherMethodValue
from zcp.rules.ruleset_file import RuleSet, Text

METHOD_PARAMETER = "electricity_to_tce"
OTHER_METHOD_PARAMETER = "electricity_to_tce_other_method"
#: metrics re-priced with the rule set's coefficient
REPRICED = ("carbon_per_unit_energy", "park_energy_consumption")
_UNIT = "tce/MWh"


def apply_energy_method(
    rs: RuleSet, ctx: EvaluationContext, as_of: dt.date
) -> tuple[EvaluationContext, EnergyMethodResult | None]:
    """``ctx`` with energy use and carbon per unit energy under the rule set's method, and
    the statement every result carries; unchanged if the rule set names no method."""
    if METHOD_PARAMETER not in rs.parameters:
        return ctx, None
    resolver = Resolver(rs, ctx, as_of)
    used = resolver.parameter(METHOD_PARAMETER, _UNIT)
    other = (
        resolver.parameter(OTHER_METHOD_PARAMETER, _UNIT)
        if OTHER_METHOD_PARAMETER in rs.parameters
        else Resolved(None, reason=f"the rule set gives no {OTHER_METHOD_PARAMETER!r}")
    )
    given = {name for name, _ in ctx.given()}
    out = EnergyMethodResult(
        method=_describe(rs, METHOD_PARAMETER),
        method_title=_title(rs, METHOD_PARAMETER),
        coefficient=used.use,
        other_method=_describe(rs, OTHER_METHOD_PARAMETER),
        other_method_title=_title(rs, OTHER_METHOD_PARAMETER),
        other_coefficient=other.use,
    )
    if "carbon_per_unit_energy" in given:
        out.carbon_per_unit_energy = ctx.value("carbon_per_unit_energy").value
        out.note = "carbon_per_unit_energy was given, taken as already under this method"
        out.other_reason = "not re-priced: the core indicator was given, not computed"
        return ctx, out
    parts = _parts(ctx)
    if isinstance(parts, str):
        out.other_reason = out.note = parts
        return ctx, out
    if not isinstance(used.value, float):
        out.note = used.reason or "coefficient unknown"
        return ctx, out
    energy, intensity = _repriced(parts, used.value)
    out.carbon_per_unit_energy = intensity.value
    if isinstance(other.value, float):
        other_energy, other_intensity = _repriced(parts, other.value)
        out.other_park_energy_consumption = other_energy.value
        out.other_carbon_per_unit_energy = other_intensity.value
    else:
        out.other_reason = other.reason or "coefficient of the other method unknown"
    return ctx.with_values({"park_energy_consumption": energy,
                            "carbon_per_unit_energy": intensity}), out  # fmt: skip


def other_method_value(result: EnergyMethodResult, metric: str) -> OtherMethodValue | None:
    """What re-priced ``metric`` (one of ``REPRICED``) is under the other method, with its
    unit [tCO2/tce or tce], or why it cannot be computed; None for any other metric."""
    values = {
        "carbon_per_unit_energy": (result.other_carbon_per_unit_energy, "tCO2/tce"),
        "park_energy_consumption": (result.other_park_energy_consumption, "tce"),
    }
    if metric not in values:
        return None
    value, unit = values[metric]
    reason = None
    if value is None:
        k = result.other_coefficient
        reason = (
            f"its coefficient is unknown ({OTHER_METHOD_PARAMETER})"
            if k is not None and k.value is None
            else result.other_reason or "not computed"
        )
    return OtherMethodValue(
        value=value,
        unit=unit,
        method=result.other_method,
        method_title=result.other_method_title,
        coefficient=result.other_coefficient,
        reason=reason,
    )


def sensitivity_text(result: EnergyMethodResult) -> str:
    """One line for a verdict's why: the method used and the indicator under the other."""
    k = result.coefficient
    used = f"electricity at {k.value:g} {k.unit}" if k and k.value is not None else "electricity"
    if result.other_carbon_per_unit_energy is not None:
        other = f"{result.other_carbon_per_unit_energy:.4g} tCO2/tce"
    elif result.other_coefficient is not None and result.other_coefficient.value is None:
        other = f"not computable, its coefficient is unknown ({OTHER_METHOD_PARAMETER})"
    else:
        other = f"not computable ({result.other_reason})"
    return f"[{used}, {result.method}; under {result.other_method}: {other}]"


def _title(rs: RuleSet, name: str) -> Text | None:
    param = rs.parameters.get(name)
    if param is None:
        return None
    text = param.description
    return text if isinstance(text, Text) else Text(zh=text, en=text)


def _describe(rs: RuleSet, name: str) -> str:
    param = rs.parameters.get(name)
    if param is None:
        return "no other method given"
    text = param.description
    return text if isinstance(text, str) else text.en


_Parts = tuple[float, float, float, float]


def _parts(ctx: EvaluationContext) -> _Parts | str:
    """CO2 [t], energy [tce], electricity in it [MWh], profile coefficient [tce/MWh]."""
    names = (
        "park_co2_emissions",
        "park_energy_consumption",
        "park_electricity_in_energy",
        "park_electricity_to_tce_profile",
    )
    values = [ctx.value(n) for n in names]
    for name, value in zip(names, values, strict=True):
        if value.value is None:
            return f"{name} unknown: {value.reason}"
    co2, energy, electricity, k_profile = (float(v.value) for v in values)  # type: ignore[arg-type]
    return co2, energy, electricity, k_profile


def _repriced(parts: _Parts, k: float) -> tuple[MetricValue, MetricValue]:
    co2, energy, electricity, k_profile = parts
    tce = energy - electricity * k_profile + electricity * k
    trace = {"electricity_mwh": electricity, "electricity_to_tce": k, "co2_t": co2}
    intensity = co2 / tce if tce > 0 else None
    return (
        MetricValue(tce, "tce", None, trace),
        MetricValue(intensity, "tCO2/tce", None if tce > 0 else "no energy use", trace),
    )
