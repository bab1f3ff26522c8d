from zcp.cli import run

run()
