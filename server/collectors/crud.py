"""Collector run reports, the "to audit" lists, and the SNMP credentials collectors fetch."""

from __future__ import annotations

import base64
import hashlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from server.assets.components import COMPONENT_TABLES
from server.assets.models import Asset
from server.assets.vocab import AssetType
from server.core.clock import utcnow
from server.core.errors import NotFound
from server.core.scope import MemberScope
from server.core.secretbox import SecretBox
from server.ingest.auth import Reporter
from server.tenancy.models import Member
from wire.fields import mac as normalise_mac
from wire.identity import name_key

from .models import CollectorRun, DiscoveredDevice, SnmpCredential, SshHostKey
from .schemas import CollectorReportIn, HostKeysIn, SnmpCredentialIn, SnmpCredentialPublic, UnknownMac

MAX_PROBLEMS = 1000  # devices listed per run; the counts cover them all
_CHUNK = 500


def store_report(*, session: Session, report: CollectorReportIn, reporter: Reporter,
                 report_id: str | None) -> CollectorRun:  # fmt: skip
    """Record a run and upsert the addresses its sweep found (a resent report is stored once)."""
    if report_id:
        existing = session.scalars(select(CollectorRun).where(CollectorRun.report_id == report_id)).first()
        if existing is not None:
            return existing
    counts = Counter(device.status for device in report.devices)
    problems = [d.model_dump(exclude_none=True) for d in report.devices if d.status != "ok"][:MAX_PROBLEMS]
    run = CollectorRun(
        report_id=report_id, member_id=reporter.member_id, site_id=reporter.site_id,  # type: ignore[arg-type]
        enrolment_token_id=reporter.token_id, collector=report.collector, version=report.version,
        started_at=report.started_at, finished_at=report.finished_at, devices=len(report.devices),
        ok=counts["ok"], unknown_profile=counts["unknown_profile"], timeout=counts["timeout"],
        auth_failure=counts["auth_failure"], problems=problems,
        error=counts["error"] + counts["host_key"] + counts["parse_error"] + counts["refused_command"],
        swept_addresses=report.sweep.addresses if report.sweep else None,
        discovered=len(report.discovered) if report.sweep else None,
    )  # fmt: skip
    session.add(run)
    session.flush()
    now = utcnow()
    found = {d.address: d for d in report.discovered}
    known: dict[str, DiscoveredDevice] = {}
    addresses = list(found)
    for start in range(0, len(addresses), _CHUNK):
        chunk = addresses[start : start + _CHUNK]
        statement = select(DiscoveredDevice).where(DiscoveredDevice.member_id == reporter.member_id,
                                                   DiscoveredDevice.address.in_(chunk))  # type: ignore[attr-defined]  # fmt: skip
        known.update({row.address: row for row in session.scalars(statement)})
    for address, device in found.items():
        row = known.get(address) or DiscoveredDevice(member_id=reporter.member_id, address=address, first_seen=now,
                                                     via="")  # type: ignore[arg-type]  # fmt: skip
        row.site_id = reporter.site_id
        row.via = ",".join(sorted(set(device.via)))
        for key in ("mac", "sys_name", "sys_descr", "sys_object_id", "profile", "asset_type"):
            setattr(row, key, getattr(device, key))
        row.last_seen, row.last_run_id = now, run.id
        session.add(row)
    return run


@dataclass
class KnownIdentifiers:
    """What identifies the inventoried assets on the network."""

    macs: set[str] = field(default_factory=set)
    addresses: set[str] = field(default_factory=set)
    names: set[str] = field(default_factory=set)

    def knows(self, device: DiscoveredDevice) -> bool:
        return bool((device.mac and device.mac in self.macs) or device.address in self.addresses
                    or (name_key(device.sys_name) or "") in self.names)  # fmt: skip


def _add_all(target: set[str], values: Iterable[Any], normalise: Any = str) -> None:
    for value in values:
        items = value if isinstance(value, list) else [value]
        target.update(n for item in items if item and (n := normalise(item)))


def known_identifiers(session: Session, member_id: int | None) -> KnownIdentifiers:
    """MACs, addresses and names of the member's assets. Only the member's own: whether a device a
    member's collector sees belongs to another member must not show in what that member reads."""
    known = KnownIdentifiers()
    interfaces, ports, devices = (COMPONENT_TABLES[n] for n in ("networks", "network_ports", "network_device"))

    def owned(column: Any) -> Any:
        return (select(column).join(Asset, Asset.id == column.table.c.asset_id)  # type: ignore[arg-type]
                .where(Asset.member_id == member_id, Asset.merged_into_id.is_(None)))  # type: ignore[union-attr]  # fmt: skip

    _add_all(known.macs, session.scalars(owned(interfaces.c.mac)), normalise_mac)
    _add_all(known.macs, session.scalars(owned(ports.c.mac)), normalise_mac)
    _add_all(known.macs, session.scalars(owned(devices.c.mac)), normalise_mac)
    _add_all(known.addresses, session.scalars(owned(interfaces.c.ipv4)))
    _add_all(known.addresses, session.scalars(owned(devices.c.ips)))
    _add_all(known.addresses, session.scalars(owned(ports.c.ips)))
    names = select(Asset.name_key).where(Asset.member_id == member_id, Asset.merged_into_id.is_(None))  # type: ignore[union-attr]
    _add_all(known.names, session.scalars(names))
    return known


