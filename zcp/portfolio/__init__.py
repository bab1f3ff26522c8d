"""Many parks at once: batch assessment on Dask, the portfolio table, claims across parks.

Typical use::

    from zcp.portfolio import BatchOptions, run_batch, manifest_sources

    summary = run_batch(manifest_sources("pf/manifest.yaml"), "out/pf", jobs=2)
    summary.conflicts   # the same certificate or credit claimed in two parks

Modules: :mod:`.sources` (paths and fsspec URLs), :mod:`.park_run` (one park → rows),
:mod:`.table` (the Parquet dataset), :mod:`.claims` (claims table, cross-park double
claims), :mod:`.batch` (the Dask run), :mod:`.manifest`, :mod:`.query` (DuckDB views),
:mod:`.report` (the portfolio report).
"""

from zcp.portfolio.batch import BatchSummary, run_batch
from zcp.portfolio.manifest import manifest_sources
from zcp.portfolio.park_run import BatchOptions, run_park

__all__ = ["BatchOptions", "BatchSummary", "manifest_sources", "run_batch", "run_park"]
