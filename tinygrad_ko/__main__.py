"""``python -m tinygrad_ko`` runs the command line (the tour by default)."""

import sys

from .cli import main

sys.exit(main())
