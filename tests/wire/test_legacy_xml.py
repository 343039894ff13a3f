import pytest

from wire import legacy_xml
from wire.errors import BadSyntax, UnsupportedMessage
from wire.model import Inventory, Prolog

INVENTORY = b"""<?xml version="1.0" encoding="UTF-8" ?>
<REQUEST>
  <CONTENT>
    <ACCOUNTINFO><KEYNAME>TAG</KEYNAME><KEYVALUE>mpe_abc</KEYVALUE></ACCOUNTINFO>
    <BIOS><SSN>5CG1234XYZ</SSN><SMANUFACTURER>HP</SMANUFACTURER><BDATE>06/02/2016</BDATE></BIOS>
    <HARDWARE><NAME>PC-ACCUEIL</NAME><MEMORY>16234</MEMORY><UUID>4C4C4544-0034-3010-8048-B6C04F503732</UUID>
      <CHECKSUM>131071</CHECKSUM></HARDWARE>
    <CPUS><NAME>Intel Core i5</NAME><CORE>4</CORE><SPEED>2400</SPEED></CPUS>
    <NETWORKS><DESCRIPTION>eth0</DESCRIPTION><MACADDR>00:1a:2b:3c:4d:5e</MACADDR><VIRTUALDEV>0</VIRTUALDEV></NETWORKS>
    <NETWORKS><DESCRIPTION>lo</DESCRIPTION><VIRTUALDEV>1</VIRTUALDEV></NETWORKS>
    <STORAGES><NAME>sda</NAME><SERIALNUMBER>WD-123</SERIALNUMBER><DISKSIZE>500107</DISKSIZE></STORAGES>
    <MEMORIES><CAPACITY>8192</CAPACITY><SERIALNUMBER>M-1</SERIALNUMBER></MEMORIES>
    <SOFTWARES><NAME>LibreOffice</NAME><VERSION>7.5</VERSION><INSTALLDATE>21/03/2024</INSTALLDATE></SOFTWARES>
    <OPERATINGSYSTEM><FULL_NAME>Microsoft Windows 10 Professionnel</FULL_NAME>
      <TIMEZONE><NAME>CET</NAME><OFFSET>+0100</OFFSET></TIMEZONE></OPERATINGSYSTEM>
    <FIREWALL><STATUS>on</STATUS></FIREWALL>
    <VERSIONCLIENT>FusionInventory-Agent_v2.6-3</VERSIONCLIENT>
  </CONTENT>
  <DEVICEID>pc-accueil-2024-01-01-00-00-00</DEVICEID>
  <QUERY>INVENTORY</QUERY>
</REQUEST>"""


def test_xml_inventory_is_converted_with_schema_knowledge():
    inventory = legacy_xml.parse_message(INVENTORY)
    assert isinstance(inventory, Inventory)
    assert inventory.tag == "mpe_abc" and inventory.version_client == "FusionInventory-Agent_v2.6-3"
    sections = inventory.sections
    # One-item lists stay lists; renamed keys land where GLPI JSON puts them.
    assert [c["cores"] for c in sections["cpus"]] == [4]
    assert sections["networks"][0]["mac"] == "00:1a:2b:3c:4d:5e" and sections["networks"][0]["virtual"] is False
    assert sections["networks"][1]["virtual"] is True
    assert sections["storages"][0]["serial"] == "WD-123"
    assert sections["memories"][0]["serial"] == "M-1"  # memories keep serialnumber in GLPI JSON
    assert sections["softwares"][0]["install_date"].isoformat() == "2024-03-21"
    assert sections["bios"]["bios_date"].isoformat() == "2016-02-06"
    assert inventory.content["operatingsystem"]["timezone"] == {"name": "CET", "offset": "+0100"}
    assert inventory.content["firewalls"] == [{"status": "on"}]
    assert inventory.content["hardware"]["memory"] == 16234
    # A key the schema does not name is kept as sent, with its item (nothing dropped).
    assert inventory.content["hardware"]["checksum"] == "131071"
    assert sections["hardware"]["extra"] == {"checksum": "131071"}


def test_prolog():
    message = legacy_xml.parse_message(b"<REQUEST><DEVICEID>d</DEVICEID><QUERY>PROLOG</QUERY></REQUEST>")
    assert message == Prolog(deviceid="d")


@pytest.mark.parametrize(
    ("body", "error"),
    [
        (b"<REQUEST>", BadSyntax),
        (b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><REQUEST>&e;</REQUEST>', BadSyntax),
        (b"<REQUEST><DEVICEID>d</DEVICEID><QUERY>NETDISCOVERY</QUERY></REQUEST>", UnsupportedMessage),
    ],
)
def test_bad_xml(body, error):
    with pytest.raises(error):
        legacy_xml.parse_message(body)
