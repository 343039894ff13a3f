"""The journal's words: audit-chain actions and channels, and asset-change fields, in French or
English rather than as the raw strings the chain and the history store."""

from __future__ import annotations

import re

from server import i18n
from server.assets.crud import HISTORY_WORDS
from server.assets.section_labels import field_label, section_label
from server.core import catalogue

_FR, _EN = 0, 1
# Named actions (a route's last fixed segment, or the chain's own action words).
ACTIONS: dict[str, tuple[str, str]] = catalogue.pairs("journal.actions")
VERBS = {"POST": ("Création", "Creation"), "PUT": ("Remplacement", "Replacement"),
         "PATCH": ("Modification", "Update"), "DELETE": ("Suppression", "Deletion")}  # fmt: skip
THINGS: dict[str, tuple[str, str]] = catalogue.pairs("journal.things")
CHANNELS = {"web login": ("page de connexion", "sign-in page"), "web session": ("session web", "web session"),
            "": ("système", "system")}  # fmt: skip
_TOKEN_CHANNEL = re.compile(r"^api token (\d+) (.*)$")
_ITEM_FIELD = re.compile(r"^(?P<section>[a-z_]+)(\[(?P<item>.*)\])?\.(?P<key>[a-z0-9_]+)$")


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[_EN if lang == "en" else _FR]


def _colon(lang: str) -> str:
    return ": " if lang == "en" else " : "  # French typography: a space before the colon


def action_label(action: str, lang: str) -> str:
    """``login`` → Connexion; ``POST /api/v1/members/{member_id}`` → Création : membre."""
    if action in ACTIONS:
        return _pick(ACTIONS[action], lang)
    method, _, route = action.partition(" ")
    fixed = [part for part in route.strip("/").split("/") if part and not part.startswith("{")]
    fixed = [part for part in fixed if part not in ("api", "v1", "me")]
    if not fixed or method not in VERBS:
        return action
    last = fixed[-1]
    if last in ACTIONS and last not in THINGS:
        thing = next((THINGS[p] for p in reversed(fixed[:-1]) if p in THINGS), None)
        named = _pick(ACTIONS[last], lang)
        return f"{named}{_colon(lang)}{_pick(thing, lang)}" if thing else named
    thing = THINGS.get(last)
    return f"{_pick(VERBS[method], lang)}{_colon(lang)}{_pick(thing, lang)}" if thing else action


def channel_label(via: str, lang: str) -> str:
    """``web session`` → session web; ``api token 3 (ci, mtp_ab...)`` → jeton d'API 3 (ci, mtp_ab...)."""
    if via in CHANNELS:
        return _pick(CHANNELS[via], lang)
    token = _TOKEN_CHANNEL.match(via)
    if token:
        return f"{'API token' if lang == 'en' else 'jeton d’API'} {token.group(1)} {token.group(2)}"
    return via


def change_field_label(field: str, lang: str) -> str:
    """An asset-change row's field: the record's own fields, events (``created``) and inventory
    values (``hardware.chassis_type``, ``networks[eth0].speed``) in words."""
    if field in HISTORY_WORDS:
        return HISTORY_WORDS[field]["en" if lang == "en" else "fr"]
    if field in i18n.FIELD_LABELS["fr"]:
        return i18n.field_label(field, lang)
    found = _ITEM_FIELD.match(field)
    if found:
        section, item, key = found.group("section", "item", "key")
        where = section_label(section, lang) + (f" « {item} »" if item else "")
        return f"{where} · {field_label(section, key, lang)}"
    return section_label(field, lang)


def change_value(field: str, value: str | None, lang: str) -> str:
    """The ``created`` row says which source made the asset: ``collector snmp-sn-1`` → Collecteur snmp-sn-1."""
    if not value:
        return ""
    if field == "created":
        source, _, rest = value.partition(" ")
        if source in i18n.VALUE_LABELS["fr"]["source"]:
            return f"{i18n.value_label('source', source, lang)} {rest}".strip()
    return value
