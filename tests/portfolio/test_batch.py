"""``zcp batch`` on a real local Dask cluster (worker processes) against a plain loop.

A handful of tiny synthetic parks plus one broken folder: the cluster and the loop give
the same table, the broken park is an error row, the seeded double claims are found, and a
re-run skips the parks whose files did not change.
"""

from __future__ import annotations

import shutil

import pyarrow.compute as pc
import pytest
import yaml
from click.testing import CliRunner

from zcp.cli import main
from zcp.errors import InputError
from zcp.portfolio import manifest_sources, run_batch
from zcp.portfolio.query import run_query
from zcp.portfolio.table import PARKS_DIR, RUN_COLUMNS, read_parts
from zcp.synth.portfolio import PortfolioSpec, synthesize_portfolio


@pytest.fixture(scope="module")
def portfolio(tmp_path_factory):
    root = tmp_path_factory.mktemp("portfolio")
    manifest = synthesize_portfolio(root / "pf", PortfolioSpec(parks=3, seed=5, hours=24,
                                                               max_meters=12))  # fmt: skip
    broken = root / "broken"
    broken.mkdir()
    (broken / "park.yaml").write_text("kind: park\nschema_version: 1\nid: broken\n")
    sources = manifest_sources(root / "pf" / "manifest.yaml") + [str(broken)]
    return root, manifest, sources


@pytest.fixture(scope="module")
def sequential_run(portfolio):
    root, _manifest, sources = portfolio
    return run_batch(sources, root / "seq", sequential=True, progress=None)


def _comparable(folder):
    table = read_parts(folder / PARKS_DIR)
    table = table.drop_columns(list(RUN_COLUMNS))
    return table.take(pc.sort_indices(table, [("source", "ascending"), ("rule_set_id", "ascending"),
                                              ("subject", "ascending")])).to_pylist()  # fmt: skip


def test_local_cluster_gives_the_sequential_results(portfolio, sequential_run):
    root, manifest, sources = portfolio
    dask_run = run_batch(sources, root / "dask", jobs=2, progress=None)
    assert dask_run.engine == "dask local" and dask_run.workers == 2
    seq_rows, dask_rows = _comparable(root / "seq"), _comparable(root / "dask")
    assert len(seq_rows) >= 3 * 2 + 1  # several rule sets per park, one error row
    assert dask_rows == seq_rows
    # two worker processes did the work, neither of them this one
    pids = {p["pid"] for p in dask_run.parks}
    assert len(pids) >= 1 and all(pid != 0 for pid in pids)


def test_broken_park_is_an_error_row_and_the_rest_go_on(portfolio, sequential_run):
    root, manifest, _sources = portfolio
    assert sequential_run.assessed == 3
    assert [e["source"] for e in sequential_run.errors] == [str(root / "broken")]
    columns, rows = run_query(root / "seq", "SELECT source, error_kind, error FROM errors")
    assert len(rows) == 1
    source, kind, error = rows[0]
    assert source.endswith("broken") and kind == "input"
    assert "park.yaml" in error and "name" in error  # the missing required field is named
    _, parks = run_query(root / "seq", "SELECT park_id FROM parks WHERE status = 'ok' ORDER BY 1")
    assert [p[0] for p in parks] == sorted(p["id"] for p in manifest["parks"])


def test_seeded_double_claims_are_found(portfolio, sequential_run):
    _root, manifest, _sources = portfolio
    seeded = manifest["seeded_double_claims"]
    assert len(seeded) == 1
    found = {
        frozenset([(c["park_id_a"], c["claim_id_a"]), (c["park_id_b"], c["claim_id_b"])])
        for c in sequential_run.conflicts
    }
    expected = {frozenset(zip(s["parks"], s["claims"], strict=True)) for s in seeded}
    assert found == expected
    message = sequential_run.conflicts[0]["message"]
    for park, claim in zip(seeded[0]["parks"], seeded[0]["claims"], strict=True):
        assert park in message and claim in message