def unaudited_devices(*, session: Session, scope: MemberScope, member_id: int | None = None,
                      site_id: int | None = None) -> list[DiscoveredDevice]:  # fmt: skip
    statement = scope.filter(select(DiscoveredDevice), DiscoveredDevice.member_id)
    if member_id is not None:
        statement = statement.where(DiscoveredDevice.member_id == member_id)
    if site_id is not None:
        statement = statement.where(DiscoveredDevice.site_id == site_id)
    rows = list(session.scalars(statement.order_by(DiscoveredDevice.member_id, DiscoveredDevice.address)))
    if not rows:
        return []
    known = {member: known_identifiers(session, member) for member in {row.member_id for row in rows}}
    return [row for row in rows if not known[row.member_id].knows(row)]


# Words of a sysDescr that say what a device is, when no device profile types it (most specific first).
_DESCR_TYPES: tuple[tuple[tuple[str, ...], AssetType], ...] = (
    (("camera", "caméra", "nvr", "dvr"), AssetType.CAMERA),
    (("printer", "laserjet", "imprimante", "officejet"), AssetType.PRINTER),
    (("copier", "copieur", "imagerunner", "bizhub", "mfp"), AssetType.COPIER),
    (("ups", "onduleur", "smart-ups", "powerware"), AssetType.UPS),
    (("nas", "diskstation", "readynas", "truenas"), AssetType.NAS),
    (("firewall", "fortigate", "pfsense", "opnsense"), AssetType.FIREWALL),
    (("access point", "wireless", "wi-fi", "wifi"), AssetType.WIFI_AP),
    (("switch",), AssetType.SWITCH),
    (("router", "routeur"), AssetType.ROUTER),
    (("ip phone", "voip", "sip"), AssetType.PHONE),
)


def likely_type(device: DiscoveredDevice) -> str | None:
    """The device's type: its profile's, else a guess from the words of its sysDescr/sysName."""
    if device.asset_type:
        return device.asset_type
    words = f" {device.sys_descr or ''} {device.sys_name or ''} ".lower()
    for needles, kind in _DESCR_TYPES:
        if any(f" {needle}" in words or f"-{needle}" in words for needle in needles):
            return kind.value
    return None


def unknown_macs(*, session: Session, scope: MemberScope, member_id: int | None = None) -> list[UnknownMac]:
    """MACs learned on switch access ports that belong to no asset.

    Uplinks are left out: a port with an LLDP neighbour carries every MAC behind that neighbour.
    """
    ports = COMPONENT_TABLES["network_ports"]
    statement = (
        select(Asset.id, Asset.name, Asset.member_id, ports.c.name, ports.c.connections)
        .join(ports, ports.c.asset_id == Asset.id)
        .where(Asset.asset_type == AssetType.SWITCH, ports.c.connections.is_not(None), ports.c.lldp.is_not(True))
        .where(ports.c.trunk.is_not(True))  # nor uplink aggregates (collector/snmp/extract.py _aggregates)
    )
    statement = scope.filter(statement, Asset.member_id)
    if member_id is not None:
        statement = statement.where(Asset.member_id == member_id)
    rows = session.execute(statement).all()
    if not rows:
        return []
    known = {owner: known_identifiers(session, owner).macs for owner in {row[2] for row in rows}}
    found: dict[str, UnknownMac] = {}
    for switch_id, switch_name, owner, port, connections in rows:
        for connection in connections or []:
            mac = normalise_mac(connection.get("mac")) if isinstance(connection, dict) else None
            if mac and mac not in known[owner] and mac not in found:
                found[mac] = UnknownMac(mac=mac, member_id=owner, switch_id=switch_id, switch_name=switch_name,
                                        port=port)  # fmt: skip
    return sorted(found.values(), key=lambda m: (m.switch_name or "", m.port or "", m.mac))


def list_runs(*, scope: MemberScope, member_id: int | None = None) -> Any:
    statement = scope.filter(select(CollectorRun), CollectorRun.member_id)
    if member_id is not None:
        statement = statement.where(CollectorRun.member_id == member_id)
    return statement.order_by(CollectorRun.started_at.desc(), CollectorRun.id.desc())  # type: ignore[attr-defined]


