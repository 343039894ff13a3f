"""The inventory wire format shared by the agent, the collectors and the server (stdlib only).

- ``sections``: the sections Mutuparc understands, GLPI JSON <-> records, with units;
- ``glpi_json`` / ``legacy_xml``: messages of the GLPI JSON and FusionInventory XML protocols;
- ``compression``: zlib/gzip bodies, bounded decompression;
- ``protocol``: the server's answers;
- ``identity``: serials, UUIDs and MACs that identify a machine, and the junk ones that do not;
- ``chassis``: reported chassis / device types -> Mutuparc asset types.
"""

from .errors import BadEncoding, BadSyntax, PayloadTooLarge, SchemaViolation, UnsupportedMessage, WireError
from .model import Contact, Inventory, Message, Prolog

__all__ = [
    "BadEncoding",
    "BadSyntax",
    "Contact",
    "Inventory",
    "Message",
    "PayloadTooLarge",
    "Prolog",
    "SchemaViolation",
    "UnsupportedMessage",
    "WireError",
]
