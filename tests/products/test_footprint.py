"""Product footprints by plain arithmetic from the inputs, the allocation rule, and the
electricity carbon-footprint factor kept out of scope 2."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
import yaml

from zcp.errors import InputError
from zcp.factors import default_library
from zcp.ledger import run_ledger
from zcp.model import load_park
from zcp.products import load_products, product_footprints
from zcp.products.run import park_footprints

ORDOS = Path(__file__).parents[2] / "assessments" / "ordos-design"

PARK = """\
kind: park
schema_version: 1
id: tiny
name: Tiny park
location: {province: Jiangsu, grid_region: east}
reporting_period: {start: 2025-01-01, end: 2025-12-31}
stage: design
tenants:
  - {id: maker, name: 制造厂, name_en: Maker, industry: parts}
assets:
  - {id: grid, type: grid_connection, carrier: electricity}
  - {id: bus, type: bus, carrier: electricity}
  - {id: gas, type: fuel_supply, carrier: natural_gas}
flows:
  - {id: f-imp, from: grid, to: bus, carrier: electricity, annual_estimate: 1000 MWh}
  - {id: f-m, from: bus, to: maker, carrier: electricity, annual_estimate: 1000 MWh}
  - {id: f-gas, from: gas, to: maker, carrier: natural_gas, annual_estimate: 10000 m3}
"""

PRODUCTS = """\
kind: products
schema_version: 1
supplier_disclosures: [suppliers/steel.yaml]
products:
  - id: bracket
    tenant: maker
    name: 支架
    declared_unit: kg
    output: 400 t
    materials:
      - {name: steel, quantity: 1.1 kg, supplier_product: steelco/hot-rolled}
      - {name: paint, quantity: 20 g, factor: {value: 3.0, unit: kgCO2e/kg, source: user}}
    transport:
      - {description: truck, quantity: 0.3 t*km, factor: {value: 0.1, unit: kgCO2e/(t*km), source: user}}
  - id: plate
    tenant: maker
    name: 钢板件
    declared_unit: kg
    output: 100 t
allocation:
  - {tenant: maker, rule: mass, keys: {bracket: 400 t, plate: 100 t, other: 500 t}}
"""

DISCLOSURE = """\
kind: supplier_disclosure
schema_version: 1
supplier: {id: steelco, name: Steel Co, country: CN}
products:
  - id: hot-rolled
    name: hot-rolled coil
    declared_unit: t
    footprint: {value: 2.2, unit: tCO2e/t}
    method: ISO 14067:2018
    reference_period: {start: 2024-01-01, end: 2024-12-31}
    verification: {status: third_party_verified, verifier: VB}
