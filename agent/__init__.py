"""The Mutuparc workstation agent (stdlib + psutil only)."""
