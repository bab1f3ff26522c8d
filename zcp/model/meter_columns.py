"""The meter list as a table (park.yaml ``meters_file:``): its columns in Chinese and English.

Large parks keep their meter register (计量器具台账) in a spreadsheet. Each column is one
field of :class:`zcp.model.park.Meter`; the header may name it by key or Chinese name, as
:mod:`zcp.tables` reads it, from a CSV (UTF-8, BOM or GBK/GB18030) or an ``.xlsx``.
"""

from __future__ import annotations

from pathlib import Path

from zcp.tables import Column, write_template

#: The sheet the template writes and the reader looks for first.
METER_SHEET = "meters"

METER_COLUMNS: tuple[Column, ...] = (
    Column("id", "表计编号", "meter id (letters, digits, - _ .)", "表计编号（字母、数字、- _ .）",
           example="M-IMP", required=True),
    Column("flow", "计量对象", "id of the flow in park.yaml the meter measures",
           "所计量的 park.yaml 能流编号", example="f-import", required=True),
    Column("carrier", "能源品种", "carrier: electricity, natural_gas, steam, heat, water …",
           "能源品种代码", example="electricity", required=True),
    Column("unit", "读数单位", "unit of the readings, e.g. kWh, m3, t, GJ", "读数单位，如 kWh、m3、t、GJ",
           example="kWh", required=True),
    Column("level", "计量级别", "park_boundary, tenant or equipment (GB 17167 level)",
           "园区进出 park_boundary / 用能单位 tenant / 设备 equipment", example="park_boundary",
           required=True),
    Column("register", "读数方式", "interval (values per interval) or cumulative (a register)",
           "区间值 interval / 累计值 cumulative", example="interval", aliases=("register_kind",)),
    Column("interval_minutes", "采集间隔", "minutes per reading (default 60)",
           "采集间隔（分钟，缺省 60）", example="60"),
    Column("upload_interval_minutes", "上传间隔", "minutes between uploads (optional)",
           "上传间隔（分钟，可选）"),
    Column("resolution", "分辨率", "smallest step of the register, in the reading unit",
           "读数最小分度（读数单位）", example="0.01"),
    Column("rollover", "翻转值", "a cumulative register wraps at this value",
           "累计值翻转上限"),
    Column("multiplier", "倍率", "CT/PT ratio applied to readings (default 1)",
           "倍率（CT/PT 变比，缺省 1）", example="100"),
    Column("accuracy_class", "准确度等级", "accuracy class, e.g. 0.5S", "准确度等级，如 0.5S",
           example="0.5S"),
    Column("installation_class", "计量装置类别", "electricity metering-installation class I–V",
           "电能计量装置类别 I–V（GB 17167）"),
    Column("weighing", "称重方式", "fuel scale: static or dynamic", "衡器：静态 static / 动态 dynamic"),
    Column("nominal_diameter_mm", "公称通径", "pipe size DN of a flow meter [mm]", "流量计公称通径 DN [mm]"),
    Column("calibrated_on", "检定日期", "last calibration, YYYY-MM-DD", "最近检定日期 YYYY-MM-DD",
           example="2025-07-03"),
    Column("calibration_interval_months", "检定周期", "months between calibrations",
           "检定周期（月）", example="24"),
)  # fmt: skip

TEMPLATE_NOTES = (
    "每行一块表计；在 park.yaml 中写 meters_file: 本文件名。"
    " One meter per row; name the file in park.yaml (meters_file: FILE.xlsx).",
    "以 # 开头的行是注释（示例行），不读取。 Rows whose first cell starts with # are comments.",
    "计量对象须是 park.yaml flows 中的能流编号。 flow must be the id of a flow in park.yaml.",
    "小数用点，不用千位分隔符；CSV 可为 UTF-8 或 GBK/GB18030。"
    " A point for decimals, no thousands separators; CSV may be UTF-8 or GBK/GB18030.",
)


def write_meter_template(path: Path) -> None:
    """The blank meter list (.xlsx with notes, or .csv), columns in Chinese and English."""
    write_template(path, METER_COLUMNS, sheet=METER_SHEET,
                   title="计量器具台账 / Meter list (zcp meters_file)", notes=TEMPLATE_NOTES)  # fmt: skip
