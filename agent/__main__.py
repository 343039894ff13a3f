"""``python -m agent`` / ``mutuparc-agent``: the lean entry point (no Typer, nothing but the agent)."""

from agent.cli import entry

if __name__ == "__main__":
    entry()
