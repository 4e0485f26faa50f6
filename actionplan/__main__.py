"""``python -m actionplan``: the same command as ``actionplan``."""

import sys

from actionplan.cli import main

sys.exit(main())
