"""Load and validate SNMP device profiles (``device_profiles/snmp``), and pick one for a device.

Profiles are checked against ``device_profiles/schema.json`` when loaded (unknown keys are
errors), their transforms and regular expressions compiled, and their ``modules`` (building
blocks such as IF-MIB or ENTITY-MIB, in ``snmp/modules/``) merged in, the profile last.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import yaml

import device_profiles

from .errors import ConfigError
from .snmp.transforms import Transform, compile_expression, compile_transforms


@dataclass(frozen=True, slots=True)
class Value:
    """A scalar: an OID read and transformed, or a constant; ``fallback`` when the OID is absent."""

    oid: str | None
    constant: Any
    transforms: tuple[Transform, ...]
    fallback: Value | None = None

    def oids(self) -> list[str]:
        found = [self.oid] if self.oid else []
        return found + (self.fallback.oids() if self.fallback else [])


@dataclass(frozen=True, slots=True)
class Column:
    oid: str | None
    expression: Callable[[dict[str, Any]], Any] | None
    is_index: bool
    constant: Any
    transforms: tuple[Transform, ...]
    fallback: Column | None = None

    def oids(self) -> list[str]:
        found = [self.oid] if self.oid else []
        return found + (self.fallback.oids() if self.fallback else [])


@dataclass(frozen=True, slots=True)
class Table:
    columns: dict[str, Column]
    where: dict[str, Any] | None = None

    def oids(self) -> list[str]:
        return [oid for column in self.columns.values() for oid in column.oids()]


@dataclass(frozen=True, slots=True)
class Metric:
    name: str
    oid: str | None = None
    table: str | None = None
    column: str | None = None
    instance: str | None = None
    transforms: tuple[Transform, ...] = ()
    unit: str | None = None
    fallback: Metric | None = None  # a scalar metric: the OID read when this one is absent
    aggregate: str | None = None  # a table metric: one value for all rows (max: a 3-phase UPS's load)


@dataclass(frozen=True, slots=True)
class Detect:
    sysobjectid: tuple[str, ...] = ()
    sysdescr: re.Pattern[str] | None = None
    exists: str | None = None
    priority: int = 0
    fallback: bool = False
    # An OID of the vendor's private MIB that tells its devices whatever their sysObjectID says
    # (a rebadged box, an agent answering as Net-SNMP, an older card): matches below sysObjectID.
    private: str | None = None
    exists_any: tuple[str, ...] = ()  # at least one of these OIDs answers (a family's standard MIB)
    # An OID whose value must match a pattern (entPhysicalMfgName "QNAP Systems"...): another proof,
    # like ``private``, when the sysObjectID, ``exists`` or ``private`` do not tell.
    value: tuple[str, re.Pattern[str]] | None = None


@dataclass(frozen=True, slots=True)
class Profile:
    id: str
    name: str
    asset_type: str
    glpi_type: str
    manufacturer: str | None
    os_name: str | None
    detect: Detect
    fields: dict[str, Value] = field(default_factory=dict)
    battery: dict[str, Value] = field(default_factory=dict)
    licences: dict[str, Value] = field(default_factory=dict)
    pagecounters: dict[str, Value] = field(default_factory=dict)  # printers: Printer-MIB, vendor counters
    tables: dict[str, Table] = field(default_factory=dict)
    metrics: tuple[Metric, ...] = ()
    joins: dict[str, Any] = field(default_factory=dict)
    expect: dict[str, Any] = field(default_factory=dict)
    path: Path | None = None

    def _prefix(self, sys_object_id: str) -> int | None:
        matching = [len(p) for p in self.detect.sysobjectid if f"{sys_object_id}.".startswith(f"{p}.")]
        return max(matching) if matching else None

    def on_branch(self, sys_object_id: str) -> bool:
        return self._prefix(sys_object_id) is not None

    def required(self, sys_object_id: str) -> list[str]:
        """OIDs that must answer for this (scored) profile to fit: ``exists``, and ``private`` when
        the sysObjectID did not match."""
        needed = [self.detect.exists] if self.detect.exists else []
        if self.detect.sysobjectid and self._prefix(sys_object_id) is None and self.detect.private:
            needed.append(self.detect.private)
        return needed

    def score(self, sys_object_id: str, sys_descr: str) -> tuple[int, int, int] | None:
        """How well this profile's detection rules match; None when they do not."""
        detect = self.detect
        prefix = 0
        proof = detect.private or detect.value  # what stands for a sysObjectID of the vendor's
        if detect.sysobjectid:
            found = self._prefix(sys_object_id)
            # An agent that publishes no sysObjectID (some copiers, cloud-managed APs) is judged on
            # its sysDescr alone, by the profiles that describe one.
            if found is None and not proof and not (detect.sysdescr and not sys_object_id.strip(".")):
                return None
            prefix = found or 0
        if detect.sysdescr and not detect.sysdescr.search(sys_descr) and not (proof and prefix == 0):
            return None
        if not (detect.sysobjectid or detect.sysdescr or detect.exists or detect.exists_any or detect.fallback):
            return None
        described = int(detect.sysdescr is not None and detect.sysdescr.search(sys_descr) is not None)
        return (prefix, described, detect.priority - (1000 if detect.fallback else 0))