def test_rerun_skips_unchanged_parks_and_redoes_a_changed_one(portfolio, sequential_run, tmp_path):
    root, manifest, sources = portfolio
    out = tmp_path / "rerun"
    shutil.copytree(root / "seq", out)  # the first run's output
    again = run_batch(sources, out, sequential=True, progress=None)
    assert (again.assessed, again.skipped, len(again.errors)) == (0, 3, 1)  # broken retried
    changed = root / "pf" / manifest["parks"][0]["path"] / "instruments.yaml"
    original = changed.read_bytes()
    try:
        changed.write_bytes(original + b"# touched\n")
        third = run_batch(sources, out, sequential=True, progress=None)
    finally:
        changed.write_bytes(original)
    assert (third.assessed, third.skipped) == (1, 2)
    # the table still holds every park, and the conflicts are still found
    assert len({r["source"] for r in _comparable(out)}) == 4
    assert len(third.conflicts) == len(manifest["seeded_double_claims"])


def test_fsspec_url_source_reads_the_same_park(portfolio, sequential_run, tmp_path):
    root, manifest, sources = portfolio
    url = "file://" + sources[2]
    run = run_batch([url], tmp_path / "url", sequential=True, progress=None)
    assert run.assessed == 1
    _, rows = run_query(tmp_path / "url", "SELECT park_id, net_t, file_hashes FROM parks")
    _, local = run_query(root / "seq", f"SELECT park_id, net_t, file_hashes FROM parks "
                                       f"WHERE source = '{sources[2]}'")  # fmt: skip
    assert rows == local


def test_manifest_errors_name_file_line_and_field(tmp_path):
    bad = tmp_path / "m.yaml"
    bad.write_text("kind: portfolio_manifest\nschema_version: 1\nparks:\n  - {id: x}\n")
    with pytest.raises(InputError) as info:
        manifest_sources(bad)
    text = str(info.value.problems[0])
    assert "m.yaml:4" in text and "parks[0].path" in text
    wrong = tmp_path / "w.yaml"
    wrong.write_text(yaml.safe_dump({"kind": "park", "parks": ["a"]}))
    with pytest.raises(InputError, match="not a portfolio manifest"):
        manifest_sources(wrong)


def test_cli_batch_exit_codes_and_query(portfolio, sequential_run):
    root, _manifest, _sources = portfolio
    runner = CliRunner()
    result = runner.invoke(main, ["batch", "--out", str(root / "empty")])
    assert result.exit_code == 2 and "no park folders" in result.output
    result = runner.invoke(main, ["portfolio", "query", str(root / "seq"),
                                  "SELECT count(*) AS n FROM claim_conflicts"])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.output.split()[:2] == ["n", "1"]
    typo = runner.invoke(main, ["portfolio", "query", str(root / "seq"), "SELECT * FROM park"])
    assert typo.exit_code == 2 and "parks" in typo.output


def test_portfolio_report_shows_levels_core_claims_and_errors(portfolio, sequential_run, tmp_path):
    from zcp.portfolio.report import portfolio_report, render_portfolio_html, write_portfolio_report

    root, manifest, _sources = portfolio
    report = portfolio_report(root / "seq")
    assert (report.parks, report.assessed, len(report.errors)) == (4, 3, 1)
    assert {row["park_id"] for row in report.levels} == {p["id"] for p in manifest["parks"]}
    for lang, title in (("zh", "园区组合评价报告"), ("en", "Portfolio assessment report")):
        html = render_portfolio_html(report, lang)
        assert title in html
        for park in manifest["parks"]:
            assert park["id"] in html
        for claim in manifest["seeded_double_claims"][0]["claims"]:
            assert claim in html
        assert "broken" in html
    pdf = write_portfolio_report(root / "seq", tmp_path / "portfolio.pdf", "en")
    assert pdf.read_bytes()[:4] == b"%PDF"
    with pytest.raises(InputError, match="html or .pdf"):
        write_portfolio_report(root / "seq", tmp_path / "portfolio.docx")


def test_assess_on_request_returns_the_park_report(portfolio, tmp_path):
    from zcp.portfolio import BatchOptions, run_park

    _root, manifest, sources = portfolio
    outcome = run_park(sources[1], BatchOptions(assess=True, report_format="html", lang="en"))
    assert outcome.rows[0]["status"] == "ok", outcome.rows[0].get("error")
    html = outcome.report.decode("utf-8")
    assert html.lstrip().lower().startswith("<!doctype html") and manifest["parks"][1]["id"] in html
    assert outcome.timings["assess"] > 0
