"""Google-style ID tokens signed with a local key, and its certificate served where Google serves its own."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any

import responses
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from google.auth import crypt, jwt

CERTS_URL = "https://www.googleapis.com/oauth2/v1/certs"
ADDON_ACCOUNT = "service-123456@gcp-sa-gsuiteaddons.iam.gserviceaccount.com"
SCHEDULER_ACCOUNT = "scheduler@mutualplan-prod.iam.gserviceaccount.com"


@dataclass(frozen=True)
class KeyPair:
    """A signing key and its self-signed certificate."""

    private_pem: bytes
    certificate_pem: str
    key_id: str


@cache
def key_pair(key_id: str = "test-key") -> KeyPair:
    """An RSA key and certificate (made once per test run: RSA keys are slow to make)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, key_id)])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    private = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return KeyPair(private, certificate.public_bytes(serialization.Encoding.PEM).decode(), key_id)


def serve_certificates(mock: responses.RequestsMock) -> None:
    """Answer Google's certificate URL with our key's certificate."""
    pair = key_pair()
    mock.add(responses.GET, CERTS_URL, json={pair.key_id: pair.certificate_pem})


def id_token(audience: str, email: str = ADDON_ACCOUNT, **overrides: Any) -> str:
    """An ID token as Google signs it; overrides change or drop (None) any claim."""
    now = int(time.time())
    claims: dict[str, Any] = {
        "iss": "https://accounts.google.com", "aud": audience, "email": email, "email_verified": True,
        "iat": now, "exp": now + 3600, "sub": "1234567890",
    }  # fmt: skip
    claims.update(overrides)
    claims = {key: value for key, value in claims.items() if value is not None}
    pair = key_pair()
    signer = crypt.RSASigner.from_string(pair.private_pem, pair.key_id)  # type: ignore[no-untyped-call]
    token: bytes = jwt.encode(signer, claims)  # type: ignore[no-untyped-call]
    return token.decode()


def forged_token(audience: str) -> str:
    """A token with every right claim, signed by a key Google never published (same key id)."""
    other = key_pair("forger")
    now = int(time.time())
    claims = {
        "iss": "https://accounts.google.com", "aud": audience, "email": ADDON_ACCOUNT, "email_verified": True,
        "iat": now, "exp": now + 3600,
    }  # fmt: skip
    signer = crypt.RSASigner.from_string(other.private_pem, "test-key")  # type: ignore[no-untyped-call]
    token: bytes = jwt.encode(signer, claims)  # type: ignore[no-untyped-call]
    return token.decode()
