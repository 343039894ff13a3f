"""SNMPv3 requests with the User-based Security Model (RFC 3414, 3826, 7860), on the codec.

pysnmp's security services do the cryptography (key localisation from passphrases, DES/AES
ciphers, as its own engine would); this module frames the messages with ``codec`` and keeps, per
device, what USM needs: the engine id found by discovery (one unauthenticated request answered
by a report), the engine's boots and time, re-synchronised when a report says "not in time
window". Reports the agent sends for refused credentials come back as pysnmp's error
indications (``UnknownUserName``, ``WrongDigest``...), which the session turns into statuses.
"""

from __future__ import annotations

import hmac
import itertools
import secrets
import time
from functools import lru_cache
from typing import Any

from cryptography.hazmat.decrepit.ciphers.modes import CFB  # where cryptography keeps it now (as pysnmp)
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms
from pyasn1.type import univ
from pysnmp.error import PySnmpError
from pysnmp.proto import errind
from pysnmp.proto import error as proto_error
from pysnmp.proto.secmod.rfc3414.service import SnmpUSMSecurityModel

from . import codec

_HASHES = {"md5": "md5", "sha": "sha1", "sha224": "sha224", "sha256": "sha256", "sha384": "sha384",
           "sha512": "sha512"}  # fmt: skip
_REPORTS = {  # usmStats* counters (1.3.6.1.6.3.15.1.1.N.0) and snmpUnknownEngineIDs' meaning
    1: errind.unsupportedSecurityLevel, 2: errind.notInTimeWindow, 3: errind.unknownUserName,
    4: errind.unknownEngineID, 5: errind.wrongDigest, 6: errind.decryptionError,
}  # fmt: skip
_USM_STATS = (1, 3, 6, 1, 6, 3, 15, 1, 1)
_REPORTABLE, _AUTH, _PRIV = 0x04, 0x01, 0x02
_PDU = codec.PduTemplate()
_SALTS = itertools.count(secrets.randbits(63))  # AES salts: a counter from a random start (RFC 3826)


def _aes_key_size(priv_oid: tuple[int, ...]) -> int:
    """Key size when the privacy protocol is AES-CFB (ciphered here, without pyasn1), else 0."""
    service = SnmpUSMSecurityModel.PRIV_SERVICES.get(priv_oid)
    return service.KEY_SIZE if service is not None and "aes" in type(service).__module__ else 0


def _aes(key: bytes, boots: int, now: int, salt: bytes) -> Cipher:  # type: ignore[type-arg]
    return Cipher(algorithms.AES(key), CFB(boots.to_bytes(4, "big") + now.to_bytes(4, "big") + salt))


@lru_cache(maxsize=256)
def _keys(auth_oid: tuple[int, ...], auth_key: str | None, priv_oid: tuple[int, ...], priv_key: str | None,
          engine_id: bytes) -> tuple[bytes | None, Any]:  # fmt: skip
    """Localised (auth key, priv key) for one engine: a hash of the passphrases' keys with its id."""
    auth = priv = None
    engine = univ.OctetString(engine_id)
    if auth_key:
        service = SnmpUSMSecurityModel.AUTH_SERVICES[auth_oid]
        auth = bytes(service.localize_key(_hashed(auth_oid, None, auth_key), engine))
        if priv_key:
            cipher = SnmpUSMSecurityModel.PRIV_SERVICES[priv_oid]
            priv = cipher.localize_key(auth_oid, _hashed(auth_oid, priv_oid, priv_key), engine)
    return auth, priv


@lru_cache(maxsize=64)
def _hashed(auth_oid: tuple[int, ...], priv_oid: tuple[int, ...] | None, passphrase: str) -> Any:
    """A passphrase's key (RFC 3414: a megabyte of digest, 20 ms here), whatever the engine: once
    per credential in a run, not once per device."""
    if priv_oid is None:
        return SnmpUSMSecurityModel.AUTH_SERVICES[auth_oid].hash_passphrase(passphrase)
    return SnmpUSMSecurityModel.PRIV_SERVICES[priv_oid].hash_passphrase(auth_oid, passphrase)


