"""Which profile fits a device: sysObjectID prefixes first, then sysDescr, then an OID that must exist.

One GET reads the system group; only profiles that need it (``detect.exists``) cost another.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from collector.profiles import Profile, candidates

from .extract import SYSTEM
from .session import SnmpSession
from .transforms import text


@dataclass(frozen=True, slots=True)
class Identification:
    profile: Profile
    system: dict[str, Any]  # raw values of the system group, by OID
    sys_object_id: str
    sys_descr: str
    sys_name: str | None

    @property
    def generic(self) -> bool:
        """Only the fallback profile matched: nobody described this model yet."""
        return self.profile.detect.fallback


async def identify(session: SnmpSession, profiles: dict[str, Profile]) -> Identification:
    system = await session.get(SYSTEM.values())
    sys_object_id = str(system.get(SYSTEM["sys_object_id"]) or "")
    sys_descr = text(system.get(SYSTEM["sys_descr"])) or ""
    sys_name = text(system.get(SYSTEM["sys_name"]))
    found = None
    answered: dict[str, bool] = {}  # OID -> it answers, asked once whatever the number of profiles

    async def answers(oids: list[str]) -> dict[str, bool]:
        missing = [o for o in oids if o not in answered]
        if missing:
            values = await session.get(missing)
            answered.update({o: o in values for o in missing})
        return {o: answered[o] for o in oids}

    async def proven(profile: Profile) -> bool:
        """Its ``exists``/``private``/``exists_any`` answer; else its ``value`` matches, if it has one."""
        needed, any_of, value = profile.required(sys_object_id), profile.detect.exists_any, profile.detect.value
        ok = (not needed or all((await answers(needed)).values())) and (
            not any_of or any((await answers(list(any_of))).values()))  # fmt: skip
        if value is None or (ok and (needed or any_of or profile.on_branch(sys_object_id))):
            return ok
        if value[0] not in read:
            read.update(await session.get([value[0]]))
        return bool(value[1].search(text(read.get(value[0])) or ""))

    read: dict[str, Any] = {}
    for profile in candidates(profiles.values(), sys_object_id, sys_descr):
        if await proven(profile):
            found = profile
            break
    if found is None:  # at least the fallback profile always matches, unless profiles were filtered
        raise LookupError(f"no profile for sysObjectID {sys_object_id or '(none)'}")
    return Identification(found, system, sys_object_id, sys_descr, sys_name)
