"""The rules applied to readings, as named constants (documented in :mod:`zcp.metering`).

Kept in one place so the docstring, the SQL and the tests agree on the same numbers. The
per-period bus-balance tolerance is the exception: its one home is the metering rule set,
which judges the park by it (see :func:`balance_tolerance_period`).
"""

from __future__ import annotations

import functools
from pathlib import Path

from zcp.errors import InputError, Problem
from zcp.units import conversion_factor
from zcp.yamlio import load_yaml

#: Quality flags that mean "a measured value": accepted as they are (case-insensitive).
OK_FLAGS = ("", "ok", "good", "valid", "measured", "a")
#: Flags that mean "the meter system estimated this value": accepted, marked imputed.
ESTIMATED_FLAGS = ("estimated", "substituted", "imputed", "e")
#: An interval value above SPIKE_FACTOR x the SPIKE_QUANTILE of the meter's positive
#: interval values is a spike — judged only for meters with at least SPIKE_MIN_POSITIVE
#: positive values (positive values only, so night-time PV and idle storage do not count).
SPIKE_FACTOR = 10.0
SPIKE_QUANTILE = 0.99
SPIKE_MIN_POSITIVE = 100
#: A register falling from the top ROLLOVER_BAND of its range to the bottom ROLLOVER_BAND
#: rolled over; any other fall is a reset.
ROLLOVER_BAND = 0.1
#: Per-bus balance tolerance for one hour: |in x (1 - loss) - out| <= tolerance x in. A zcp
#: reading (no rule set judges single hours): a period's tolerance plus room for meters
#: whose intervals straddle the hour.
BALANCE_TOLERANCE_HOUR = 0.05

#: The rule set (under the shipped standards folder) and parameter that hold the tolerance
#: a whole period (the reporting period, each month) must balance within.
BALANCE_RULE_SET = Path("metering") / "park_energy_metering"
BALANCE_PARAMETER = "balance_error_max"


@functools.lru_cache(maxsize=1)
def balance_tolerance_period() -> float:
    """Per-bus balance tolerance over a period [fraction]: the newest value of the metering
    rule set's ``balance_error_max`` (in its newest version), so the balance report labels
    periods by the same number the rule ``bus_balance`` judges with."""
    import zcp

    folder = Path(zcp.__file__).resolve().parent.parent / "standards" / BALANCE_RULE_SET
    versions = []
    for path in sorted(folder.glob("*.yaml")):
        if path.name.endswith(".tests.yaml"):
            continue
        doc = load_yaml(path)
        versions.append((str(doc.data.get("effective_from")), path.name, doc))
    if not versions:
        raise InputError(Problem("no metering rule set found", path=str(folder)))
    doc = max(versions, key=lambda v: v[:2])[2]
    param = (doc.data.get("parameters") or {}).get(BALANCE_PARAMETER)
    if not isinstance(param, dict) or not param.get("values"):
        raise InputError(doc.problem(f"missing parameter {BALANCE_PARAMETER!r}", ("parameters",)))
    newest = max(param["values"], key=lambda v: str(v.get("valid_from")))
    return float(newest["value"]) * conversion_factor(param.get("unit", "fraction"), "fraction")
