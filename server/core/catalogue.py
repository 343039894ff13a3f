"""The product's words, French and English, from gettext catalogues.

Every label of the pages, exports and PDFs lives in ``server/locale/<lang>/LC_MESSAGES/mutuparc.po``
(compiled to ``.mo`` by ``make translations``), so translators use their usual tools (Poedit,
Weblate, ``pybabel``). An entry is identified by its context, ``<namespace>|<key>`` (the key the
code asks for), its ``msgid`` is the English text and its ``msgstr`` the translation; English
entries repeat their ``msgid``. ``messages.pot`` is the template for a new language.

The functions below give the code the shapes it reads labels in (per language, or a French and
English pair per key), built once per process from the compiled catalogues.
"""

from __future__ import annotations

from collections import defaultdict
from functools import cache
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DOMAIN = "mutuparc"
LANGUAGES = ("fr", "en")
SEPARATOR = "|"


def mo_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"


def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def _load() -> tuple[dict[str, dict[str, dict[str, str]]], dict[str, dict[str, str]]]:
    """namespace → language → key → text, in the catalogue's order; and language → English → text."""
    from babel.messages.mofile import read_mo

    texts: dict[str, dict[str, dict[str, str]]] = defaultdict(lambda: {lang: {} for lang in LANGUAGES})
    by_english: dict[str, dict[str, str]] = {lang: {} for lang in LANGUAGES}
    for lang in LANGUAGES:
        with mo_path(lang).open("rb") as handle:
            catalogue = read_mo(handle)
        for message in catalogue:
            if not message.id:
                continue  # the header entry
            text = str(message.string or message.id)
            by_english[lang].setdefault(str(message.id), text)
            if message.context and SEPARATOR in message.context:
                namespace, key = message.context.rsplit(SEPARATOR, 1)
                texts[namespace][lang][key] = text
    return dict(texts), by_english


def _texts() -> dict[str, dict[str, dict[str, str]]]:
    return _load()[0]


def gettext(message: str, lang: str) -> str:
    """An English text in ``lang`` (templates' ``_()``); the text itself when not in the catalogue."""
    return _load()[1].get(lang, {}).get(message, message)


def _namespace(namespace: str) -> dict[str, dict[str, str]]:
    try:
        return _texts()[namespace]
    except KeyError:
        raise LookupError(f"no label namespace {namespace!r} in {LOCALE_DIR}") from None


def by_language(namespace: str) -> dict[str, dict[str, str]]:
    """``{"fr": {key: text}, "en": {key: text}}``."""
    return {lang: dict(words) for lang, words in _namespace(namespace).items()}


def grouped_by_language(namespace: str) -> dict[str, dict[str, dict[str, str]]]:
    """``{"fr": {group: {key: text}}, ...}`` from the namespaces ``<namespace>.<group>``."""
    prefix = namespace + "."
    groups = [name[len(prefix) :] for name in _texts() if name.startswith(prefix)]
    return {lang: {group: dict(_namespace(prefix + group)[lang]) for group in groups} for lang in LANGUAGES}


def pairs(namespace: str) -> dict[str, tuple[str, str]]:
    """``{key: (French, English)}``."""
    words = _namespace(namespace)
    return {key: (words["fr"].get(key, text), text) for key, text in words["en"].items()}


def per_key(namespace: str) -> dict[str, dict[str, str]]:
    """``{key: {"fr": text, "en": text}}``."""
    return {key: {"fr": french, "en": english} for key, (french, english) in pairs(namespace).items()}


def sequences(namespace: str) -> dict[str, tuple[str, ...]]:
    """``{"fr": (text, ...), "en": (...)}`` for words kept in order (keys ``0``, ``1``...)."""
    words = _namespace(namespace)
    return {lang: tuple(words[lang][key] for key in sorted(words[lang], key=int)) for lang in LANGUAGES}
