"""Jinja2's i18n extension over the gettext catalogues: ``{{ _("Member") }}`` and
``{% trans %}…{% endtrans %}`` in a template are said in the page's language (its ``lang``)."""

from __future__ import annotations

from jinja2 import Environment, pass_context
from jinja2.runtime import Context

from server.core import catalogue


@pass_context
def _gettext(context: Context, message: str) -> str:
    return catalogue.gettext(message, context.get("lang") or catalogue.LANGUAGES[0])


@pass_context
def _ngettext(context: Context, singular: str, plural: str, count: int) -> str:
    return _gettext(context, singular if count == 1 else plural)


def install(env: Environment) -> None:
    env.add_extension("jinja2.ext.i18n")
    env.install_gettext_callables(gettext=_gettext, ngettext=_ngettext, newstyle=True)  # type: ignore[attr-defined]
