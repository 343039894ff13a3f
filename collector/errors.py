"""One exception tree for what can go wrong with a device; each maps to a per-device status."""

from __future__ import annotations

# Statuses of an SNMPv3 credential refused for a known cause (``AuthFailure`` subclasses' own).
WRONG_AUTH = "wrong_auth"  # authentication failed: auth key or auth protocol
WRONG_PRIVACY = "wrong_privacy"  # the device cannot decrypt: privacy key or privacy protocol
UNKNOWN_USER = "unknown_user"
SHORT_KEY = "short_key"  # a key under 8 characters: refused before anything is sent
SNMPV3_STATUSES = (WRONG_AUTH, WRONG_PRIVACY, UNKNOWN_USER, SHORT_KEY)


class CollectorError(Exception):
    """Something about one device; the run goes on with the others."""

    status = "error"


class DeviceTimeout(CollectorError):
    """No answer in time (device down, filtered, or a wrong SNMPv2c community: it stays silent)."""

    status = "timeout"


class AuthFailure(CollectorError):
    """The device answered but refused the credentials (SNMPv3 user, key; SSH login)."""

    status = "auth_failure"


class ProtocolError(CollectorError):
    """The device answered something unusable (broken table, garbage)."""

    status = "error"


class HostKeyRefused(CollectorError):
    """SSH: the device's host key is unknown (and trust on first use is off) or it changed."""

    status = "host_key"


class NotAllowed(CollectorError):
    """A driver tried a command outside its read-only allow-list: nothing was sent."""

    status = "refused_command"


class ConfigError(ValueError):
    """A collector configuration or a device profile is invalid; the message names where."""


def wire_status(status: str) -> str:
    """The status sent in run reports: servers know the SNMPv3 causes as ``auth_failure`` (the
    message still says which), so a collector stays compatible with the server it reports to."""
    return AuthFailure.status if status in SNMPV3_STATUSES else status
