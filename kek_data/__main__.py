"""``python -m kek_data``: see :mod:`kek_data.cli`."""

import sys

from kek_data.cli import main

sys.exit(main())
