"""The inventory sections Mutuparc understands, as data: GLPI JSON key <-> record key, with units.

A *record* is a plain dict whose keys are the ``key`` of each field below; it always holds every
key (``None`` when absent), so that records of one section can be inserted in one batch. The
server stores one table per section with these column names; the agent builds records and turns
them into GLPI JSON with ``Section.build``.

Sections GLPI defines that are not listed here (processes, envs, controllers, ...) are accepted
on the wire and ignored.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .fields import (
    BOOL,
    DATE,
    DATETIME,
    FLOAT,
    INT,
    INT_AS_TEXT,
    LIST,
    MAC,
    MB_AS_BYTES,
    MIB_AS_BYTES,
    TEXT,
    Kind,
)

Record = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Field:
    key: str
    glpi: str
    kind: Kind = TEXT


@dataclass(frozen=True, slots=True)
class Section:
    """One GLPI inventory section: ``many`` sections are lists of records, the others one record."""

    name: str
    many: bool
    fields: tuple[Field, ...]
    required: tuple[str, ...] = ()  # record keys without which an item is meaningless

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(f.key for f in self.fields)

    def parse_item(self, raw: Any) -> Record | None:
        if not isinstance(raw, Mapping):
            return None
        get = raw.get
        record = {f.key: None if (value := get(f.glpi)) is None else f.kind.parse(value) for f in self.fields}
        if any(record[k] is None for k in self.required):
            return None
        return record

    def parse(self, raw: Any) -> Record | list[Record] | None:
        """Records from the GLPI JSON of this section; malformed items are skipped."""
        if not self.many:
            return self.parse_item(raw)
        if isinstance(raw, Mapping):  # a one-item list sent as an object
            raw = [raw]
        if not isinstance(raw, list):
            return []
        return [r for r in map(self.parse_item, raw) if r is not None]

    def build_item(self, record: Mapping[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in self.fields:
            value = record.get(f.key)
            if value is not None and value != "":
                out[f.glpi] = f.kind.build(value)
        return out

    def build(self, records: Any) -> Any:
        """GLPI JSON for this section from records (used by agents and collectors)."""
        if self.many:
            return [self.build_item(r) for r in records]
        return self.build_item(records)


def _section(name: str, many: bool, *fields: tuple, required: tuple[str, ...] = ()) -> Section:
    built = tuple(Field(key, glpi, kind) for key, glpi, kind in (f if len(f) == 3 else (*f, TEXT) for f in fields))
    return Section(name, many, built, required)


HARDWARE = _section(
    "hardware",
    False,
    ("name", "name"),
    ("uuid", "uuid"),
    ("chassis_type", "chassis_type"),
    ("vm_system", "vmsystem"),
    ("memory_mb", "memory", INT),
    ("swap_mb", "swap", INT),
    ("workgroup", "workgroup"),
    ("last_logged_user", "lastloggeduser"),
    ("default_gateway", "defaultgateway"),
    ("dns", "dns"),
    ("description", "description"),
)
BIOS = _section(
    "bios",
    False,
    ("system_manufacturer", "smanufacturer"),
    ("system_model", "smodel"),
    ("system_serial", "ssn"),
    ("bios_manufacturer", "bmanufacturer"),
    ("bios_version", "bversion"),
    ("bios_date", "bdate", DATE),
    ("board_manufacturer", "mmanufacturer"),
    ("board_model", "mmodel"),
    ("board_serial", "msn"),
    ("asset_tag", "assettag"),
    ("sku", "skunumber"),
    ("enclosure_serial", "enclosureserial"),
)
OPERATING_SYSTEM = _section(
    "operatingsystem",
    False,
    ("name", "name"),
    ("full_name", "full_name"),
    ("version", "version"),
    ("arch", "arch"),
    ("kernel_name", "kernel_name"),
    ("kernel_version", "kernel_version"),
    ("service_pack", "service_pack"),
    ("install_date", "install_date", DATETIME),
    ("boot_time", "boot_time", DATETIME),
    ("fqdn", "fqdn"),
    ("dns_domain", "dns_domain"),
)
CPUS = _section(
    "cpus",
    True,
    ("name", "name"),
    ("manufacturer", "manufacturer"),
    ("cores", "core", INT),
    ("threads", "thread", INT),
    ("speed_mhz", "speed", INT),
    ("arch", "arch"),
    ("model", "model"),
    ("family", "familyname"),
    ("serial", "serial"),
)
MEMORIES = _section(
    "memories",
    True,
    ("capacity_mb", "capacity", INT),
    ("type", "type"),
    ("speed", "speed"),
    ("serial", "serialnumber"),
    ("manufacturer", "manufacturer"),
    ("model", "model"),
    ("slot", "numslots", INT),
    ("form_factor", "formfactor"),
    ("caption", "caption"),
    ("description", "description"),
)
STORAGES = _section(
    "storages",
    True,
    ("name", "name"),
    ("model", "model"),
    ("manufacturer", "manufacturer"),
    ("serial", "serial"),
    ("size_bytes", "disksize", MB_AS_BYTES),
    ("interface", "interface"),
    ("media_type", "type"),
    ("firmware", "firmware"),
    ("description", "description"),
    ("wwn", "wwn"),
    # Mutuparc extensions (NAS disks read by collectors): health as the device words it, and heat.
    ("status", "mutuparc_status"),
    ("temperature_c", "mutuparc_temperature", INT),
)
DRIVES = _section(
    "drives",
    True,
    ("letter", "letter"),
    ("mount", "type"),
    ("device", "volumn"),
    ("label", "label"),
    ("filesystem", "filesystem"),
    ("total_bytes", "total", MIB_AS_BYTES),
    ("free_bytes", "free", MIB_AS_BYTES),
    ("serial", "serial"),
    ("system_drive", "systemdrive", BOOL),
    ("encryption", "encrypt_status"),
)
NETWORKS = _section(
    "networks",
    True,
    ("name", "description"),
    ("mac", "mac", MAC),
    ("ipv4", "ipaddress"),
    ("ipv4_mask", "ipmask"),
    ("ipv6", "ipaddress6"),
    ("gateway", "ipgateway"),
    ("dhcp_server", "ipdhcp"),
    ("speed_mbps", "speed", INT_AS_TEXT),
    ("status", "status"),
    ("type", "type"),
    ("virtual", "virtualdev", BOOL),
    ("driver", "driver"),
    ("model", "model"),
    ("manufacturer", "manufacturer"),
    ("mtu", "mtu", INT),
    ("pci_id", "pciid"),
    required=("name",),
)
SOFTWARES = _section(
    "softwares",
    True,
    ("name", "name"),
    ("version", "version"),
    ("publisher", "publisher"),
    ("install_date", "install_date", DATE),
    ("arch", "arch"),
    ("origin", "from"),
    ("guid", "guid"),
    ("category", "system_category"),
    ("size_bytes", "filesize", INT),
    ("username", "username"),
    required=("name",),
)
BATTERIES = _section(
    "batteries",
    True,
    ("name", "name"),
    ("manufacturer", "manufacturer"),
    ("serial", "serial"),
    ("chemistry", "chemistry"),
    ("capacity_mwh", "capacity", INT),
    ("real_capacity_mwh", "real_capacity", INT),
    ("voltage_mv", "voltage", INT),
    ("manufacture_date", "date", DATE),
)
VIRTUAL_MACHINES = _section(
    "virtualmachines",
    True,
    ("name", "name"),
    ("uuid", "uuid"),
    ("vmtype", "vmtype"),
    ("subsystem", "subsystem"),
    ("status", "status"),
    ("memory_mb", "memory", INT),
    ("vcpu", "vcpu", INT),
    ("mac", "mac"),
    ("owner", "owner"),
    ("comment", "comment"),
    ("serial", "serial"),
    ("image", "image"),
    # Mutuparc's, from hypervisor collectors: they map a guest to its member (VM and storage keys)
    ("tags", "tags", LIST),
    ("disk_bytes", "disk_size", INT),
    required=("name",),
)
MONITORS = _section(
    "monitors",
    True,
    ("name", "name"),
    ("manufacturer", "manufacturer"),
    ("serial", "serial"),
    ("caption", "caption"),
    ("description", "description"),
    ("type", "type"),
    ("port", "port"),
)
FIRMWARES = _section(
    "firmwares",
    True,
    ("name", "name"),
    ("type", "type"),
    ("version", "version"),
    ("manufacturer", "manufacturer"),
    ("release_date", "date", DATE),
    ("description", "description"),
)
NETWORK_DEVICE = _section(
    "network_device",
    False,
    ("type", "type"),
    ("name", "name"),
    ("manufacturer", "manufacturer"),
    ("model", "model"),
    ("serial", "serial"),
    ("firmware", "firmware"),
    ("mac", "mac", MAC),
    ("ips", "ips", LIST),
    ("location", "location"),
    ("contact", "contact"),
    ("uptime", "uptime"),
    ("ram_mb", "ram", INT),
    ("memory_mb", "memory", INT),
    ("cpu_percent", "cpu", INT),
    ("asset_tag", "assettag"),
    ("description", "description"),
    # Mutuparc extensions (collectors): GLPI ignores unknown keys of this object.
    ("asset_type", "mutuparc_type"),
    ("os_name", "mutuparc_os"),
    ("ha_state", "mutuparc_ha_state"),
    ("licence_expiry", "mutuparc_licence_expiry", DATE),
)
NETWORK_PORTS = _section(
    "network_ports",
    True,
    ("ifnumber", "ifnumber", INT),
    ("name", "ifname"),
    ("descr", "ifdescr"),
    ("alias", "ifalias"),
    ("iftype", "iftype", INT),
    ("speed_bps", "ifspeed", INT),
    ("mac", "mac", MAC),
    ("oper_status", "ifstatus", INT),
    ("internal_status", "ifinternalstatus", INT),
    ("mtu", "ifmtu", INT),
    ("duplex", "ifportduplex", INT),
    ("ips", "ips", LIST),
    ("vlans", "vlans", LIST),
    ("connections", "connections", LIST),
    ("aggregate", "aggregate", LIST),
    ("trunk", "trunk", BOOL),
    ("lldp", "lldp", BOOL),
)
NETWORK_COMPONENTS = _section(
    "network_components",
    True,
    ("index", "index", INT),
    ("contained_index", "contained_index", INT),
    ("name", "name"),
    ("description", "description"),
    ("type", "type"),
    ("model", "model"),
    ("serial", "serial"),
    ("firmware", "firmware"),
    ("manufacturer", "manufacturer"),
    ("fru", "fru", INT),
    ("stack_number", "stack_number", INT),
    ("mac", "mac", MAC),
    ("ip", "ip"),
)
USERS = _section("users", True, ("login", "login"), ("domain", "domain"), required=("login",))
# Mutuparc extension: gauges a collector read (UPS charge, NAS volume used bytes...), kept as time series.
METRICS = _section(
    "mutuparc_metrics",
    True,
    ("name", "name"),
    ("value", "value", FLOAT),
    ("unit", "unit"),
    ("instance", "instance"),
    required=("name", "value"),
)

SECTIONS: dict[str, Section] = {
    s.name: s
    for s in (
        HARDWARE,
        BIOS,
        OPERATING_SYSTEM,
        CPUS,
        MEMORIES,
        STORAGES,
        DRIVES,
        NETWORKS,
        SOFTWARES,
        BATTERIES,
        VIRTUAL_MACHINES,
        MONITORS,
        FIRMWARES,
        NETWORK_DEVICE,
        NETWORK_PORTS,
        NETWORK_COMPONENTS,
        USERS,
        METRICS,
    )
}
