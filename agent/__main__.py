"""``python -m agent`` / ``mutuparc-agent``: the lean entry point (no Typer, nothing but the agent)."""

import sys

from agent.cli import main

if __name__ == "__main__":
    sys.exit(main())
