"""A progress display for long loads: on stderr, and only when stderr is a terminal."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator


class Steps:
    """Named steps of a load; ``advance(label)`` moves on. A no-op when disabled."""

    def __init__(self, progress, task):
        self._progress, self._task = progress, task

    def advance(self, label: str) -> None:
        if self._progress is not None:
            self._progress.update(self._task, advance=1, description=label)


@contextlib.contextmanager
def steps(total: int, enabled: bool | None = None) -> Iterator[Steps]:
    """``enabled=None`` means: show it when stderr is a TTY (so ``--json`` stays clean)."""
    if enabled is None:
        enabled = sys.stderr.isatty()
    if not enabled:
        yield Steps(None, None)
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
        yield Steps(progress, progress.add_task("opening files", total=total))
