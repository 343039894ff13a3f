"""The small parc of ``test_pages`` (two communes, a PC each, an admin and a member's reader) for
every page test of this folder."""

from tests.server.web.test_pages import parc  # noqa: F401
