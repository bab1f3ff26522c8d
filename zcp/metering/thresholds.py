"""The rules applied to readings, as named constants (documented in :mod:`zcp.metering`).

Kept in one place so the docstring, the SQL and the tests agree on the same numbers.
"""

from __future__ import annotations

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
#: Per-bus balance tolerance: |in x (1 - loss) - out| <= tolerance x in, per period and hour.
BALANCE_TOLERANCE_PERIOD = 0.02
BALANCE_TOLERANCE_HOUR = 0.05