def _oid(text: str | None) -> str | None:
    return text.strip(".") if text else None


def _value(spec: dict[str, Any], where: str) -> Value:
    return Value(
        oid=_oid(spec.get("oid")),
        constant=spec.get("value"),
        transforms=tuple(compile_transforms(spec.get("transforms"), where)),
        fallback=_value(spec["fallback"], f"{where}.fallback") if spec.get("fallback") else None,
    )


def _metric(spec: dict[str, Any], where: str, name: str | None = None) -> Metric:
    name = name or spec["name"]
    return Metric(
        name=name, oid=_oid(spec.get("oid")), table=spec.get("table"), column=spec.get("column"),
        instance=spec.get("instance"), unit=spec.get("unit"), aggregate=spec.get("aggregate"),
        transforms=tuple(compile_transforms(spec.get("transforms"), f"{where}: metric {name}")),
        fallback=_metric(spec["fallback"], where, name) if spec.get("fallback") else None,
    )  # fmt: skip


def _column(spec: dict[str, Any], where: str) -> Column:
    expression = compile_expression(spec["expr"], where)[0] if spec.get("expr") else None
    return Column(
        oid=_oid(spec.get("oid")),
        expression=expression,
        is_index=bool(spec.get("index")),
        constant=spec.get("value"),
        transforms=tuple(compile_transforms(spec.get("transforms"), where)),
        fallback=_column(spec["fallback"], f"{where}.fallback") if spec.get("fallback") else None,
    )


@cache
def _schema_validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json.loads(device_profiles.SCHEMA.read_text("utf-8")))


