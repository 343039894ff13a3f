"""Build Mutuparc's end-of-life catalogue from endoflife.date product files.

Reads the YAML front matter of the vendored ``vendor/endoflife/products/*.md`` (MIT,
endoflife.date contributors, see ``vendor/README.md``) and writes ``server/renewal/data/eol.json``,
the file the product ships and reads at run time. ``mutuparc eol update FILE`` loads a
newer file of the same shape into a running installation.

    python scripts/build_eol_catalogue.py [SOURCE_DIR] [OUTPUT]
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

import yaml

PROJECT = Path(__file__).resolve().parents[1]
SOURCE = PROJECT / "vendor" / "endoflife" / "products"
OUTPUT = PROJECT / "server" / "renewal" / "data" / "eol.json"
DATES = ("releaseDate", "eoas", "eol", "eoes", "discontinued", "latestReleaseDate")


def _value(value: Any) -> Any:
    """Dates as ISO text; true/false kept (true: ended, date unknown; false: not announced)."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool) or value is None:
        return value
    return str(value)


def product(path: Path) -> dict[str, Any]:
    text = path.read_text("utf-8")
    front = text.split("---", 2)[1]
    data = yaml.safe_load(front)
    cycles = []
    for release in data.get("releases", []):
        cycle = {"cycle": str(release["releaseCycle"]), "label": release.get("releaseLabel")}
        for key in DATES:
            if key in release:
                cycle[key] = _value(release[key])
        for key in ("lts", "latest", "codename"):
            if key in release:
                cycle[key] = _value(release[key])
        cycles.append({k: v for k, v in cycle.items() if v is not None})
    return {"title": data.get("title", path.stem), "category": data.get("category"), "cycles": cycles}


def main() -> int:
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else SOURCE
    output = Path(sys.argv[2]) if len(sys.argv) > 2 else OUTPUT
    products = {path.stem: product(path) for path in sorted(source.glob("*.md"))}
    catalogue = {
        "source": "endoflife.date (MIT, endoflife.date contributors)",
        "built": dt.date.today().isoformat(),
        "products": products,
    }
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(catalogue, ensure_ascii=False, indent=1, sort_keys=True) + "\n", "utf-8")
    cycles = sum(len(p["cycles"]) for p in products.values())
    print(f"{len(products)} products, {cycles} release cycles -> {output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
