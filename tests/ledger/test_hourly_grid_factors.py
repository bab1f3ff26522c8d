"""Location-based scope 2 priced hour by hour (profile cec-zero-carbon-park) with the hourly
factor series a park names, checked against a hand computation on one metered day.

2023-06-01, local time, in MWh: tenants a and b use 1 each every hour (48 MWh); PV gives
1 in hours 10–14, so the grid supplies 1 in those five hours and 2 in the other nineteen
(43 MWh). The series prices that day at 0.9 tCO2/MWh in hours 10–14 and 0.6 otherwise,
every other day of 2023 at 5.0 (a misaligned hour or day shows at once):
  Σ_h grid_h × f_h = 5 × 1 × 0.9 + 19 × 2 × 0.6 = 4.5 + 22.8 = 27.3 tCO2,
half of it each for a and b (PV shared pro rata in its hours).
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import duckdb
import pandas as pd
import pytest

from zcp.errors import InputError
from zcp.ledger import Ledger

PARK = """\
kind: park
schema_version: 1
id: hourly
name: One metered day
location: {province: Inner Mongolia, grid_region: north}
reporting_period: {start: 2023-06-01, end: 2023-06-01}
stage: operation
grid_factors:
  location_hourly: {file: grid_hourly.csv, source: "Test grid operator hourly factors", year: 2023}
tenants:
  - {id: a, name: A, industry: x}
  - {id: b, name: B, industry: y}
assets:
  - {id: grid, type: grid_connection}
  - {id: pv, type: generator, technology: pv, capacity: 5}
  - {id: bus, type: bus}
flows:
  - {id: f-pv, from: pv, to: bus, carrier: electricity}
  - {id: f-imp, from: grid, to: bus, carrier: electricity}
  - {id: f-a, from: bus, to: a, carrier: electricity}
  - {id: f-b, from: bus, to: b, carrier: electricity}
meters:
  - {id: M-PV, flow: f-pv, carrier: electricity, unit: MWh, level: park_boundary}
  - {id: M-IMP, flow: f-imp, carrier: electricity, unit: MWh, level: park_boundary}
  - {id: M-A, flow: f-a, carrier: electricity, unit: MWh, level: tenant}
  - {id: M-B, flow: f-b, carrier: electricity, unit: MWh, level: tenant}
