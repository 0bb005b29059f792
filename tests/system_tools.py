"""Which system programs this machine has, and the skip markers for tests that need them.

`make test` installs them where it can (scripts/system_packages.sh); without
them these tests skip and say what is missing, and everything else runs.
"""

import shutil

import pytest

from chromium_driver import find_chromium

HAS_GRAPHVIZ = shutil.which("dot") is not None and shutil.which("neato") is not None
CHROMIUM = find_chromium()

GRAPHVIZ_REASON = "Graphviz (dot, neato) is not installed: sudo apt-get install graphviz (make test does it as root)"
CHROMIUM_REASON = "Chromium is not installed: sudo apt-get install chromium (make test does it as root)"

needs_graphviz = pytest.mark.skipif(not HAS_GRAPHVIZ, reason=GRAPHVIZ_REASON)
needs_chromium = pytest.mark.skipif(CHROMIUM is None or not HAS_GRAPHVIZ,
                                    reason=CHROMIUM_REASON if CHROMIUM is None else GRAPHVIZ_REASON)
