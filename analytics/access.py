"""Staff passwords: salted PBKDF2 hashes, checked in constant time.

>>> stored = hash_password("correct horse", salt=b"0" * 16, iterations=1000)
>>> check_password("correct horse", stored), check_password("wrong", stored)
(True, False)
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

PASSWORD_SCHEME = "pbkdf2_sha256"
PASSWORD_ITERATIONS = 390_000


def hash_password(password: str, salt: bytes | None = None,
                  iterations: int = PASSWORD_ITERATIONS) -> str:
    """A salted hash of a staff password, for ``.streamlit/secrets.toml``."""
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, iterations)
    return f"{PASSWORD_SCHEME}${iterations}${salt.hex()}${digest.hex()}"


def check_password(password: str, stored: str) -> bool:
    """Whether a password matches a stored hash, compared in constant time."""
    try:
        scheme, iterations, salt, expected = stored.split("$")
        if scheme != PASSWORD_SCHEME:
            return False
        digest = hashlib.pbkdf2_hmac("sha256", password.encode(), bytes.fromhex(salt),
                                     int(iterations))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(digest.hex(), expected)
