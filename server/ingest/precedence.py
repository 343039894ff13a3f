"""Which source's report an asset shows, section by section, when several sources report it.

A PC may run GLPI Agent, FusionInventory and Mutuparc's agent; a switch is read by SNMP and
SSH; a NAS by SNMP and its own agent. Each source's last report of each section is kept (the
component tables show the *effective* one, the others wait in ``source_section``), and the
effective source of a section is chosen by, in order:

1. **freshness**: a source seen within ``MUTUPARC_STALE_DAYS`` beats one that stopped reporting;
2. **kind**: for what a machine says of itself (hardware, OS, software, disks...) its own agent
   beats a collector; for what only the network view gives (``network_device``, ports, network
   components, device firmware) a collector beats an agent; both beat an import;
3. **arrival**: on a tie, a source's first report takes over (the new agent of a reinstalled
   PC, an agent the DSIT just deployed); after that the shown source stays. So the newest source
   wins once and then keeps the section: two agents running on one PC never take turns, no
   value flips from one run to the next.

Identity fields (name, maker, model, serial, UUID, type) follow the source shown for the section
that carries them; a value a source does not report is never erased by it; a field a person set
(``asset.manual_fields``) is left alone until released.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from server.assets.vocab import AssetSource

# What only the network view of a device gives.
NETWORK_SECTIONS = frozenset({"network_device", "network_ports", "network_components", "firmwares"})
_MACHINE_ORDER = {AssetSource.AGENT: 3, AssetSource.COLLECTOR: 2, AssetSource.IMPORT: 1, AssetSource.MANUAL: 0}
_NETWORK_ORDER = {AssetSource.COLLECTOR: 3, AssetSource.AGENT: 2, AssetSource.IMPORT: 1, AssetSource.MANUAL: 0}
# The section whose source an identity field follows (see identity_section).
IDENTITY_SECTIONS = {"name": "hardware", "uuid": "hardware", "manufacturer": "bios", "model": "bios",
                     "serial": "bios", "asset_type": "hardware"}  # fmt: skip


def kind_rank(kind: str, section: str) -> int:
    order = _NETWORK_ORDER if section in NETWORK_SECTIONS else _MACHINE_ORDER
    return order.get(AssetSource(kind), 0)


def outranks(challenger: Mapping[str, Any], incumbent: Mapping[str, Any] | None, section: str,
             fresh_after: dt.datetime) -> bool:  # fmt: skip
    """Whether ``challenger`` (a source row) takes ``section`` over from ``incumbent`` (None: none
    shown, or a source no longer on this asset)."""
    if incumbent is None:
        return True

    def rank(source: Mapping[str, Any]) -> tuple[bool, int]:
        seen = source["last_seen"]
        return (seen is not None and seen >= fresh_after, kind_rank(source["kind"], section))

    if rank(challenger) != rank(incumbent):
        return rank(challenger) > rank(incumbent)
    return challenger["inventory_count"] == 0  # its first report


def identity_section(field: str, *, shown: Mapping[str, Any]) -> str:
    """The section whose source sets an identity field: what the machine says of itself when
    some source reports it (an agent), else the network view (a collector)."""
    machine = IDENTITY_SECTIONS[field]
    return machine if machine in shown or "network_device" not in shown else "network_device"
