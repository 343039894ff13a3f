"""One exception tree for what can go wrong with a device; each maps to a per-device status."""

from __future__ import annotations


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
