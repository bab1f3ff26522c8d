"""The ``zcp`` command line: thin wrappers that parse arguments, call the library and print.

Each command group lives in its own module and registers itself on ``main`` below. User
errors (``ZcpError``) become one clear message on stderr and exit code 2; exit 1 means the
command ran and found failures.
"""

from __future__ import annotations

import gc
import sys

import click

from zcp import __version__
from zcp.errors import ZcpError


class _ZcpGroup(click.Group):
    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except ZcpError as exc:
            for problem in exc.problems:
                click.echo(f"error: {problem}", err=True)
            sys.exit(exc.exit_code)
        finally:
            gc.unfreeze()  # a command run in-process (tests, notebooks) leaves no trace


@click.group(cls=_ZcpGroup)
@click.version_option(__version__, prog_name="zcp")
def main() -> None:
    """zcp — assess zero-carbon industrial parks and factories against machine-readable standards."""


def run() -> None:
    """The ``zcp`` program (console script and ``python -m zcp``): :func:`main` run as a
    whole process. When the command ends everything still alive is frozen, so the
    interpreter's last garbage collection at exit does not walk the whole heap once more
    only to free it anyway (0.5–1 s after a ``zcp verify`` of the operating example)."""
    try:
        main()
    finally:
        gc.freeze()


def imports_done() -> None:
    """Put everything made so far — modules, classes, tables read at import — out of the
    cyclic garbage collector's reach. It all lives as long as the process, yet every full
    collection walked it again: ~1 s of CPU in a 10 s ``zcp assess`` of the operating
    example. Commands that run long call this once their imports are done; the objects
    go back under the collector when the command ends."""
    gc.freeze()


def _register() -> None:
    # Imported here so each command module can import ``main`` without a cycle.
    from zcp.cli import (
        ledger_commands,  # noqa: F401
        metering_commands,  # noqa: F401
        park_commands,  # noqa: F401
        plan_commands,  # noqa: F401
        portfolio_commands,  # noqa: F401
        product_commands,  # noqa: F401
        report_commands,  # noqa: F401
        rules_commands,  # noqa: F401
        template_commands,  # noqa: F401
    )


_register()
