"""Audiences and what each may see: redaction applied where data is loaded.

Three audiences read the same data:

- ``staff``: everything.
- ``funder``: no email or phone; alumni are named only with ``consent_directory``.
- ``public``: no contact data; alumni are named only with ``consent_public``;
  groups of fewer than :data:`MIN_GROUP` people are folded together in tables
  and maps (:func:`fold_small_groups`).

Everyone not named gets a stable pseudonym such as ``Alum 7F3A``: a keyed hash
of their ID, so it reveals nothing about them. :func:`redact` returns tables
from which the hidden columns and names are *absent*, so no page or export
built on them can leak what it never received.

>>> import pandas as pd
>>> alumni = pd.DataFrame({"alum_id": ["A1", "A2"], "name": ["Haruka Sato", "Kenta Abe"],
...     "name_local": ["佐藤 遥", "阿部 健太"], "email": ["h@x.org", "k@x.org"], "phone": ["1", "2"],
...     "city": ["Sendai", "Tokyo"], "role": ["Founder", "Student"],
...     "organization_id": ["", ""], "consent_directory": [True, True],
...     "consent_public": [True, False]})
>>> public = redact_alumni(alumni, "public", key=b"k")
>>> public["name"].tolist()[0], public["name"].tolist()[1].startswith("Alum "), "email" in public
('Haruka Sato', True, False)
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from functools import lru_cache
from pathlib import Path

import pandas as pd

AUDIENCES = ("staff", "funder", "public")
DEFAULT_AUDIENCE = "public"
MIN_GROUP = 5

CONTACT_COLUMNS = ("email", "phone")
# Columns that could point to a person who did not consent to be named.
PERSONAL_COLUMNS = ("name_local", "city", "role")
CONSENT_FOR = {"funder": "consent_directory", "public": "consent_public"}
PASSWORD_SCHEME = "pbkdf2_sha256"
PASSWORD_ITERATIONS = 390_000


def audience_from_env(value: str | None) -> str:
    """The server's audience from ``KIZUNA_AUDIENCE``; anything unknown or unset means public.

    >>> audience_from_env("Staff"), audience_from_env(None), audience_from_env("admin")
    ('staff', 'public', 'public')
    """
    value = (value or "").strip().lower()
    return value if value in AUDIENCES else DEFAULT_AUDIENCE


@lru_cache(maxsize=1)
def pseudonym_key() -> bytes:
    """The secret key behind pseudonyms, the same for every audience and every run.

    ``KIZUNA_PSEUDONYM_KEY`` when set; otherwise a random key kept in
    ``$XDG_STATE_HOME/kizuna/pseudonym.key`` (``~/.local/state`` by default),
    made on first use and readable by its owner only. If that cannot be
    written, a random key for this process: pseudonyms then hold until a restart.
    """
    configured = os.environ.get("KIZUNA_PSEUDONYM_KEY")
    if configured:
        return configured.encode()
    state = Path(os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state")
    path = state / "kizuna" / "pseudonym.key"
    try:
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as f:
                f.write(secrets.token_hex(32))
        return path.read_text().strip().encode()
    except OSError:
        return secrets.token_bytes(32)


def pseudonyms(ids: pd.Series, key: bytes) -> pd.Series:
    """A stable ``Alum XXXX`` name for each ID: four hex digits of a keyed hash, more on a clash."""
    digests = {i: hmac.new(key, str(i).encode(), hashlib.sha256).hexdigest().upper()
               for i in ids.unique()}
    length = 4
    while True:
        short = {i: d[:length] for i, d in digests.items()}
        if len(set(short.values())) == len(short) or length >= 16:
            break
        length += 2
    return ids.map(lambda i: f"Alum {short[i]}")


def redact_alumni(alumni: pd.DataFrame, audience: str, key: bytes) -> pd.DataFrame:
    """The alumni table as an audience may receive it.

    Contact columns are dropped for funder and public. Alumni without the
    audience's consent are renamed to their pseudonym, and their local name,
    city and role are blanked; public audiences also lose the link to their
    organization.
    """
    if audience == "staff":
        return alumni
    out = alumni.drop(columns=[c for c in CONTACT_COLUMNS if c in alumni])
    hidden = ~out[CONSENT_FOR[audience]].astype(bool)
    out.loc[hidden, "name"] = pseudonyms(out.loc[hidden, "alum_id"], key)
    for column in PERSONAL_COLUMNS:
        if column in out:
            out.loc[hidden, column] = ""
    if audience == "public":
        out.loc[hidden, "organization_id"] = ""
    return out


def redact(tables: dict[str, pd.DataFrame], audience: str) -> dict[str, pd.DataFrame]:
    """Every table as an audience may receive it (see the module's rules).

    Partnership notes are free text that may name people, so only staff get
    them. Organizations, projects and funding are about institutions and
    work, not people, and pass unchanged; a project's lead is shown through
    the redacted alumni table.
    """
    if audience not in AUDIENCES:
        raise ValueError(f"audience must be one of {AUDIENCES}")
    if audience == "staff":
        return tables
    key = pseudonym_key()
    partnerships = tables["partnerships"].assign(note="")
    return {**tables, "alumni": redact_alumni(tables["alumni"], audience, key),
            "partnerships": partnerships}


def fold_small_groups(frame: pd.DataFrame, group: str, count: str, other: str = "Other",
                      minimum: int = MIN_GROUP) -> pd.DataFrame:
    """Fold rows whose ``count`` is below ``minimum`` into one ``other`` row per remaining key.

    Used for public audiences, so that a group of fewer than five people is
    never shown on its own. When the folded rows still add up to fewer than
    ``minimum``, their total is dropped too.

    >>> f = pd.DataFrame({"country": ["JP", "KR", "TH", "SG"], "alumni": [120, 3, 2, 1]})
    >>> fold_small_groups(f, "country", "alumni").values.tolist()
    [['JP', 120], ['Other', 6]]
    """
    keys = [c for c in frame.columns if c not in (group, count)]
    small = frame[count] < minimum
    kept = frame[~small]
    folded = frame[small]
    if folded.empty:
        return frame
    if keys:
        folded = folded.groupby(keys, as_index=False)[count].sum()
    else:
        folded = pd.DataFrame({count: [folded[count].sum()]})
    folded = folded[folded[count] >= minimum].assign(**{group: other})
    return pd.concat([kept, folded[frame.columns]], ignore_index=True)


def hash_password(password: str, salt: bytes | None = None,
                  iterations: int = PASSWORD_ITERATIONS) -> str:
    """A staff password hash for ``.streamlit/secrets.toml`` (``staff_password_hash``).

    >>> stored = hash_password("correct horse", salt=b"0" * 16, iterations=1000)
    >>> check_password("correct horse", stored), check_password("wrong", stored)
    (True, False)
    """
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
