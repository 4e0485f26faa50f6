"""``python -m actionplan``: the same command as ``actionplan``."""

from actionplan.command import run

run()
