"""The inventory sections Mutuparc understands, as data: GLPI JSON key <-> record key, with units.

A *record* is a plain dict whose keys are the ``key`` of each field below; it always holds every
key (``None`` when absent), so that records of one section can be inserted in one batch. The
server stores one table per section with these column names; the agent builds records and turns
them into GLPI JSON with ``Section.build``.

Every section of the GLPI inventory schema is listed: those a DSIT queries or that feed keys and
reports field by field (``_section``), the others as *documents* (``_document``: each item kept as
the JSON it came in, bounded and cleaned), so that nothing an agent sends is dropped.
"""

from __future__ import annotations

from collections.abc import Mapping

from ._lazy import FrozenValue
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
    OBJECT,
    TEXT,
    Kind,
    _same,
    json_object,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

Record = dict[str, "Any"]
_set = object.__setattr__
EXTRA = "extra"


class Field(FrozenValue):
    __slots__ = ("glpi", "key", "kind")
    _fields = ("key", "glpi", "kind")
    key: str
    glpi: str
    kind: Kind

    def __init__(self, key: str, glpi: str, kind: Kind = TEXT) -> None:
        _set(self, "key", key)  # a few hundred fields are built at import: no keyword dict for each
        _set(self, "glpi", glpi)
        _set(self, "kind", kind)


class Section(FrozenValue):
    """One GLPI inventory section: ``many`` sections are lists of records, the others one record.

    ``required``: record keys without which an item is meaningless; ``document``: one ``content``
    field holding the item's JSON as sent; ``reshape`` turns the items as agents really send them
    into the schema's shape before parsing, and ``unshape`` back when building (cartridges:
    ``{"tonerblack": "71"}`` is ``{"name": ..., "value": ...}``); ``known``: the GLPI keys the
    fields read."""

    __slots__ = ("_plan", "document", "fields", "known", "many", "name", "required", "reshape", "unshape")
    _fields = ("name", "many", "fields", "required", "document", "reshape", "unshape", "known")
    name: str
    many: bool
    fields: tuple[Field, ...]
    required: tuple[str, ...]
    document: bool
    reshape: Callable[[Any], Any] | None
    unshape: Callable[[list[dict[str, Any]]], Any] | None
    known: frozenset[str]

    def __init__(
        self,
        name: str,
        many: bool,
        fields: tuple[Field, ...],
        required: tuple[str, ...] = (),
        document: bool = False,
        reshape: Callable[[Any], Any] | None = None,
        unshape: Callable[[list[dict[str, Any]]], Any] | None = None,
        known: frozenset[str] = frozenset(),
    ) -> None:
        self._set(name=name, many=many, fields=fields, required=required, document=document, reshape=reshape,
                  unshape=unshape, known=known)  # fmt: skip
        # build_item's work list: (record key, GLPI key, converter or None when the value is sent as is)
        plan = tuple((f.key, f.glpi, None if f.kind.build is _same else f.kind.build) for f in fields if f.key != EXTRA)
        object.__setattr__(self, "_plan", plan)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(f.key for f in self.fields)

    def parse_item(self, raw: Any) -> Record | None:
        if not isinstance(raw, Mapping):
            return None
        if self.document:
            content = json_object(raw)
            return {"content": content} if content else None
        get = raw.get
        record = {f.key: None if (value := get(f.glpi)) is None else f.kind.parse(value) for f in self.fields}
        if any(record[k] is None for k in self.required):
            return None
        if len(raw) > len(self.known) or not self.known.issuperset(raw):  # keys no column holds: kept too
            record[EXTRA] = json_object({k: v for k, v in raw.items() if k not in self.known}) or None
        return record

    def parse(self, raw: Any) -> Record | list[Record] | None:
        """Records from the GLPI JSON of this section; malformed items are skipped."""
        if not self.many:
            return self.parse_item(raw)
        if isinstance(raw, Mapping):  # a one-item list sent as an object
            raw = [raw]
        if not isinstance(raw, list):
            return []
        if self.reshape is not None:
            raw = self.reshape(raw)
        return [r for r in map(self.parse_item, raw) if r is not None]

    def build_item(self, record: Mapping[str, Any]) -> dict[str, Any]:
        if self.document:
            return dict(record.get("content") or {})
        get = record.get
        out: dict[str, Any] = {glpi: value if build is None else build(value) for key, glpi, build in self._plan
                               if (value := get(key)) is not None and value != ""}  # fmt: skip
        extra = get(EXTRA)
        return {**extra, **out} if extra else out

    def build(self, records: Any) -> Any:
        """GLPI JSON for this section from records (used by agents and collectors)."""
        if self.many:
            built = [self.build_item(r) for r in records]
            return self.unshape(built) if self.unshape is not None else built
        return self.build_item(records)


