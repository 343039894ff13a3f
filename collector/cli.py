"""``mutuparc collect``."""

from __future__ import annotations

import sys
from pathlib import Path


def run(*, config: Path | None) -> int:
    print("Network collection (SNMP/SSH) is not available in this version.", file=sys.stderr)
    return 2
