"""The gettext catalogues are the one source of the product's words: compiled, complete and
consistent in French and English (placeholders alike), and what the code reads them for exists."""

from __future__ import annotations

import re
import string

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from jinja2 import Environment

from server.core import catalogue

FIELDS = string.Formatter()


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in FIELDS.parse(text) if name}


def _po(lang: str):  # type: ignore[no-untyped-def]
    with catalogue.po_path(lang).open("rb") as handle:
        return read_po(handle, locale=lang)


@pytest.mark.parametrize("lang", catalogue.LANGUAGES)
def test_the_compiled_catalogue_is_the_po_file(lang: str) -> None:
    """A .po edited without `make translations` would ship stale words: this fails then."""
    with catalogue.mo_path(lang).open("rb") as handle:
        compiled = {(m.context, m.id): m.string for m in read_mo(handle) if m.id}
    written = {(m.context, m.id): m.string for m in _po(lang) if m.id}
    assert compiled == written


def test_every_label_is_in_both_languages_with_the_same_placeholders() -> None:
    french = {m.context: m for m in _po("fr") if m.id}
    english = {m.context: m for m in _po("en") if m.id}
    assert french.keys() == english.keys()
    assert len(french) > 1000
    for context, message in french.items():
        assert re.fullmatch(r"[a-z_.]+\|[^|]+", context), context
        assert message.string, f"{context}: no French text"
        assert english[context].string, f"{context}: no English text"
        assert _placeholders(message.string) == _placeholders(english[context].string), context
        assert message.id == english[context].id, context


def test_the_template_for_new_languages_lists_every_entry_untranslated() -> None:
    with (catalogue.LOCALE_DIR / "messages.pot").open("rb") as handle:
        template = {m.context: m for m in read_po(handle) if m.id}
    assert template.keys() == {m.context for m in _po("fr") if m.id}
    assert not any(m.string for m in template.values())


def test_the_code_reads_its_words_from_the_catalogues() -> None:
    from server import i18n
    from server.web import text

    assert text.TEXT["fr"]["nav_assets"] == "Équipements" and text.TEXT["en"]["nav_assets"] == "Assets"
    assert i18n.VALUE_LABELS["fr"]["asset_type"]["workstation"] == "Poste fixe"
    assert catalogue.pairs("iftypes")["6"] == ("Ethernet", "Ethernet")
    with pytest.raises(LookupError, match="no label namespace"):
        catalogue.by_language("no.such.namespace")


def test_templates_can_use_gettext() -> None:
    """Jinja2's i18n extension is installed with the catalogue: ``{{ _("Member") }}`` in a page."""
    from server.web.pages import TEMPLATES

    assert "jinja2.ext.InternationalizationExtension" in TEMPLATES.env.extensions
    page = TEMPLATES.env.from_string('{{ _("Member") }} · {% trans %}Assets{% endtrans %}')
    assert page.render(lang="fr") == "Membre · Équipements"
    assert page.render(lang="en") == "Member · Assets"
    assert isinstance(TEMPLATES.env, Environment)


def test_the_age_pyramid_is_labelled_in_the_readers_language() -> None:
    from server.renewal.reports import age_pyramid

    french, english = age_pyramid([], "fr"), age_pyramid([], "en")
    assert french[0][0].endswith(" ans") and english[0][0].endswith(" years"), (french, english)
    assert french[-1][0].endswith("ans et +") and english[-1][0].endswith("years and over")