"""
SUN = range(10, 15)


def readings() -> SimpleNamespace:
    rows = []
    for h in range(24):
        hour = pd.Timestamp("2023-06-01", tz="Asia/Shanghai") + pd.Timedelta(hours=h)
        values = {"M-A": 1.0, "M-B": 1.0, "M-IMP": 1.0 if h in SUN else 2.0}
        if h in SUN:
            values["M-PV"] = 1.0
        for meter, value in values.items():
            rows.append((meter, "", "electricity", hour.tz_convert("UTC"), value, False))
    frame = pd.DataFrame(rows, columns=["meter_id", "flow_id", "carrier", "hour", "value",
                                        "imputed"])  # fmt: skip
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    con.register("frame", frame)
    con.execute("CREATE TABLE hourly AS SELECT * FROM frame")
    return SimpleNamespace(con=con)


def series(year: int = 2023, hours: int | None = None, bad: dict[int, str] | None = None) -> str:
    start = dt.datetime(year, 1, 1)
    n = hours if hours is not None else (dt.datetime(year + 1, 1, 1) - start).days * 24
    lines = ["time,factor"]
    for i in range(n):
        t = start + dt.timedelta(hours=i)
        f = (0.9 if t.hour in SUN else 0.6) if (t.month, t.day) == (6, 1) else 5.0
        lines.append(f"{t:%Y-%m-%dT%H:%M},{(bad or {}).get(i, f)}")
    return "\n".join(lines) + "\n"


@pytest.fixture
def park(tmp_path):
    def write(text: str = PARK, csv: str | None = None):
        (tmp_path / "park.yaml").write_text(text, encoding="utf-8")
        if csv is not None:
            (tmp_path / "grid_hourly.csv").write_text(csv, encoding="utf-8")
        return tmp_path

    return write


def _location(result) -> pd.Series:
    lines = result.lines
    return (
        lines[(lines["basis"] == "location") & (lines["category"] == "electricity")]
        .groupby("entity")["tco2e"]
        .sum()
    )


def test_location_scope2_is_the_hour_by_hour_sum(park):
    result = Ledger(
        park(csv=series()), profile="cec-zero-carbon-park", readings=readings()
    ).result()
    by_entity = _location(result)
    assert by_entity.sum() == pytest.approx(5 * 1 * 0.9 + 19 * 2 * 0.6)
    assert by_entity["a"] == pytest.approx(27.3 / 2) and by_entity["b"] == pytest.approx(27.3 / 2)
    assert result.totals["scope2_location_t"] == pytest.approx(27.3)
    used = {f["id"]: f for f in result.factors}["user.grid.park.location_hourly"]
    assert used["year"] == 2023 and "Test grid operator" in used["source"]["document"]
    assert any("priced hour by hour with the 2023 series" in w for w in result.warnings)


def test_a_series_in_kg_per_kwh_is_converted(park):
    text = PARK.replace("year: 2023}", "year: 2023, unit: kgCO2/kWh}")
    result = Ledger(park(text, series()), profile="cec_park", readings=readings()).result()
    assert result.totals["scope2_location_t"] == pytest.approx(27.3)  # 1 kg/kWh = 1 t/MWh


def test_annual_profiles_leave_the_series_unused_and_say_so(park):
    result = Ledger(park(csv=series()), readings=readings()).result()
    assert result.totals["scope2_location_t"] == pytest.approx(43 * 0.6361, abs=0.01)
    assert any("grid_hourly.csv is not used" in w for w in result.warnings)


def test_the_hourly_profile_without_a_series_is_an_error(park):
    text = PARK.replace(
        '  location_hourly: {file: grid_hourly.csv, source: "Test grid operator hourly '
        'factors", year: 2023}\n',
        "  location: null\n",
    )
    with pytest.raises(InputError, match="names no hourly factor series"):
        Ledger(park(text), profile="cec-zero-carbon-park", readings=readings())


@pytest.mark.parametrize(
    ("csv", "words", "line"),
    [
        (series(hours=8759), "8,759 hourly rows; a series for 2023 has 8,760", None),
        (series(2024), "8,784 hourly rows; a series for 2023 has 8,760", None),
        (series(bad={3624: "nan"}), "factor 'nan' is not a finite number ≥ 0", 3626),
        (series(bad={10: "-0.1"}), "factor '-0.1' is not a finite number ≥ 0", 12),
        ("time;factor\n", "header must be 'time,factor'", 1),
    ],
)
def test_a_bad_series_is_a_located_error(park, csv, words, line):
    with pytest.raises(InputError) as caught:
        Ledger(park(csv=csv), profile="cec-zero-carbon-park", readings=readings())
    problem = caught.value.problems[0]
    assert words in problem.message and problem.path.endswith("grid_hourly.csv")
    assert problem.line == line


def test_hours_out_of_order_are_an_error(park):
    text = series().splitlines()
    text[5], text[6] = text[6], text[5]
    with pytest.raises(InputError, match="expected 2023-01-01T04:00"):
        Ledger(park(csv="\n".join(text)), profile="cec-zero-carbon-park", readings=readings())


def test_a_series_outside_the_park_folder_is_refused(park):
    from zcp.model import load_park

    with pytest.raises(InputError, match="leaves the park folder"):
        load_park(park(PARK.replace("file: grid_hourly.csv", "file: ../grid_hourly.csv")))


def test_a_tenant_cannot_bring_its_own_hourly_series(park):
    text = PARK.replace(
        "  - {id: a, name: A, industry: x}",
        "  - {id: a, name: A, industry: x, grid_factors: {location_hourly: "
        "{file: grid_hourly.csv, source: x, year: 2023}}}",
    )
    with pytest.raises(InputError, match="read for the park only"):
        Ledger(park(text, series()), profile="cec-zero-carbon-park", readings=readings())


def test_a_leap_day_needs_a_leap_year_series(park):
    text = PARK.replace(
        "{start: 2023-06-01, end: 2023-06-01}", "{start: 2024-02-29, end: 2024-02-29}"
    )
    with pytest.raises(InputError) as caught:
        Ledger(park(text, series()), profile="cec-zero-carbon-park", readings=readings())
    (problem,) = caught.value.problems
    assert "reaches 02-29 00:00, which the 2023 series has no row for" in problem.message
    assert problem.hint == "a period that includes 29 February needs a leap-year series"
