"""Meter readings at scale: loading, repair, data quality and per-bus balance.

``load_readings(folder)`` reads the files a park names (long format: ``meter_id``,
``timestamp``, ``value``, optional ``quality``; CSV or Parquet) and returns a
:class:`MeterData` whose DuckDB connection holds the view ``hourly``: one row per meter
and UTC hour, the value in the carrier's canonical unit (multiplier applied), and whether
it was imputed. Accounting aggregates that view with SQL; ``MeterData.nodes`` holds the
hourly sums per tenant and bus. The files are read once (:mod:`zcp.metering.runs`): meters
whose readings are exactly right are taken as they are, the others are repaired by the
rules below, and both give the same result.

Rules applied to readings — each one counted per meter in ``quality.per_meter``; every
rejected reading is listed in ``quality.rejected`` (meter, time, value, rule) and every
imputed hour is flagged in ``hourly``:

* **Timestamps** mark the *start* of an interval (a cumulative register: the instant it
  was read). Zoned timestamps are taken as written; naive ones are local to the file's
  ``timezone:`` (default: the park's). A naive local time skipped by daylight-saving time
  is rejected (``dst_nonexistent``); one that occurs twice is resolved per meter, first
  occurrence summer time, second standard time (``dst_ambiguous``, kept).
* **Rejected** (then treated as missing): no value (``empty``); an infinite value
  (``non_finite``: ``inf``, ``1e400``); a quality flag other than
  ok/good/valid/measured/a or estimated/substituted/imputed/e (``flagged``); a timestamp
  outside the reporting period (``outside_period``; a register may be read at its very
  end); a timestamp off the meter's interval grid counted from local midnight of the
  period start (``misaligned``); the same meter and timestamp again, first in file order
  kept (``duplicates``); a negative value (``negatives``); an interval value above what
  the meter can physically measure (``implausible``: the ceilings of :mod:`zcp.limits`,
  or 3 x the rated power of the asset the flow leaves or enters, whatever the meter's
  reading count); an interval value above 10 x
  the 99th percentile of the meter's positive interval values, for meters with at least
  100 positive values (``spikes``).
* **Cumulative registers**: interval = difference of consecutive accepted readings. A fall
  from the top 10 % of the register's ``rollover`` range to its bottom 10 % is a rollover
  (the range is added back, ``rollovers``); any other fall is a reset (``resets``): that
  interval's energy is unknown and dropped. A difference spanning missing readings is
  spread evenly over the intervals it covers (imputed).
* **Resampling to hours**: native intervals are summed into UTC hours; an hour with only
  some of its intervals is scaled up to the full hour (imputed); an interval longer than
  an hour is spread evenly over its hours (imputed). Values flagged estimated are kept and
  marked imputed.
* **Gaps**: hours missing between a meter's first and last hour with data are filled by
  linear interpolation between the neighbouring hours (imputed, ``hours_imputed``); hours
  before the first or after the last are left missing (``hours_missing``). A meter with no
  readings at all is *silent*; readings naming a meter the park lacks are counted by id
  (``unknown_meters``) and not used.
* **Malformed files** (a missing column, a row without meter id or timestamp, a value that
  is not a number) are errors: ``path:row: what is wrong`` (``ReadingsError``).
"""

from zcp.metering.balance import BalanceReport
from zcp.metering.data import MeterData, load_readings
from zcp.metering.quality import QualityReport, summary_lines

__all__ = ["BalanceReport", "MeterData", "QualityReport", "load_readings", "summary_lines"]