def _section(
    name: str,
    many: bool,
    *fields: tuple,
    required: tuple[str, ...] = (),
    reshape: Callable[[Any], Any] | None = None,
    unshape: Callable[[list[dict[str, Any]]], Any] | None = None,
) -> Section:
    built = tuple(Field(key, glpi, kind) for key, glpi, kind in (f if len(f) == 3 else (*f, TEXT) for f in fields))
    # The last column, ``extra``, holds the keys of an item that no field names (an agent's newer
    # or own keys): nothing sent is dropped, and building the item gives them back.
    return Section(name, many, (*built, Field(EXTRA, "*", OBJECT)), required, reshape=reshape, unshape=unshape,
                   known=frozenset(f.glpi for f in built))  # fmt: skip


def _document(name: str, many: bool = True) -> Section:
    return Section(name, many, (Field("content", "*", OBJECT),), document=True)


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
    ("last_logged_user_at", "datelastloggeduser"),  # as the agent words it ("Tue Jun 1 09:12")
    ("type", "type"),
    ("windows_product_id", "winprodid"),
    ("windows_product_key", "winprodkey"),
    ("windows_owner", "winowner"),
    ("windows_company", "wincompany"),
    ("windows_language", "winlang"),
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
    ("bios_serial", "biosserial"),
    ("secure_boot", "secure_boot"),  # enabled | disabled | unsupported
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
    ("host_id", "hostid"),
    ("ssh_key", "ssh_key"),
    ("timezone", "timezone", OBJECT),  # {"name": "CET", "offset": "+0100"}
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
    ("family_number", "familynumber"),
    ("stepping", "stepping", INT),
    ("cpu_id", "id"),
    ("core_count", "corecount", INT),
    ("external_clock_mhz", "external_clock", INT),
    ("cache", "cache"),
    ("description", "description"),
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
    ("error_correction", "memorycorrection"),
    ("purpose", "purpose"),
    ("removable", "removable", BOOL),
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
    ("scsi_controller", "scsi_coid"),
    ("scsi_channel", "scsi_chid"),
    ("scsi_unit", "scsi_unid"),
    ("scsi_lun", "scsi_lun"),
    ("encryption_name", "encrypt_name"),
    ("encryption_algorithm", "encrypt_algo"),
    ("encryption", "encrypt_status"),
    ("encryption_type", "encrypt_type"),
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
    ("encryption_name", "encrypt_name"),
    ("encryption_algorithm", "encrypt_algo"),
    ("encryption_type", "encrypt_type"),
    ("description", "description"),
    ("created", "createdate"),
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
    ("ipv4_subnet", "ipsubnet"),
    ("ipv6_mask", "ipmask6"),
    ("ipv6_subnet", "ipsubnet6"),
    ("management", "management", BOOL),
    ("pnp_device_id", "pnpdeviceid"),
    ("pci_slot", "pcislot"),
    ("firmware", "firmware"),
    ("wwn", "wwn"),
    ("slaves", "slaves"),
    ("base", "base"),
    ("wifi_ssid", "wifi_ssid"),
    ("wifi_bssid", "wifi_bssid"),
    ("wifi_mode", "wifi_mode"),
    ("wifi_version", "wifi_version"),
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
    ("comments", "comments"),
    ("user_id", "userid"),
    ("folder", "folder"),
    ("uninstall_string", "uninstall_string"),
    ("url_info_about", "url_info_about"),
    ("help_link", "helplink"),
    ("no_remove", "no_remove", BOOL),
    ("release_type", "release_type"),
    ("version_major", "version_major"),
    ("version_minor", "version_minor"),
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
    ("ip_addresses", "ipaddress", LIST),
    ("operating_system", "operatingsystem", OBJECT),
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
    ("alt_serial", "altserial"),
    ("edid_base64", "base64"),
    ("edid_uuencode", "uuencode"),
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
    ("credential_id", "credentials", INT),
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
    # Counters move at every poll: kept (shown, not in history labels).
    ("in_bytes", "ifinbytes", INT),
    ("out_bytes", "ifoutbytes", INT),
    ("in_errors", "ifinerrors", INT),
    ("out_errors", "ifouterrors", INT),
    ("last_change", "iflastchange"),
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
# -- printers and copiers: what members are billed on ------------------------------------------
PAGE_COUNTERS = _section(
    "pagecounters",
    False,
    ("total", "total", INT),
    ("black", "black", INT),
    ("color", "color", INT),
    ("duplex", "duplex", INT),
    ("recto_verso", "rectoverso", INT),
    ("scanned", "scanned", INT),
    ("print_total", "printtotal", INT),
    ("print_black", "printblack", INT),
    ("print_color", "printcolor", INT),
    ("copy_total", "copytotal", INT),
    ("copy_black", "copyblack", INT),
    ("copy_color", "copycolor", INT),
    ("copy_black_a3", "copyblack_a3", INT),
    ("copy_color_a3", "copycolor_a3", INT),
    ("fax_total", "faxtotal", INT),
)