class UsmTarget:
    """One SNMPv3 user on one device: what USM learnt about the device's engine, and the keys."""

    def __init__(self, user: str, auth: str, auth_oid: tuple[int, ...], auth_key: str | None,
                 priv_oid: tuple[int, ...], priv_key: str | None) -> None:  # fmt: skip
        self.user = user.encode()
        self.auth_oid, self.auth_key, self.priv_oid, self.priv_key = auth_oid, auth_key, priv_oid, priv_key
        self.hash = _HASHES[auth] if auth_key else None
        size = SnmpUSMSecurityModel.AUTH_SERVICES[auth_oid].digest_length if auth_key else 0
        self.digest_size: int = size() if callable(size) else size  # a method in some services, a property in others
        self.flags = (_AUTH if auth_key else 0) | (_PRIV if auth_key and priv_key else 0)
        self.engine_id: bytes | None = None
        self._boots = self._time = 0
        self._synced_at = 0.0
        self._auth_key: bytes | None = None
        self._priv_key: Any = None
        self._aes_size = _aes_key_size(priv_oid) if self.flags & _PRIV else 0
        self._aes_key = b""
        self._mac: Any = None  # HMAC keyed once with the localised key: copied for each message

    def learn(self, message: codec.V3Message) -> None:
        if message.engine_id and message.engine_id != self.engine_id:
            self.engine_id = message.engine_id
            self._auth_key, self._priv_key = _keys(self.auth_oid, self.auth_key, self.priv_oid, self.priv_key,
                                                   message.engine_id)  # fmt: skip
            if self.hash is not None and self._auth_key is not None:
                self._mac = hmac.new(self._auth_key, digestmod=self.hash)
            if self._aes_size:
                self._aes_key = bytes(self._priv_key)[: self._aes_size]
        self._boots, self._time, self._synced_at = message.boots, message.time, time.monotonic()

    def encode(self, msg_id: int, pdu: bytes) -> bytes:
        engine_id = self.engine_id or b""
        if self.engine_id is None:  # discovery: unauthenticated, the report carries the engine's identity
            message, _ = codec.encode_v3(msg_id, _REPORTABLE, b"", 0, 0, b"", 0, b"", codec.scoped_pdu(b"", pdu),
                                         False)  # fmt: skip
            return message
        boots, now = self._boots, self._time + int(time.monotonic() - self._synced_at)
        payload, salt = codec.scoped_pdu(engine_id, pdu), b""
        if self._aes_size:
            salt = (next(_SALTS) % 2**64).to_bytes(8, "big")
            encryptor = _aes(self._aes_key, boots, now, salt).encryptor()
            payload = encryptor.update(payload) + encryptor.finalize()
        elif self.flags & _PRIV:  # DES: pysnmp's service
            cipher = SnmpUSMSecurityModel.PRIV_SERVICES[self.priv_oid]
            encrypted, salt_value = cipher.encrypt_data(self._priv_key, (boots, now, None), payload)
            payload, salt = bytes(encrypted), bytes(salt_value)
        message, at = codec.encode_v3(msg_id, _REPORTABLE | self.flags, engine_id, boots, now, self.user,
                                      self.digest_size, salt, payload, bool(self.flags & _PRIV))  # fmt: skip
        if self.hash is None:
            return message
        digest = self._digest(message)
        return message[:at] + digest + message[at + self.digest_size :]

    def _digest(self, message: bytes) -> bytes:
        mac = self._mac.copy()
        mac.update(message)
        return mac.digest()[: self.digest_size]  # type: ignore[no-any-return]

    def decode(self, data: bytes, message: codec.V3Message) -> codec.Response | errind.ErrorIndication:
        """The answer's PDU, or the error indication of a report or of a message that fails USM."""
        opened = self.open(data, message)
        if isinstance(opened, errind.ErrorIndication):
            return opened
        return self.answer(opened, encrypted=not message.plain)

    def open(self, data: bytes, message: codec.V3Message) -> bytes | errind.ErrorIndication:
        """The scoped PDU of an answer, authenticated and decrypted, or why it cannot be."""
        if message.flags & _AUTH:
            if self.hash is None or len(message.auth) != self.digest_size:
                return errind.wrongDigest
            zeroed = data[: message.auth_at] + b"\x00" * self.digest_size + data[message.auth_at + self.digest_size :]
            expected = self._digest(zeroed)
            if not hmac.compare_digest(expected, message.auth):
                return errind.wrongDigest
        payload = message.payload
        if not message.plain:
            if not message.flags & _PRIV or self._priv_key is None:
                return errind.decryptionError
            cipher = SnmpUSMSecurityModel.PRIV_SERVICES[self.priv_oid]
            try:
                if self._aes_size:
                    if len(message.priv) != 8:
                        return errind.decryptionError
                    decryptor = _aes(self._aes_key, message.boots, message.time, message.priv).decryptor()
                    return decryptor.update(payload) + decryptor.finalize()
                parameters = (message.boots, message.time, univ.OctetString(message.priv))
                payload = bytes(cipher.decrypt_data(self._priv_key, parameters, univ.OctetString(payload)))
            except (proto_error.StatusInformation, PySnmpError, ValueError):
                return errind.decryptionError
        return payload

    @staticmethod
    def answer(payload: bytes, *, encrypted: bool) -> codec.Response | errind.ErrorIndication:
        """What an opened scoped PDU says: a response, or the error indication of a report."""
        try:
            answer = codec.decode_scoped_pdu(payload)
        except codec.CodecError:  # garbage after decryption: a wrong privacy key on our side
            return errind.decryptionError if encrypted else errind.parseError
        if answer.kind == codec.REPORT:
            name = answer.varbinds[0][0] if answer.varbinds else ()
            if name[: len(_USM_STATS)] == _USM_STATS and len(name) > len(_USM_STATS):
                return _REPORTS.get(name[len(_USM_STATS)], errind.reportPduReceived)
            if name[:10] == (1, 3, 6, 1, 6, 3, 15, 1, 1, 4):
                return errind.unknownEngineID
            return errind.reportPduReceived
        return answer
