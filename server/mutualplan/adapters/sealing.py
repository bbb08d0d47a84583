"""Secrets at rest and in transit through the browser: Fernet (AES-CBC + HMAC) with MUTUALPLAN_SECRET_KEY."""

from __future__ import annotations

import json
from typing import Any

from cryptography.fernet import Fernet, InvalidToken

from mutualplan.errors import InputError, MutualplanError


class SecretKeyError(MutualplanError):
    """The server has no usable secret key."""


class Sealer:
    """Encrypts and authenticates small values; a sealed value can't be read or forged without the key."""

    def __init__(self, key: str) -> None:
        if not key:
            raise SecretKeyError("the server has no MUTUALPLAN_SECRET_KEY: its administrator must set one")
        try:
            self._fernet = Fernet(key.encode())
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

    def seal(self, data: dict[str, Any]) -> str:
        """Data to hand through the browser and get back unchanged."""
        return self._fernet.encrypt(json.dumps(data).encode()).decode()

    def unseal(self, sealed: str, max_age_seconds: int) -> dict[str, Any]:
        """Sealed data back, if it is ours and younger than max_age_seconds."""
        try:
            data: dict[str, Any] = json.loads(self._fernet.decrypt(sealed.encode(), ttl=max_age_seconds))
        except (InvalidToken, ValueError) as exc:
            raise InputError(
                "this link has expired or was not made by mutualplan: start again from the sidebar"
            ) from exc
        return data


def new_secret_key() -> str:
    """A fresh key for MUTUALPLAN_SECRET_KEY."""
    return Fernet.generate_key().decode()
