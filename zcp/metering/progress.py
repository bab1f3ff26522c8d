"""A progress display for long loads: on stderr, and only when stderr is a terminal."""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Iterator


class Steps:
    """Named steps of a load; ``advance(label)`` closes the current step (its wall time
    goes to ``timings``) and names the next. The display is a no-op when disabled."""

    def __init__(self, progress, task, first: str):
        self._progress, self._task = progress, task
        self._label, self._since = first, time.perf_counter()
        self.timings: dict[str, float] = {}

    def advance(self, label: str) -> None:
        now = time.perf_counter()
        self.timings[self._label] = now - self._since
        self._label, self._since = label, now
        if self._progress is not None:
            self._progress.update(self._task, advance=1, description=label)


@contextlib.contextmanager
def steps(total: int, enabled: bool | None = None) -> Iterator[Steps]:
    """``enabled=None`` means: show it when stderr is a TTY (so ``--json`` stays clean)."""
    if enabled is None:
        enabled = sys.stderr.isatty()
    first = "opening files"
    if not enabled:
        yield Steps(None, None, first)
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("readings: {task.description}"),
        BarColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as progress:
        yield Steps(progress, progress.add_task(first, total=total), first)