def _read(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text("utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path.name}: {exc}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path.name}: a profile is a mapping")
    errors = sorted(_schema_validator().iter_errors(data), key=lambda e: list(e.path))
    if errors:
        error = errors[0]
        location = "/".join(str(p) for p in error.path) or "(top)"
        raise ConfigError(f"{path.name}: {location}: {error.message}")
    if data["id"] != path.stem:
        raise ConfigError(f"{path.name}: id {data['id']!r} must be the file name {path.stem!r}")
    return data


def _merge(parts: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """Modules then the profile: later definitions of a field, column or metric name replace earlier ones."""
    merged: dict[str, Any] = {"fields": {}, "battery": {}, "licences": {}, "pagecounters": {}, "tables": {},
                              "metrics": {}, "joins": {}}  # fmt: skip
    for part in parts:
        for key in ("fields", "battery", "licences", "pagecounters", "joins"):
            merged[key].update(part.get(key, {}))
        for name, table in part.get("tables", {}).items():
            base = merged["tables"].get(name, {"columns": {}})
            merged["tables"][name] = {**base, **table, "columns": {**base["columns"], **table.get("columns", {})}}
        merged["metrics"].update({metric["name"]: metric for metric in part.get("metrics", [])})
    merged["metrics"] = list(merged["metrics"].values())
    return merged


def _build(data: dict[str, Any], modules: dict[str, dict[str, Any]], path: Path) -> Profile:
    where = path.name
    missing = [m for m in data.get("modules", []) if m not in modules]
    if missing:
        raise ConfigError(f"{where}: unknown modules {', '.join(missing)}")
    merged = _merge([*(modules[m] for m in data.get("modules", [])), data])
    detect = data.get("detect", {})
    try:
        sysdescr = re.compile(detect["sysdescr"], re.IGNORECASE) if detect.get("sysdescr") else None
    except re.error as exc:
        raise ConfigError(f"{where}: detect.sysdescr: {exc}") from None
    try:
        spec = detect.get("value")
        value = (str(spec["oid"]).strip("."), re.compile(spec["regex"])) if spec else None
    except re.error as exc:
        raise ConfigError(f"{where}: detect.value.regex: {exc}") from None
    tables = {}
    for name, table in merged["tables"].items():
        if not table["columns"]:
            raise ConfigError(f"{where}: tables.{name}: no columns (from the profile or its modules)")
        columns = {c: _column(spec, f"{where}: tables.{name}.{c}") for c, spec in table["columns"].items()}
        where_clause = table.get("where")
        if where_clause and where_clause["column"] not in columns:
            raise ConfigError(f"{where}: tables.{name}.where: no column {where_clause['column']!r}")
        tables[name] = Table(columns, where_clause)
    metrics = []
    for spec in merged["metrics"]:
        if spec.get("table") and spec["table"] not in tables:
            raise ConfigError(f"{where}: metric {spec['name']}: no table {spec['table']!r}")
        metrics.append(_metric(spec, where))
    return Profile(
        id=data["id"],
        name=data.get("name", data["id"]),
        asset_type=data.get("asset_type", "other"),
        glpi_type=data.get("glpi_type", "Networking"),
        manufacturer=data.get("manufacturer"),
        os_name=data.get("os_name"),
        detect=Detect(
            sysobjectid=tuple(p.strip(".") for p in detect.get("sysobjectid", [])),
            sysdescr=sysdescr,
            exists=_oid(detect.get("exists")),
            priority=detect.get("priority", 0),
            fallback=detect.get("fallback", False),
            private=_oid(detect.get("private")),
            exists_any=tuple(p.strip(".") for p in detect.get("exists_any", [])),
            value=value,
        ),
        fields={k: _value(v, f"{where}: fields.{k}") for k, v in merged["fields"].items()},
        battery={k: _value(v, f"{where}: battery.{k}") for k, v in merged["battery"].items()},
        licences={k: _value(v, f"{where}: licences.{k}") for k, v in merged["licences"].items()},
        pagecounters={k: _value(v, f"{where}: pagecounters.{k}") for k, v in merged["pagecounters"].items()},
        tables=tables,
        metrics=tuple(metrics),
        joins=merged["joins"],
        expect=data.get("expect", {}),
        path=path,
    )


def profile_files(root: Path = device_profiles.SNMP) -> list[Path]:
    return sorted(p for p in root.rglob("*.yaml") if not set(NOT_PROFILES) & set(p.relative_to(root).parts))


@cache
def load_profiles(root: Path = device_profiles.SNMP) -> dict[str, Profile]:
    modules = {p.stem: _read(p) for p in sorted((root / "modules").glob("*.yaml"))}
    profiles: dict[str, Profile] = {}
    for path in profile_files(root):
        profile = _build(_read(path), modules, path)
        if profile.id in profiles:
            raise ConfigError(f"{path.name}: profile id {profile.id!r} defined twice")
        profiles[profile.id] = profile
    return profiles


ENTERPRISES = device_profiles.SNMP / "enterprises" / "iana_enterprise_numbers.yaml"
NOT_PROFILES = ("modules", "enterprises")  # directories of device_profiles/snmp that hold no profile


@cache
def enterprises(path: Path = ENTERPRISES) -> dict[int, str]:
    """IANA Private Enterprise Numbers -> the manufacturer's name (a trimmed copy, see the file)."""
    try:
        data = yaml.safe_load(path.read_text("utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path.name}: {exc}") from None
    return {int(number): str(name) for number, name in (data.get("enterprises") or {}).items()}


ENTERPRISES_PREFIX = "1.3.6.1.4.1."


def enterprise_manufacturer(sys_object_id: str) -> str | None:
    """The manufacturer a sysObjectID's enterprise number (1.3.6.1.4.1.<n>...) stands for."""
    oid = sys_object_id.strip(".")
    if not oid.startswith(ENTERPRISES_PREFIX):
        return None
    number = oid[len(ENTERPRISES_PREFIX) :].split(".")[0]
    return enterprises().get(int(number)) if number.isdigit() else None


def candidates(profiles: Iterable[Profile], sys_object_id: str, sys_descr: str) -> list[Profile]:
    """Profiles whose detection rules match, best first (longest OID prefix, then sysDescr, then priority)."""
    scored = [(score, p) for p in profiles if (score := p.score(sys_object_id, sys_descr)) is not None]
    return [p for _, p in sorted(scored, key=lambda item: item[0], reverse=True)]
