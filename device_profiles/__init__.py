"""Device knowledge as data: SNMP profiles (YAML, one per device family) and their recordings.

A profile says how to recognise a device (sysObjectID prefixes, sysDescr) and which OIDs and
tables become which inventory fields; ``schema.json`` is the contract every profile obeys.
Adding a model is one YAML file and one ``.snmprec`` recording beside it: the contract tests
pick both up.
"""

from pathlib import Path

ROOT = Path(__file__).parent
SNMP = ROOT / "snmp"
SCHEMA = ROOT / "schema.json"
MODELS = ROOT / "models.yaml"  # end of sale / end of support of known hardware models