def _public_credential(row: SnmpCredential) -> SnmpCredentialPublic:
    return SnmpCredentialPublic(
        id=row.id, member_id=row.member_id, name=row.name, version=row.version, user=row.user,  # type: ignore[arg-type]
        auth_protocol=row.auth_protocol, priv_protocol=row.priv_protocol,
        has_community=bool(row.community_sealed), has_auth_key=bool(row.auth_key_sealed),
        has_priv_key=bool(row.priv_key_sealed), created_at=row.created_at, updated_at=row.updated_at,
    )  # fmt: skip


def save_credential(*, session: Session, box: SecretBox, credential_in: SnmpCredentialIn) -> SnmpCredentialPublic:
    """Create the member's credential of that name, or replace it."""
    if session.get(Member, credential_in.member_id) is None:
        raise NotFound(f"member {credential_in.member_id} not found")
    statement = select(SnmpCredential).where(SnmpCredential.member_id == credential_in.member_id,
                                             SnmpCredential.name == credential_in.name)  # fmt: skip
    row = session.scalars(statement).first() or SnmpCredential(member_id=credential_in.member_id,
                                                                name=credential_in.name, version="2c")  # fmt: skip
    row.version, row.user = credential_in.version, credential_in.user
    row.auth_protocol, row.priv_protocol = credential_in.auth_protocol, credential_in.priv_protocol
    row.community_sealed = box.seal(credential_in.community)
    row.auth_key_sealed, row.priv_key_sealed = box.seal(credential_in.auth_key), box.seal(credential_in.priv_key)
    row.updated_at = utcnow()
    session.add(row)
    session.flush()
    return _public_credential(row)


def list_credentials(
    *, session: Session, scope: MemberScope, member_id: int | None = None
) -> list[SnmpCredentialPublic]:
    statement = scope.owned(SnmpCredential, member_id)
    rows = session.scalars(statement.order_by(SnmpCredential.member_id, SnmpCredential.name))
    return [_public_credential(row) for row in rows]


def delete_credential(*, session: Session, scope: MemberScope, credential_id: int) -> None:
    session.delete(scope.get(session, SnmpCredential, credential_id, "SNMP credential"))


def credentials_for_collector(*, session: Session, box: SecretBox, member_id: int) -> dict[str, dict[str, Any]]:
    """The member's credentials in clear, as collector.yml spells them (sent to its collectors only)."""
    rows = session.scalars(select(SnmpCredential).where(SnmpCredential.member_id == member_id))
    found: dict[str, dict[str, Any]] = {}
    for row in rows:
        spec: dict[str, Any] = {"version": row.version}
        if row.version == "3":
            spec |= {"user": row.user, "auth_protocol": row.auth_protocol, "priv_protocol": row.priv_protocol,
                     "auth_key": box.open(row.auth_key_sealed), "priv_key": box.open(row.priv_key_sealed)}  # fmt: skip
        else:
            spec["community"] = box.open(row.community_sealed)
        found[row.name] = {k: v for k, v in spec.items() if v is not None}
    return found


# -- SSH host keys -------------------------------------------------------------------------


def fingerprint(key: str) -> str:
    """SHA256:<base64>, as ``ssh-keygen -l`` prints it."""
    digest = hashlib.sha256(base64.b64decode(key)).digest()
    return "SHA256:" + base64.b64encode(digest).decode().rstrip("=")


def sync_host_keys(
    *, session: Session, member_id: int, keys_in: HostKeysIn
) -> tuple[list[SshHostKey], list[dict[str, str]]]:
    """Pin the keys a collector trusted on first use; answer every key pinned for the member.

    A key the member already has another key for is not taken: it is returned as a conflict
    (the collector then refuses the device, whatever its own known_hosts says)."""
    pinned = {(row.host, row.key_type): row for row in
              session.scalars(select(SshHostKey).where(SshHostKey.member_id == member_id))}  # fmt: skip
    conflicts = []
    now = utcnow()
    for key in keys_in.keys:
        row = pinned.get((key.host, key.key_type))
        if row is None:
            row = SshHostKey(member_id=member_id, host=key.host, key_type=key.key_type, key=key.key,
                             fingerprint=fingerprint(key.key), collector=keys_in.collector, first_seen=now)  # fmt: skip
            pinned[(key.host, key.key_type)] = row
        elif row.key != key.key:
            conflicts.append({"host": key.host, "key_type": key.key_type, "pinned": row.fingerprint,
                              "reported": fingerprint(key.key)})  # fmt: skip
            continue
        row.last_seen = now
        session.add(row)
    session.flush()
    return sorted(pinned.values(), key=lambda r: (r.host, r.key_type)), conflicts


def list_host_keys(*, scope: MemberScope, member_id: int | None = None) -> Any:
    return scope.owned(SshHostKey, member_id).order_by(SshHostKey.member_id, SshHostKey.host)


def delete_host_key(*, session: Session, scope: MemberScope, key_id: int) -> None:
    """Forget a pinned key (the device was replaced): its next key is trusted on first use."""
    session.delete(scope.get(session, SshHostKey, key_id, "SSH host key"))
