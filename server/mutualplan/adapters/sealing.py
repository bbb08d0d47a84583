"""Secrets at rest and in transit through the browser: Fernet (AES-CBC + HMAC) with MUTUALPLAN_SECRET_KEY.

Every sealed value carries one purpose, and is opened only for that purpose: a Connect ticket is no
unsubscribe link, a timeline link no OAuth state."""

from __future__ import annotations

import json
from typing import Any

from cryptography.fernet import Fernet, InvalidToken

from mutualplan.errors import InputError, SecretKeyError

VERSION = 1  # what a sealed value's data means; a change to it is a new version, and older ones are refused


class FernetSealer:
    """Encrypts and authenticates small values; nothing sealed can be read or forged without the key.
    A server with no key works until something must be sealed, then says what to set."""

    def __init__(self, key: str) -> None:
        self._key = key

    @property
    def _fernet(self) -> Fernet:
        if not self._key:
            raise SecretKeyError("the server has no MUTUALPLAN_SECRET_KEY: its administrator must set one")
        try:
            return Fernet(self._key.encode())
        except ValueError as exc:
            raise SecretKeyError(
                "MUTUALPLAN_SECRET_KEY is not a Fernet key: make one with mutualplan secret-key"
            ) from exc

    def encrypt(self, text: str) -> str:
        """A secret as stored (a refresh token)."""
        return self._fernet.encrypt(text.encode()).decode()

    def decrypt(self, sealed: str) -> str:
        """A stored secret back."""
        try:
            return self._fernet.decrypt(sealed.encode()).decode()
        except InvalidToken as exc:
            raise SecretKeyError("a stored secret can't be read: was MUTUALPLAN_SECRET_KEY changed?") from exc

    def seal(self, purpose: str, data: dict[str, Any]) -> str:
        """Data for one purpose, to hand through the browser and get back unchanged."""
        sealed = {"version": VERSION, "purpose": purpose, "data": data}
        return self._fernet.encrypt(json.dumps(sealed).encode()).decode()

    def unseal(self, purpose: str, sealed: str, max_age_seconds: int) -> dict[str, Any]:
        """Sealed data back, if it is ours, for this purpose, and younger than max_age_seconds."""
        try:
            opened = json.loads(self._fernet.decrypt(sealed.encode(), ttl=max_age_seconds))
        except (InvalidToken, ValueError, RecursionError) as exc:
            raise InputError(
                "this link has expired or was not made by mutualplan: start again from the sidebar"
            ) from exc
        if (
            not isinstance(opened, dict)
            or opened.get("purpose") != purpose
            or not isinstance(opened.get("data"), dict)
        ):
            raise InputError("this link was made for something else: start again from the sidebar")
        data: dict[str, Any] = opened["data"]
        return data


def new_secret_key() -> str:
    """A fresh key for MUTUALPLAN_SECRET_KEY."""
    return Fernet.generate_key().decode()