def _cartridges_by_name(raw: list[Any]) -> list[Any]:
    """GLPI Agent sends ``[{"tonerblack": "71"}]`` (one key per supply); the schema says name/value."""
    items: list[Any] = []
    for item in raw:
        if isinstance(item, Mapping) and "name" not in item:
            items += [{"name": key, "value": value} for key, value in item.items()]
        else:
            items.append(item)
    return items


def _cartridges_as_agents_send(built: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{item["name"]: item.get("value")} for item in built if "name" in item]


# A supply's level: a percentage ("71"), or a state ("OK", "LOW"...) where the device gives none.
CARTRIDGES = _section("cartridges", True, ("name", "name"), ("value", "value"), required=("name",),
                      reshape=_cartridges_by_name, unshape=_cartridges_as_agents_send)  # fmt: skip
CONSUMABLES = _section(
    "consumables",
    True,
    ("type", "type"),
    ("color", "color"),
    ("value", "value"),
    ("unit", "unit"),
    ("max", "max", INT),
    required=("type",),
)
PRINTERS = _section(  # printers a computer knows (queues), not printer assets
    "printers",
    True,
    ("name", "name"),
    ("driver", "driver"),
    ("port", "port"),
    ("network", "network", BOOL),
    ("shared", "shared", BOOL),
    ("share_name", "sharename"),
    ("server_name", "servername"),
    ("status", "status"),
    ("error_status", "errstatus"),
    ("resolution", "resolution"),
    ("print_processor", "printprocessor"),
    ("serial", "serial"),
    ("description", "description"),
    ("comment", "comment"),
    required=("name",),
)
# -- security and licences -------------------------------------------------------------------
ANTIVIRUS = _section(
    "antivirus",
    True,
    ("name", "name"),
    ("company", "company"),
    ("version", "version"),
    ("enabled", "enabled", BOOL),
    ("up_to_date", "uptodate", BOOL),
    ("guid", "guid"),
    ("expiration", "expiration", DATE),
    ("base_version", "base_version"),
    ("base_created", "base_creation", DATE),
)
FIREWALLS = _section(
    "firewalls",
    True,
    ("profile", "profile"),
    ("status", "status"),
    ("description", "description"),
    ("ipv4", "ipaddress"),
    ("ipv6", "ipaddress6"),
    required=("status",),
)
LICENSE_INFOS = _section(
    "licenseinfos",
    True,
    ("name", "name"),
    ("full_name", "fullname"),
    ("product_id", "productid"),
    ("key", "key"),  # partial keys only, as agents report them
    ("components", "components"),
    ("trial", "trial", BOOL),
    ("update", "update"),
    ("activation_date", "activation_date", DATETIME),
    ("oem", "oem"),  # GLPI Agent sends it, the schema does not list it
)
LOCAL_USERS = _section(
    "local_users",
    True,
    ("user_id", "id"),
    ("login", "login"),
    ("name", "name"),
    ("home", "home"),
    ("shell", "shell"),
    required=("user_id",),
)
LOCAL_GROUPS = _section(
    "local_groups", True, ("group_id", "id"), ("name", "name"), ("members", "members", LIST), required=("name",)
)
REMOTE_MGMT = _section(
    "remote_mgmt", True, ("remote_id", "id"), ("type", "type"), ("version", "version"), required=("remote_id",)
)
DATABASES_SERVICES = _section(
    "databases_services",
    True,
    ("name", "name"),
    ("type", "type"),
    ("version", "version"),
    ("manufacturer", "manufacturer"),
    ("port", "port", INT),
    ("path", "path"),
    ("size_mb", "size", INT),
    ("active", "is_active", BOOL),
    ("on_backup", "is_onbackup", BOOL),
    ("last_boot", "last_boot_date", DATETIME),
    ("last_backup", "last_backup_date", DATETIME),
    ("databases", "databases", LIST),
    required=("name",),
)
SIMCARDS = _section(
    "simcards",
    True,
    ("iccid", "iccid"),
    ("serial", "serial"),
    ("phone_number", "phone_number"),
    ("state", "state"),
    ("country", "country"),
    ("operator_code", "operator_code"),
    ("operator_name", "operator_name"),
    ("subscriber_id", "subscriber_id"),
)
# -- LVM (sizes in MB as the agents report them) --------------------------------------------
PHYSICAL_VOLUMES = _section(
    "physical_volumes",
    True,
    ("device", "device"),
    ("format", "format"),
    ("attributes", "attr"),
    ("size_mb", "size", INT),
    ("free_mb", "free", INT),
    ("pe_size", "pe_size", INT),
    ("pe_count", "pv_pe_count", INT),
    ("pv_uuid", "pv_uuid"),
    ("vg_uuid", "vg_uuid"),
    required=("device",),
)
VOLUME_GROUPS = _section(
    "volume_groups",
    True,
    ("vg_name", "vg_name"),
    ("attributes", "attr"),
    ("size_mb", "size", INT),
    ("free_mb", "free", INT),
    ("pv_count", "pv_count", INT),
    ("lv_count", "lv_count", INT),
    ("extent_size", "vg_extent_size"),
    ("vg_uuid", "vg_uuid"),
    required=("vg_name",),
)
LOGICAL_VOLUMES = _section(
    "logical_volumes",
    True,
    ("lv_name", "lv_name"),
    ("vg_name", "vg_name"),
    ("attributes", "attr"),
    ("size_mb", "size", INT),
    ("segments", "seg_count", INT),
    ("lv_uuid", "lv_uuid"),
    ("vg_uuid", "vg_uuid"),
    required=("lv_name",),
)
# -- the rest of the schema, kept as documents ------------------------------------------------
DOCUMENT_SECTIONS = tuple(
    _document(name)
    for name in (
        "controllers",
        "usbdevices",
        "inputs",
        "ports",
        "slots",
        "sounds",
        "videos",
        "modems",
        "sensors",
        "powersupplies",
        "cameras",
        "processes",
        "envs",
    )
) + tuple(_document(name, many=False) for name in ("accesslog", "versionprovider", "error"))
# Top-level keys the schema does not define (an agent's own extensions), kept together.
UNRECOGNISED = _document("unrecognised", many=False)
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
        PAGE_COUNTERS,
        CARTRIDGES,
        CONSUMABLES,
        PRINTERS,
        ANTIVIRUS,
        FIREWALLS,
        LICENSE_INFOS,
        LOCAL_USERS,
        LOCAL_GROUPS,
        REMOTE_MGMT,
        DATABASES_SERVICES,
        SIMCARDS,
        PHYSICAL_VOLUMES,
        VOLUME_GROUPS,
        LOGICAL_VOLUMES,
        METRICS,
        *DOCUMENT_SECTIONS,
        UNRECOGNISED,
    )
}
# Top-level keys of ``content`` that are not sections (the agent's version is the source's).
NOT_SECTIONS = frozenset({"versionclient"})
