"""Reading-by-reading repair of the meters that are not clean: the rules, as SQL.

Steps (each counted per meter, see :mod:`zcp.metering` for the rules in words):

1. classify every reading: rejected as ``dst_nonexistent``, ``empty``, ``flagged``,
   ``outside_period``, ``misaligned``, ``negative`` or ``duplicate`` (first in file order
   wins), or accepted (``estimated`` flags accepted but marked imputed);
2. turn readings into interval energies: interval meters as they are; cumulative registers
   as differences of consecutive accepted readings, with rollovers added back and resets
   rejected; a difference spanning missing readings is spread evenly (imputed);
3. reject spikes: an interval above SPIKE_FACTOR x the 99th percentile of the meter's
   positive intervals (meters with at least SPIKE_MIN_POSITIVE of them);
4. sum native intervals into UTC hours (a partial hour is scaled up, imputed); intervals
   longer than an hour are spread evenly over their hours (imputed);
5. fill missing hours between the first and last hour with data by linear interpolation
   (imputed); hours before the first or after the last stay missing and are counted.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from zcp.metering.catalog import PeriodBounds
from zcp.metering.rules import (
    ESTIMATED_FLAGS,
    OK_FLAGS,
    ROLLOVER_BAND,
    SPIKE_FACTOR,
    SPIKE_MIN_POSITIVE,
    SPIKE_QUANTILE,
)


def _ts(value) -> str:
    return f"TIMESTAMPTZ '{pd.Timestamp(value).isoformat()}'"


def _names(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{v}'" for v in values)


def repair(con: duckdb.DuckDBPyConnection, dirty: list[str], bounds: PeriodBounds) -> pd.DataFrame:
    """Build the table ``hourly_repaired`` for the ``dirty`` meters; return their counts."""
    con.register("dirty_frame", pd.DataFrame({"meter_id": pd.Series(dirty, dtype=object)}))
    con.execute("CREATE TEMP TABLE dirty AS SELECT meter_id::VARCHAR AS meter_id FROM dirty_frame")
    con.unregister("dirty_frame")
    start, end = _ts(bounds.start), _ts(bounds.end)
    con.execute(
        f"""
        CREATE TEMP TABLE d_classified AS
        WITH c AS (
            SELECT r.meter_id, r.ts, r.value, r.dst, r.source, r.row,
                   m.register, m.interval_s, m.rollover,
                   lower(coalesce(r.flag, '')) IN ({_names(ESTIMATED_FLAGS)}) AS estimated,
                   CASE
                     WHEN r.dst = 'nonexistent' THEN 'dst_nonexistent'
                     WHEN r.value IS NULL OR isnan(r.value) THEN 'empty'
                     WHEN lower(coalesce(r.flag, '')) NOT IN
                          ({_names(OK_FLAGS + ESTIMATED_FLAGS)}) THEN 'flagged'
                     WHEN r.ts < {start} OR r.ts > {end}
                          OR (r.ts = {end} AND m.register = 'interval') THEN 'outside_period'
                     WHEN (epoch_us(r.ts) - epoch_us({start})) % (m.interval_s * 1000000) <> 0
                          THEN 'misaligned'
                     WHEN r.value < 0 THEN 'negative'
                   END AS rejected
            FROM raw r JOIN meters m USING (meter_id)
            WHERE r.meter_id IN (SELECT meter_id FROM dirty)
        )
        SELECT * REPLACE (
            CASE WHEN rejected IS NULL AND row_number() OVER (
                     PARTITION BY meter_id, ts, rejected IS NULL ORDER BY source, row) > 1
                 THEN 'duplicate' ELSE rejected END AS rejected)
        FROM c
        """
    )
    # Interval energies [reading unit] over [slot_start, slot_start + slots x interval).
    con.execute(
        f"""
        CREATE TEMP TABLE d_intervals AS
        WITH ok AS (
            SELECT * FROM d_classified WHERE rejected IS NULL
        ), cum AS (
            SELECT *, lag(value) OVER w AS prev_value, lag(ts) OVER w AS prev_ts,
                      lag(estimated) OVER w AS prev_estimated
            FROM ok WHERE register = 'cumulative'
            WINDOW w AS (PARTITION BY meter_id ORDER BY ts)
        ), cum_delta AS (
            SELECT meter_id, interval_s, prev_ts AS slot_start,
                   (epoch_us(ts) - epoch_us(prev_ts)) // (interval_s * 1000000) AS slots,
                   estimated OR prev_estimated AS estimated,
                   CASE
                     WHEN value >= prev_value THEN 'ok'
                     WHEN rollover IS NOT NULL AND prev_value >= (1 - {ROLLOVER_BAND}) * rollover
                          AND value <= {ROLLOVER_BAND} * rollover THEN 'rollover'
                     ELSE 'reset'
                   END AS kind,
                   CASE WHEN value >= prev_value THEN value - prev_value
                        ELSE value - prev_value + rollover END AS energy
            FROM cum WHERE prev_ts IS NOT NULL
        )
        SELECT meter_id, interval_s, ts AS slot_start, 1::BIGINT AS slots, estimated,
               'ok' AS kind, value AS energy
        FROM ok WHERE register = 'interval'
        UNION ALL
        SELECT meter_id, interval_s, slot_start, slots, estimated, kind,
               CASE WHEN kind = 'reset' THEN NULL ELSE energy END
        FROM cum_delta
        """
    )
    con.execute(
        f"""
        CREATE TEMP TABLE d_spiky AS
        WITH q AS (
            SELECT meter_id, quantile_disc(energy / slots, {SPIKE_QUANTILE}) AS p99,
                   count(*) AS positive
            FROM d_intervals WHERE kind <> 'reset' AND energy > 0 GROUP BY meter_id
        )
        SELECT i.* REPLACE (
                   CASE WHEN i.kind <> 'reset' AND q.positive >= {SPIKE_MIN_POSITIVE}
                             AND i.energy / i.slots > {SPIKE_FACTOR} * q.p99
                        THEN 'spike' ELSE i.kind END AS kind)
        FROM d_intervals i LEFT JOIN q USING (meter_id)
        """
    )
    con.execute(
        """
        CREATE TEMP TABLE d_hours AS
        WITH slot AS (
            SELECT meter_id, interval_s, estimated OR slots > 1 AS spread,
                   energy / slots AS energy,
                   unnest(generate_series(0, slots - 1)) AS k, slot_start
            FROM d_spiky WHERE kind IN ('ok', 'rollover')
        ), piece AS (
            SELECT meter_id, greatest(interval_s // 3600, 1) AS hours_per_slot,
                   greatest(3600 // interval_s, 1) AS slots_per_hour,
                   spread OR interval_s > 3600 AS spread,
                   energy / greatest(interval_s // 3600, 1) AS energy,
                   unnest(generate_series(0, greatest(interval_s // 3600, 1) - 1)) AS h,
                   slot_start + to_microseconds(k * interval_s * 1000000) AS start
            FROM slot
        )
        SELECT meter_id,
               date_trunc('hour', start + to_microseconds(h * 3600000000)) AS hour,
               sum(energy) * max(slots_per_hour) / count(*) AS value,
               bool_or(spread) OR count(*) < max(slots_per_hour) AS imputed
        FROM piece GROUP BY ALL
        """
    )
    con.execute(
        f"""
        CREATE TEMP TABLE hourly_repaired AS
        WITH span AS (
            SELECT meter_id, min(hour) AS lo, max(hour) AS hi FROM d_hours GROUP BY meter_id
        ), grid AS (
            SELECT meter_id, unnest(generate_series(lo, hi, INTERVAL 1 HOUR)) AS hour FROM span
        ), joined AS (
            SELECT g.meter_id, g.hour, h.value, h.imputed
            FROM grid g LEFT JOIN d_hours h USING (meter_id, hour)
        ), around AS (
            SELECT *,
              last_value(CASE WHEN value IS NOT NULL THEN epoch(hour) END IGNORE NULLS)
                  OVER before AS t0,
              last_value(value IGNORE NULLS) OVER before AS v0,
              first_value(CASE WHEN value IS NOT NULL THEN epoch(hour) END IGNORE NULLS)
                  OVER after AS t1,
              first_value(value IGNORE NULLS) OVER after AS v1
            FROM joined
            WINDOW before AS (PARTITION BY meter_id ORDER BY hour
                              ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW),
                   after AS (PARTITION BY meter_id ORDER BY hour
                             ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING)
        )
        SELECT a.meter_id, m.flow_id, m.carrier, a.hour,
               coalesce(a.value, v0 + (v1 - v0) * (epoch(a.hour) - t0) / (t1 - t0))
                   * m.factor AS value,
               a.value IS NULL OR a.imputed AS imputed
        FROM around a JOIN meters m USING (meter_id)
        WHERE a.hour >= {start} AND a.hour < {end}
        """
    )
    return _counts(con, bounds)


def _counts(con: duckdb.DuckDBPyConnection, bounds: PeriodBounds) -> pd.DataFrame:
    """Per dirty meter: what was read, rejected (by rule), repaired and imputed."""
    return con.execute(
        """
        WITH r AS (
            SELECT meter_id, count(*) AS readings,
              count(*) FILTER (WHERE rejected IS NULL) AS accepted,
              count(*) FILTER (WHERE rejected = 'empty') AS empty,
              count(*) FILTER (WHERE rejected = 'flagged') AS flagged,
              count(*) FILTER (WHERE estimated AND rejected IS NULL) AS estimated,
              count(*) FILTER (WHERE rejected = 'outside_period') AS outside_period,
              count(*) FILTER (WHERE rejected = 'misaligned') AS misaligned,
              count(*) FILTER (WHERE rejected = 'dst_nonexistent') AS dst_nonexistent,
              count(*) FILTER (WHERE dst = 'ambiguous') AS dst_ambiguous,
              count(*) FILTER (WHERE rejected = 'duplicate') AS duplicates,
              count(*) FILTER (WHERE rejected = 'negative') AS negatives
            FROM d_classified GROUP BY meter_id
        ), g AS (
            SELECT meter_id, count(*) FILTER (WHERE step > interval_s) AS gap_runs
            FROM (
                SELECT meter_id, interval_s,
                       epoch(ts) - epoch(lag(ts) OVER (PARTITION BY meter_id ORDER BY ts)) AS step
                FROM d_classified
                WHERE rejected IS NULL OR rejected IN ('empty', 'flagged', 'negative')
            ) GROUP BY meter_id
        ), i AS (
            SELECT meter_id,
              count(*) FILTER (WHERE kind = 'spike') AS spikes,
              count(*) FILTER (WHERE kind = 'reset') AS resets,
              count(*) FILTER (WHERE kind = 'rollover') AS rollovers
            FROM d_spiky GROUP BY meter_id
        ), h AS (
            SELECT meter_id, count(*) FILTER (WHERE NOT imputed) AS hours_measured,
                   count(*) FILTER (WHERE imputed) AS hours_imputed
            FROM hourly_repaired GROUP BY meter_id
        )
        SELECT d.meter_id, r.* EXCLUDE (meter_id), i.* EXCLUDE (meter_id),
               h.* EXCLUDE (meter_id), g.gap_runs
        FROM dirty d LEFT JOIN r USING (meter_id) LEFT JOIN i USING (meter_id)
             LEFT JOIN g USING (meter_id)
             LEFT JOIN h USING (meter_id)
        """
    ).df()
