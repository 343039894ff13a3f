import json

import pytest

from wire import chassis, identity


@pytest.mark.parametrize(
    "serial",
    [
        "To Be Filled By O.E.M.",
        "Default string",
        "System Serial Number",
        "0",
        "00000000",
        "N/A",
        "  ",
        None,
        "Not Specified",
        "123456789",
        "xxxxxxxx",
        "Chassis Serial Number",
    ],
)
def test_junk_serials_identify_nothing(serial):
    assert identity.serial_key(serial) is None


def test_real_serials_are_normalised():
    assert identity.serial_key(" 640hp72 ") == "640HP72"
    assert identity.serial_key("VMware-42 1a 7b") == "VMWARE-42 1A 7B"


@pytest.mark.parametrize(
    "uuid",
    [
        "00000000-0000-0000-0000-000000000000",
        "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF",
        "03000200-0400-0500-0006-000700080009",
        "not-a-uuid",
    ],
)
def test_junk_uuids(uuid):
    assert identity.uuid_key(uuid) is None


def test_uuid_normalised():
    assert identity.uuid_key("{4C4C4544-0034-3010-8048-B6C04F503732}") == "4c4c4544003430108048b6c04f503732"


@pytest.mark.parametrize(
    ("mac", "virtual", "expected"),
    [
        ("b4:6b:fc:12:34:56", False, "b4:6b:fc:12:34:56"),
        ("b4:6b:fc:12:34:56", True, None),
        ("00:00:00:00:00:00", False, None),
        ("02:42:ac:11:00:02", False, None),  # locally administered (Docker)
        ("01:00:5e:00:00:01", False, None),  # multicast
        ("00:50:56:c0:00:08", False, None),  # VMware Workstation host adapter, on every such PC
    ],
)
def test_mac_keys(mac, virtual, expected):
    assert identity.mac_key(mac, virtual=virtual) == expected


@pytest.mark.parametrize(
    ("maker", "key"),
    [
        ("Dell Inc.", "dell"),
        ("DELL", "dell"),
        ("Hewlett-Packard", "hp"),
        ("HP", "hp"),
        ("LENOVO", "lenovo"),
        ("ASUSTeK COMPUTER INC.", "asus"),
        ("To Be Filled By O.E.M.", None),
    ],
)
def test_manufacturer_keys(maker, key):
    assert identity.manufacturer_key(maker) == key


def test_names():
    assert identity.name_key("PC-Mairie.ville.local") == "pc-mairie"
    assert identity.name_key("localhost") is None
    assert identity.name_key("10.1.2.3") == "10.1.2.3"


@pytest.mark.parametrize(
    ("chassis_type", "kwargs", "expected"),
    [
        ("Laptop", {}, "laptop"),
        ("Notebook", {}, "laptop"),
        ("10", {}, "laptop"),
        (30, {}, "tablet"),
        ("Detachable", {}, "tablet"),
        ("Desktop", {}, "workstation"),
        ("Mini PC", {}, "workstation"),
        ("Rack Mount Chassis", {}, "server"),
        ("Multi-system", {}, "server"),  # GLPI Agent's words for SMBIOS 25, 27, 28, 29
        ("CompactPCI", {}, "server"),
        ("AdvancedTCA", {}, "server"),
        ("Blade Enclosing", {}, "server"),
        ("Desktop", {"os_name": "Microsoft Windows Server 2019 Standard"}, "server"),
        ("Desktop", {"vm_system": "VMware"}, "vm"),
        (None, {"vm_system": "Physical"}, "workstation"),
        (None, {"os_name": "VMware ESXi 7.0.3"}, "hypervisor"),
        ("Desktop", {"model": "HP t630 Thin Client"}, "thin_client"),
    ],
)
def test_computer_types(chassis_type, kwargs, expected):
    from server.assets.vocab import AssetType

    result = chassis.computer_type(chassis_type, **kwargs)
    assert result == expected and result in set(AssetType)


def test_network_types_are_asset_types():
    from server.assets.vocab import AssetType

    for glpi_type in ["Networking", "Printer", "Storage", "Power", "Phone", "Video", "KVM", "Computer", "Unmanaged"]:
        assert chassis.network_type(glpi_type) in set(AssetType)
    assert chassis.network_type("Networking", declared="firewall") == "firewall"


def test_placeholders_are_data_with_their_source():
    document = json.loads(identity.PLACEHOLDERS_FILE.read_text("utf-8"))
    entries = [e for kind in ("serial", "serial_patterns", "name", "uuid", "mac_prefix") for e in document[kind]]
    assert len(entries) > 60 and all(e.get("source", "").strip() for e in entries)


@pytest.mark.parametrize("name", ["<private>", "localhost", "vm", "Switch", "localhost.localdomain", "<redacted>"])
def test_placeholder_and_anonymised_names_identify_nothing(name):
    assert identity.name_key(name) is None


def test_anonymised_serials_identify_nothing():
    assert identity.serial_key("<private>") is None and identity.serial_key("FOC2031X0AB") == "FOC2031X0AB"


def test_placeholders_can_be_extended_from_a_file(tmp_path):
    extra = tmp_path / "ours.json"
    extra.write_text(json.dumps({"name": [{"value": "PC-MASTER", "source": "our master image"}],
                                 "serial": [{"value": "SN-IMAGE", "source": "our master image"}]}))  # fmt: skip
    assert identity.name_key("pc-master") == "pc-master"
    saved = identity.Placeholders(**{f: type(getattr(identity.PLACEHOLDERS, f))(getattr(identity.PLACEHOLDERS, f))
                                     for f in identity.Placeholders.__slots__})  # fmt: skip
    try:
        identity.PLACEHOLDERS.load(extra)
        assert identity.name_key("PC-MASTER.mairie.local") is None and identity.serial_key("sn-image") is None
    finally:
        for name in identity.Placeholders.__slots__:
            setattr(identity.PLACEHOLDERS, name, getattr(saved, name))
    assert identity.name_key("pc-master") == "pc-master"
