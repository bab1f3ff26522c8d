"""PACT JSON against the schema, the label's QR payload round trip, and tampered labels."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from zcp.cli import main
from zcp.products.pact import to_pact, validate_pact
from zcp.products.run import park_footprints
from zcp.report.product_label import payload, payload_text, render_label, verify_label

ORDOS = Path(__file__).parents[2] / "assessments" / "ordos-design"


@pytest.fixture(scope="module")
def ordos():
    footprints, result = park_footprints(ORDOS)
    return {fp.product.id: fp for fp in footprints}, result


def test_pact_export_validates_and_carries_the_footprint(ordos):
    fps, result = ordos
    fp = fps["cell-lfp-314"]
    doc = to_pact(
        fp, company_name="Cell Co", gwp_basis="AR5", created=dt.datetime(2028, 1, 5, tzinfo=dt.UTC)
    )
    assert validate_pact(doc) == []
    pcf = doc["pcf"]
    assert pcf["declaredUnit"] == "kilowatt hour"
    assert float(pcf["pCfExcludingBiogenic"]) == pytest.approx(fp.kg_per_unit, rel=1e-6)
    assert float(pcf["unitaryProductAmount"]) == pytest.approx(1.0048)
    assert pcf["referencePeriodStart"] == "2027-01-01T00:00:00Z"
    assert pcf["referencePeriodEnd"] == "2028-01-01T00:00:00Z"  # exclusive end, as PACT defines it
    # the schema is not vacuous: a wrong unit and a missing field are caught
    bad = json.loads(json.dumps(doc))
    bad["pcf"]["declaredUnit"] = "piece"
    del bad["productCategoryCpc"]
    errors = validate_pact(bad)
    assert any("declaredUnit" in e for e in errors) and any(
        "productCategoryCpc" in e for e in errors
    )


def test_pact_needs_what_a_calculation_cannot_know(tmp_path):
    park = tmp_path / "park"
    shutil.copytree(ORDOS, park)
    text = (park / "products.yaml").read_text("utf-8")
    start = text.index("    pact: {fossil_carbon_content: 1.12 kg")
    end = text.index("  - id: cell-lfp-314")
    (park / "products.yaml").write_text(text[:start] + text[end:], "utf-8")
    out = CliRunner().invoke(main, ["footprint", str(park), "--product", "cell-lfp-280",
                                    "--pact", str(tmp_path / "p.json")])  # fmt: skip
    assert out.exit_code == 2 and "pact:" in out.output and "carbon content" in out.output


def test_label_qr_payload_round_trips(ordos, tmp_path):
    zxingcpp = pytest.importorskip("zxingcpp")
    from PIL import Image

    fp = ordos[0]["cell-lfp-280"]
    pdf = tmp_path / "label.pdf"
    pdf.write_bytes(render_label(fp, "en"))
    subprocess.run(["pdftoppm", "-r", "200", "-png", str(pdf), str(tmp_path / "page")], check=True)
    image = Image.open(next(tmp_path.glob("page*.png")))
    codes = zxingcpp.read_barcodes(image)
    assert [c.text for c in codes] == [payload_text(payload(fp))]
    decoded = json.loads(codes[0].text)
    assert float(decoded["pcf"]) == pytest.approx(fp.kg_per_unit, rel=1e-5)
    assert decoded["unit"] == "kgCO2e/kWh" and decoded["period"] == "2027-01-01/2027-12-31"


def test_label_verifies_and_tampering_fails(ordos, tmp_path):
    fps, _ = ordos
    fp = fps["cell-lfp-280"]
    good = render_label(fp, "zh")
    assert render_label(fp, "zh") == good  # reproducible bytes
    assert verify_label(good, fps).ok
    # a label rendered for another figure (payload and text altered together)
    fp.lines[0].kg_per_unit += 1.0
    forged = render_label(fp, "zh")
    fp.lines[0].kg_per_unit -= 1.0
    check = verify_label(forged, fps)
    assert not check.ok and any(p.startswith("pcf:") for p in check.problems)
    # bytes flipped inside the page content
    flipped = bytearray(good)
    at = len(flipped) // 3
    flipped[at : at + 8] = bytes(b ^ 0xFF for b in flipped[at : at + 8])
    assert not verify_label(bytes(flipped), fps).ok


def test_verify_cli_on_a_label(tmp_path):
    park = tmp_path / "park"
    shutil.copytree(ORDOS, park)
    label = tmp_path / "label.pdf"
    runner = CliRunner()
    made = runner.invoke(
        main, ["footprint", str(park), "--product", "cell-lfp-280", "--label", str(label)]
    )
    assert made.exit_code == 0, made.output
    ok = runner.invoke(main, ["verify", str(label), str(park)])
    assert ok.exit_code == 0 and "OK" in ok.output
    # the park's inputs change after the label was printed: the inputs hash no longer matches
    products = park / "products.yaml"
    products.write_text(
        products.read_text("utf-8").replace("quantity: 2.05 kg", "quantity: 2.5 kg"), "utf-8"
    )
    changed = runner.invoke(main, ["verify", str(label), str(park)])
    assert changed.exit_code == 1 and "MISMATCH" in changed.output and "inputs" in changed.output


def test_validate_checks_the_products_file(tmp_path):
    park = tmp_path / "park"
    shutil.copytree(ORDOS, park)
    runner = CliRunner()
    ok = runner.invoke(main, ["validate", str(park)])
    assert ok.exit_code == 0 and "2 products, 3 supplier disclosures" in ok.output
    products = park / "products.yaml"
    products.write_text(
        products.read_text("utf-8").replace("tenant: cellco", "tenant: celco", 1), "utf-8"
    )
    bad = runner.invoke(main, ["validate", str(park)])
    assert (
        bad.exit_code == 2
        and "products.yaml:" in bad.output
        and "did you mean 'cellco'" in bad.output
    )