"""


@pytest.fixture
def tiny(tmp_path: Path):
    def write(products: str = PRODUCTS, disclosure: str = DISCLOSURE) -> Path:
        (tmp_path / "park.yaml").write_text(PARK, encoding="utf-8")
        (tmp_path / "products.yaml").write_text(textwrap.dedent(products), encoding="utf-8")
        (tmp_path / "suppliers").mkdir(exist_ok=True)
        (tmp_path / "suppliers" / "steel.yaml").write_text(disclosure, encoding="utf-8")
        return tmp_path

    return write


def _factor(set_name: str, factor_id: str) -> float:
    data = yaml.safe_load(
        (Path(__file__).parents[2] / "zcp/data/factors" / f"{set_name}.yaml").read_text("utf-8")
    )
    return next(f["value"] for f in data["factors"] if f["id"] == factor_id)


def test_footprint_is_plain_arithmetic_to_the_gram(tiny):
    folder = tiny()
    (fp, plate), _ = park_footprints(folder)
    gas = 10_000 * _factor("fuels_heat", "co2.natural_gas")  # [t]
    grid = 1000 * _factor(
        "electricity_footprint", "pcf.electricity.national.2024"
    )  # MWh × kg/kWh = t
    share = 400 / (400 + 100 + 500)
    production = (gas + grid) * share * 1000 / 400_000  # [kg per kg]
    materials = 1.1 * 2.2 + 0.020 * 3.0
    transport = 0.3 * 0.1
    expected = production + materials + transport
    assert fp.kg_per_unit == pytest.approx(expected, abs=1e-9)
    assert fp.stages()["production"] == pytest.approx(production, abs=1e-12)
    assert fp.electricity["factor_id"] == "pcf.electricity.national.2024"
    # the other product carries its own share of the same tenant emissions, no materials
    assert plate.kg_per_unit == pytest.approx((gas + grid) * 0.1 * 1000 / 100_000, abs=1e-12)
    # supplier data is the only primary data here (the tenant's energy is a design estimate)
    assert fp.primary_data_share == pytest.approx(1.1 * 2.2 / expected)
    assert fp.data_quality_shares()["supplier_specific"] == pytest.approx(1.1 * 2.2 / expected)


def test_allocation_rule_changes_the_footprint_as_stated(tiny):
    base, _ = park_footprints(tiny())
    economic = PRODUCTS.replace(
        "{tenant: maker, rule: mass, keys: {bracket: 400 t, plate: 100 t, other: 500 t}}",
        "{tenant: maker, rule: economic, keys: {bracket: 3000000 CNY, plate: 1000000 CNY}}",
    )
    changed, _ = park_footprints(tiny(economic))
    prod_base = base[0].stages()["production"]
    # mass share 0.4 → economic share 0.75: production per kg scales by 0.75 / 0.4
    assert changed[0].stages()["production"] == pytest.approx(prod_base * 0.75 / 0.4, rel=1e-12)
    assert changed[0].stages()["materials"] == pytest.approx(base[0].stages()["materials"])
    assert changed[0].allocation["rule"] == "economic"


def test_footprint_factor_never_prices_scope_2(tiny):
    result = run_ledger(tiny(), profile="ghg-protocol-corporate")
    used = set(result.lines["factor_id"].dropna())
    assert used and not any(f.startswith("pcf.") for f in used)
    assert result.totals["scope2_location_t"] > 0


def test_battery_declaration_fields_from_the_example():
    folder = load_park(ORDOS)
    catalogue = load_products(folder.root, [t.id for t in folder.park.tenants])
    result = run_ledger(ORDOS, profile="ghg-protocol-corporate")
    fps = {
        fp.product.id: fp for fp in product_footprints(result, folder, catalogue, default_library())
    }
    fp = fps["cell-lfp-280"]
    per_battery = fp.kg_per_unit * 0.896  # kg per kWh of capacity × kWh per cell
    assert fp.battery["kg_co2e_per_kwh_lifetime"] == pytest.approx(per_battery / (0.896 * 8000))
    assert fp.battery["provisional"] is True
    assert fp.battery["stages_kg_per_kwh_lifetime"]["distribution"] is None
    # materials: three supplier disclosures and two own factors, read from the files
    lfp = 2.05 * 8.9 + 1.12 * 9.6 + 1.25 * 4.4 + 0.62 * 7.5 + 0.85 * 16.0
    assert fp.stages()["materials"] == pytest.approx(lfp, abs=1e-9)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("steelco/hot-rolled", "steelco/hot-roled", "did you mean 'hot-rolled'"),
        ("steelco/hot-rolled", "stealco/hot-rolled", "did you mean 'steelco'"),
        ("tenant: maker\n    name: 支架", "tenant: makr\n    name: 支架", "did you mean 'maker'"),
        ("plate: 100 t, ", "", "product 'plate' has no key"),
        (
            "quantity: 20 g, factor: {value: 3.0, unit: kgCO2e/kg",
            "quantity: 20 g, factor: {value: 3.0, unit: kgCO2e/km",
            "not a mass of CO2e",
        ),
    ],
)
def test_bad_products_file_is_a_located_error(tiny, old, new, message):
    folder = tiny(PRODUCTS.replace(old, new, 1))
    with pytest.raises(InputError) as err:
        load_products(folder, ["maker"])
    text = "\n".join(str(p) for p in err.value.problems)
    assert message in text and "products.yaml:" in text


def test_bad_disclosure_unit_is_a_located_error(tiny):
    folder = tiny(disclosure=DISCLOSURE.replace("tCO2e/t", "tCO2e/m"))
    with pytest.raises(InputError) as err:
        load_products(folder, ["maker"])
    assert "steel.yaml:" in str(err.value.problems[0]) and "not a mass of CO2e" in str(
        err.value.problems[0]
    )


def test_disclosure_workbook_round_trip(tiny, tmp_path):
    """The blank template, filled in as a supplier would, prices the footprint like the YAML."""
    from openpyxl import load_workbook

    from zcp.ledger.supplier_workbook import write_template

    folder = tiny()
    book_path = folder / "suppliers" / "steel.xlsx"
    write_template(book_path)
    wb = load_workbook(book_path)
    values = {"id": "steelco", "name": "Steel Co", "country": "CN", "disclosed_on": "2025-03-01"}
    for row in wb["supplier"].iter_rows(min_row=2):
        row[1].value = values.get(row[0].value)
    header = [c.value for c in wb["products"][1]]
    filled = {"id": "hot-rolled", "name": "hot-rolled coil", "declared_unit": "t",
              "footprint_value": 2.2, "footprint_unit": "tCO2e/t", "method": "ISO 14067:2018",
              "reference_period_start": "2024-01-01", "reference_period_end": "2024-12-31",
              "verification_status": "third_party_verified", "verifier": "VB"}  # fmt: skip
    wb["products"].append([filled.get(h) for h in header])
    wb.save(book_path)
    yaml_fp, _ = park_footprints(folder)
    (folder / "products.yaml").write_text(
        PRODUCTS.replace("suppliers/steel.yaml", "suppliers/steel.xlsx"), "utf-8"
    )
    book_fp, _ = park_footprints(folder)
    assert book_fp[0].kg_per_unit == pytest.approx(yaml_fp[0].kg_per_unit, abs=1e-12)
    # a wrong cell is named by sheet, row and column
    wb["products"].cell(row=2, column=header.index("verification_status") + 1, value="checked")
    wb.save(book_path)
    with pytest.raises(InputError) as err:
        load_products(folder, ["maker"])
    text = str(err.value.problems[0])
    assert "steel.xlsx:2" in text and "row 2" in text and "verification" in text


def _park_with_activity(root: Path, activity: str) -> Path:
    (root / "park.yaml").write_text(PARK, encoding="utf-8")
    (root / "suppliers").mkdir()
    (root / "suppliers" / "steel.yaml").write_text(DISCLOSURE, encoding="utf-8")
    (root / "activity.yaml").write_text(textwrap.dedent(activity), encoding="utf-8")
    return root


def test_scope3_category1_uses_supplier_data_and_reports_its_share(tmp_path):
    """Supplier-specific scope-3 lines priced by the disclosure; the category-1 share of
    supplier-specific data computed by hand."""
    _park_with_activity(tmp_path, """\
        kind: activity
        schema_version: 1
        supplier_disclosures: [suppliers/steel.yaml]
        scope3:
          - {category: 1, entity: maker, description: coil, amount: 450 t, supplier_product: steelco/hot-rolled}
          - {category: 1, entity: maker, description: paint, amount: 8 t,
             factor: {value: 3.0, unit: tCO2e/t, source: user}}
          - {category: 1, entity: maker, description: services, amount: 200000 CNY,
             factor: {value: 0.5, unit: kgCO2e/CNY, source: user}}
        """)  # fmt: skip
    doc = run_ledger(tmp_path, profile="ghg-protocol-corporate").to_json()
    cat1 = next(c for c in doc["scope3"]["categories"] if c["category"] == 1)
    steel, paint, spend = 450 * 2.2, 8 * 3.0, 200_000 * 0.5 / 1000
    assert cat1["t"] == pytest.approx(steel + paint + spend)
    assert cat1["by_data_quality"] == pytest.approx(
        {"supplier_specific": steel, "average_data": paint, "spend_based": spend}
    )
    share = doc["scope3"]["category1_supplier_specific_share"]["value"]
    assert share == pytest.approx(steel / (steel + paint + spend))


def test_scope3_supplier_reference_typo_is_located(tmp_path):
    _park_with_activity(tmp_path, """\
        kind: activity
        schema_version: 1
        supplier_disclosures: [suppliers/steel.yaml]
        scope3:
          - {category: 1, entity: maker, description: coil, amount: 450 t, supplier_product: steelco/hot-roled}
        """)  # fmt: skip
    with pytest.raises(InputError) as err:
        run_ledger(tmp_path)
    text = str(err.value.problems[0])
    assert (
        "activity.yaml:5" in text
        and "supplier_product" in text
        and "did you mean 'hot-rolled'" in text
    )


def test_template_command(tmp_path):
    from click.testing import CliRunner
    from python_calamine import CalamineWorkbook

    from zcp.cli import main

    runner = CliRunner()
    out = tmp_path / "request.xlsx"
    made = runner.invoke(main, ["template", "supplier_disclosure", "--out", str(out)])
    assert made.exit_code == 0, made.output
    sheets = CalamineWorkbook.from_path(str(out)).sheet_names
    assert sheets == ["说明 README", "supplier", "products"]
    typo = runner.invoke(main, ["template", "supplier_disclosures", "--out", str(out)])
    assert typo.exit_code == 2 and "did you mean 'supplier_disclosure'" in typo.output
