"""Component tables, one per inventory section, generated from ``wire.sections``.

The columns are the section's record keys, so a parsed inventory is inserted as it is, and a
new field in the wire format is one line there plus a migration. Each row belongs to an asset
and remembers which source reported it.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
)
from sqlalchemy.types import TypeEngine
from sqlmodel import SQLModel

from wire import fields
from wire.sections import SECTIONS, Section

# GLPI section -> table name: every section of ``wire.sections`` but the collectors' gauges
# (``mutuparc_metrics``, kept as time series in ``asset_metric``). Document sections get a table
# ``doc_<section>`` with one JSON column.
TABLE_NAMES = {
    "hardware": "computer_info",
    "bios": "bios",
    "operatingsystem": "operating_system",
    "cpus": "cpu",
    "memories": "memory_module",
    "storages": "disk",
    "drives": "volume",
    "networks": "network_interface",
    "softwares": "software",
    "batteries": "battery",
    "virtualmachines": "virtual_machine",
    "monitors": "monitor",
    "firmwares": "firmware",
    "network_device": "network_device",
    "network_ports": "network_port",
    "network_components": "network_component",
    "users": "logged_in_user",
    "pagecounters": "printer_counters",
    "cartridges": "printer_cartridge",
    "consumables": "printer_consumable",
    "printers": "computer_printer",
    "antivirus": "antivirus",
    "firewalls": "firewall",
    "licenseinfos": "licence_info",
    "local_users": "local_user",
    "local_groups": "local_group",
    "remote_mgmt": "remote_management",
    "databases_services": "database_service",
    "simcards": "sim_card",
    "physical_volumes": "lvm_physical_volume",
    "volume_groups": "lvm_volume_group",
    "logical_volumes": "lvm_logical_volume",
} | {name: f"doc_{name}" for name, section in SECTIONS.items() if section.document}
# Columns searched by reconciliation and reports.
_INDEXED = {"network_interface": ("mac",), "software": ("name",), "network_port": ("mac",)}

_COLUMN_TYPES: dict[str, type[TypeEngine] | TypeEngine] = {
    fields.TEXT.name: String(),
    fields.INT.name: BigInteger(),
    fields.INT_AS_TEXT.name: BigInteger(),
    fields.MIB_AS_BYTES.name: BigInteger(),
    fields.MB_AS_BYTES.name: BigInteger(),
    fields.BOOL.name: Boolean(),
    fields.DATE.name: Date(),
    fields.DATETIME.name: DateTime(),
    fields.MAC.name: String(17),
    # An absent value is SQL NULL, not the JSON text 'null': most rows have no ``extra``, and
    # serialising None for each of them was a measurable part of storing an inventory.
    fields.LIST.name: JSON(none_as_null=True),
    fields.OBJECT.name: JSON(none_as_null=True),
}


def _table(section: Section, name: str) -> Table:
    columns = [
        Column("id", Integer, primary_key=True),
        Column(
            "asset_id",
            Integer,
            ForeignKey("asset.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
            unique=not section.many,
        ),
        Column("source_id", Integer, ForeignKey("inventory_source.id", ondelete="SET NULL"), nullable=True),
    ]
    columns += [Column(f.key, _COLUMN_TYPES[f.kind.name], nullable=True) for f in section.fields]
    table = Table(name, SQLModel.metadata, *columns)
    for column in _INDEXED.get(name, ()):
        Index(f"ix_{name}_{column}", table.c[column])
    return table


COMPONENT_TABLES: dict[str, Table] = {section: _table(SECTIONS[section], name) for section, name in TABLE_NAMES.items()}
