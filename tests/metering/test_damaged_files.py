"""Damaged and foreign-encoded files: read where the encoding is known, refused with the
file, row group or byte named otherwise — never a traceback (#12 item 6)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from tests.metering.test_rules import DAY, PARK, local
from zcp.cli import main
from zcp.errors import InputError, ReadingsError
from zcp.metering import load_readings
from zcp.model import load_park


def _parquet_park(write_park, table: pa.Table, **kw):
    text = PARK.format(tz="Asia/Shanghai", day=DAY).replace("readings.csv", "r.parquet")
    folder = write_park(text)
    pq.write_table(table, folder / "r.parquet", **kw)
    return folder


def _day_table() -> pa.Table:
    stamps = pd.to_datetime([local(h) for h in range(24)] * 2).tz_convert("UTC")
    return pa.table(
        {
            "meter_id": ["m-grid"] * 24 + ["m-t1"] * 24,
            "timestamp": pa.array(stamps, pa.timestamp("us", "UTC")),
            "value": np.arange(48, dtype=float),
        }
    )


def test_corrupt_parquet_pages_name_the_file_and_row_group(write_park):
    folder = _parquet_park(
        write_park, _day_table(), row_group_size=24, compression="snappy", use_dictionary=False
    )
    path = folder / "r.parquet"
    meta = pq.ParquetFile(path).metadata
    column = meta.row_group(1).column(2)  # value column of the second row group
    raw = bytearray(path.read_bytes())
    # the page's compressed bytes: the second half of the chunk (its header comes first)
    start, size = column.data_page_offset, column.total_compressed_size
    for i in range(start + size // 2, start + size):
        raw[i] ^= 0x5A
    path.write_bytes(bytes(raw))
    with pytest.raises(ReadingsError) as caught:
        load_readings(load_park(folder), progress=False)
    problem = caught.value.problems[0]
    assert problem.path == "r.parquet"
    assert "row group 1 of 2 (rows 24 to 47" in problem.message
    result = CliRunner().invoke(main, ["validate", str(folder)])
    assert result.exit_code == 2 and "r.parquet" in result.output


def test_gbk_meters_csv_is_read(write_park, tmp_path):
    import shutil

    from tests.conftest import EXAMPLES

    folder = tmp_path / "gbk"
    shutil.copytree(EXAMPLES / "lingang-operation", folder)
    text = (folder / "meters.csv").read_text(encoding="utf-8")
    assert ",0.5S," in text
    (folder / "meters.csv").write_bytes(text.replace(",0.5S,", ",0.5S级,").encode("gbk"))
    park = load_park(folder).park
    assert "0.5S级" in {m.accuracy_class for m in park.meters}


def test_gbk_readings_csv_is_read(write_park):
    rows = "".join(f"m-grid,{local(h)},{h},{'估算' if h == 3 else ''}\n" for h in range(24))
    text = "meter_id,timestamp,value,quality\n" + rows
    folder = write_park(
        PARK.format(tz="Asia/Shanghai", day=DAY), **{"readings.csv": text.encode("gbk")}
    )
    data = load_readings(load_park(folder), progress=False)
    # '估算' is not a known flag: the reading is rejected as flagged, the rest accepted
    row = data.quality.per_meter.set_index("meter_id").loc["m-grid"]
    assert (row["accepted"], row["flagged"]) == (23, 1)


def test_undecodable_files_are_refused_with_the_byte(write_park):
    text = "meter_id,timestamp,value\n" + f"m-grid,{local(0)},1\n"
    folder = write_park(
        PARK.format(tz="Asia/Shanghai", day=DAY),
        **{"readings.csv": text.encode() + b"\xff\x80\xff\n"},
    )
    with pytest.raises(ReadingsError, match=r"neither UTF-8 nor GB18030/GBK text \(byte"):
        load_readings(load_park(folder), progress=False)


def test_gbk_yaml_is_refused_naming_the_encoding(write_park):
    folder = write_park(PARK.format(tz="Asia/Shanghai", day=DAY).encode("gbk"))
    with pytest.raises(InputError, match="it reads as GB18030/GBK"):
        load_park(folder)
