"""Audiences and what each may see: one policy, applied where data is loaded.

Three audiences read the same data:

- ``staff``: everything.
- ``funder``: no email or phone; alumni are named only with ``consent_directory``.
- ``public``: no contact data; alumni are named only with ``consent_public``;
  groups of fewer than :data:`MIN_GROUP` people are folded together in tables
  and maps (:func:`fold_small_groups`).

What each audience may see is one table, :data:`POLICIES`, read as
``audience.may``: pages, exports and the command line ask it instead of
comparing names. An audience's name and its rules are shown translated
(``audience.label``, ``audience.may.describe()``); its value stays the key.
Everyone not named gets a stable pseudonym such as ``Alum 7F3A``: a keyed
hash of their ID, so it reveals nothing about them (the same in every
language: redacted tables are shared by both).
:func:`redact` returns tables from which the hidden columns and names are
*absent*, so no page or export built on them can leak what it never received;
:func:`redact_dataset` does the same for a loaded dataset, rows set aside and
problems included.

>>> import pandas as pd
>>> alumni = pd.DataFrame({"alum_id": ["A1", "A2"], "name": ["Haruka Sato", "Kenta Abe"],
...     "name_local": ["佐藤 遥", "阿部 健太"], "email": ["h@x.org", "k@x.org"], "phone": ["1", "2"],
...     "city": ["Sendai", "Tokyo"], "role": ["Founder", "Student"],
...     "organization_id": ["", ""], "consent_directory": [True, True],
...     "consent_public": [True, False]})
>>> public = redact_alumni(alumni, Audience.PUBLIC, key=b"k")
>>> public["name"].tolist()[0], public["name"].tolist()[1].startswith("Alum "), "email" in public
('Haruka Sato', True, False)
>>> Audience.parse("Funder").may.list_people, Audience.PUBLIC.may.list_people
(True, False)
>>> from analytics import i18n
>>> with i18n.speaking("ja"):
...     Audience.FUNDER.label == i18n._("funder")
True
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from pathlib import Path

import pandas as pd

from analytics.i18n import N_, _

MIN_GROUP = 5

CONTACT_COLUMNS = ("email", "phone")
# Columns that could point to a person who did not consent to be named.
PERSONAL_COLUMNS = ("name_local", "city", "role")


@dataclass(frozen=True)
class Policy:
    """What one audience may see."""

    consent: str | None  # the consent column that lets a person be named; None: everyone is
    contact_details: bool  # email and phone
    partnership_notes: bool  # free text that may name people
    list_people: bool  # the directory's list and profiles
    small_groups: bool  # a count of fewer than MIN_GROUP people shown on its own
    reengagement_list: bool  # alumni with no active tie, by name
    data_health: bool  # rows set aside as read, the problems found, the Data health page
    description: str  # the rules in words (marked for translation): see describe()

    def describe(self) -> str:
        """The rules in words, in the current language, for footers and legends."""
        return _(self.description, minimum=MIN_GROUP)


class Audience(StrEnum):
    """Who a page, a file or a command's output is for."""

    # The values are keys; marked so that their names are shown translated (label).
    STAFF = N_("staff")
    FUNDER = N_("funder")
    PUBLIC = N_("public")

    @classmethod
    def parse(cls, value: str | None) -> Audience:
        """An audience from text such as ``KIZUNA_AUDIENCE``; anything unknown or unset is public.

        >>> [str(Audience.parse(v)) for v in ("Staff", None, "admin")]
        ['staff', 'public', 'public']
        """
        try:
            return cls((value or "").strip().lower())
        except ValueError:
            return cls.PUBLIC

    @property
    def label(self) -> str:
        """The audience's name in the current language (スタッフ, 助成団体, 一般公開)."""
        return _(self.value)

    @property
    def may(self) -> Policy:
        """This audience's policy."""
        return POLICIES[self]


POLICIES = {
    Audience.STAFF: Policy(
        consent=None, contact_details=True, partnership_notes=True, list_people=True,
        small_groups=True, reengagement_list=True, data_health=True,
        description=N_("Staff view: everyone is named, contact details included. Do not show it "
                       "to anyone outside the program staff.")),
    Audience.FUNDER: Policy(
        consent="consent_directory", contact_details=False, partnership_notes=False,
        list_people=True, small_groups=True, reengagement_list=False, data_health=False,
        description=N_("Funder view: alumni are named only with their consent to the directory; "
                       "others appear under a pseudonym such as \u201cAlum 7F3A\u201d. No "
                       "contact data.")),
    Audience.PUBLIC: Policy(
        consent="consent_public", contact_details=False, partnership_notes=False,
        list_people=False, small_groups=False, reengagement_list=False, data_health=False,
        description=N_("Public view: alumni are named only with their consent to public use; "
                       "others appear under a pseudonym such as \u201cAlum 7F3A\u201d. No "
                       "contact data; groups of fewer than {minimum} people are counted "
                       "together.")),
}
assert set(POLICIES) == set(Audience)


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


def made_for(audience: Audience, by: str | None = None) -> str:
    """The footer line of a file, in the current language: whom it was made for, by whom (a
    signed-in staff member), and the rules that applied.

    >>> made_for(Audience.PUBLIC).startswith("Made for the public audience. Public view:")
    True
    >>> made_for(Audience.FUNDER, by="Haruka Sato").startswith("Made for the funder audience by Haruka Sato.")
    True
    """
    audience = Audience(audience)
    rules = audience.may.describe()
    if by:
        return _("Made for the {audience} audience by {maker}. {rules}", audience=audience.label,
                 maker=by, rules=rules)
    return _("Made for the {audience} audience. {rules}", audience=audience.label, rules=rules)


def redact_alumni(alumni: pd.DataFrame, audience: Audience, key: bytes) -> pd.DataFrame:
    """The alumni table as an audience may receive it.

    Contact columns are dropped unless the policy allows them. Alumni
    without the audience's consent are renamed to their pseudonym, and their
    local name, city and role are blanked; where small groups are folded (the
    public), they also lose the link to their organization.
    """
    policy = audience.may
    out = alumni if policy.contact_details else \
        alumni.drop(columns=[c for c in CONTACT_COLUMNS if c in alumni])
    if policy.consent is None:
        return out
    out = out.copy()
    hidden = ~out[policy.consent].astype(bool)
    out.loc[hidden, "name"] = pseudonyms(out.loc[hidden, "alum_id"], key)
    for column in PERSONAL_COLUMNS:
        if column in out:
            out.loc[hidden, column] = ""
    if not policy.small_groups:
        out.loc[hidden, "organization_id"] = ""
    return out


def redact(tables: dict[str, pd.DataFrame], audience: Audience) -> dict[str, pd.DataFrame]:
    """Every table as an audience may receive it (see the module's rules).

    Partnership notes are free text that may name people: they go only to
    audiences whose policy allows them. Organizations, projects and funding
    are about institutions and work, not people, and pass unchanged; a
    project's lead is shown through the redacted alumni table.
    """
    policy = Audience(audience).may
    if policy.consent is None and policy.contact_details and policy.partnership_notes:
        return tables
    partnerships = tables["partnerships"]
    introductions = tables.get("introductions")
    if not policy.partnership_notes:
        partnerships = partnerships.assign(note="")
        if introductions is not None:  # who on the staff made it, and notes that may name people
            introductions = introductions.assign(note="", made_by="")
    redacted = {**tables, "alumni": redact_alumni(tables["alumni"], Audience(audience),
                                                  pseudonym_key()),
                "partnerships": partnerships}
    if introductions is not None:
        redacted["introductions"] = introductions
    return redacted


def outcomes_shown_to(audience: Audience, outcomes: pd.DataFrame) -> pd.DataFrame:
    """Outcomes by cohort (:func:`analytics.impact.outcomes.outcomes_by_cohort`) as an audience
    may see them: where small groups may not be shown, a mean or change resting on fewer than
    MIN_GROUP answers is left out (it would be one or two people's own answers) and says so.

    >>> f = pd.DataFrame({"answered": [12, 2], "paired": [10, 2], "mean": [3.5, 4.0],
    ...                   "change": [0.5, 1.0], "caution": ["", "few answered"]})
    >>> outcomes_shown_to(Audience.PUBLIC, f)[["mean", "change"]].values.tolist()
    [[3.5, 0.5], [nan, nan]]
    """
    if Audience(audience).may.small_groups or outcomes.empty:
        return outcomes
    few_answered = outcomes["answered"] < MIN_GROUP
    few_paired = outcomes["paired"] < MIN_GROUP
    return outcomes.assign(
        mean=outcomes["mean"].mask(few_answered),
        change=outcomes["change"].mask(few_answered | few_paired),
        caution=outcomes["caution"].mask(few_answered, _("fewer than {minimum} answered: not "
                                                        "shown", minimum=MIN_GROUP)))


def redact_dataset(dataset, audience: Audience):
    """A loaded :class:`~analytics.data.loader.Dataset` as an audience may receive it.

    Its tables are redacted; the rows set aside (as read, names and contact
    details included) and the problems are kept only for audiences that may
    see data health. The fingerprint stays the content's; the result's
    ``audience`` says whom it was made for. A dataset already redacted can be
    redacted further (funder to public), never loosened.
    """
    audience = Audience(audience)
    if audience is dataset.audience:
        return dataset
    order = list(Audience)  # from the audience that sees most to the one that sees least
    if order.index(audience) < order.index(dataset.audience):  # a programming error: English
        raise ValueError(f"data redacted for the {dataset.audience} audience cannot be shown to "
                         f"the {audience} audience, who may see more")
    health = audience.may.data_health
    return dataclasses.replace(
        dataset, audience=audience, tables=redact(dataset.tables, audience),
        rejected=dataset.rejected if health else
        {name: rows.iloc[0:0] for name, rows in dataset.rejected.items()},
        problems=dataset.problems if health else [])


def fold_small_groups(frame: pd.DataFrame, group: str, count: str, other: str | None = None,
                      minimum: int = MIN_GROUP, keys: list[str] | None = None) -> pd.DataFrame:
    """Fold rows whose ``count`` is below ``minimum`` into one ``other`` row per key.

    So that a group of fewer than five people is never shown on its own.
    ``other`` is by default "Other" in the current language.
    ``keys`` are the columns the folded rows keep apart (by default every
    column but ``group`` and ``count``; ``[]`` folds them all into one row,
    whose other columns are left blank). When the folded rows still add up to
    fewer than ``minimum``, their total is dropped too.

    >>> f = pd.DataFrame({"country": ["JP", "KR", "TH", "SG"], "alumni": [120, 3, 2, 1]})
    >>> fold_small_groups(f, "country", "alumni").values.tolist()
    [['JP', 120], ['Other', 6]]
    """
    keys = [c for c in frame.columns if c not in (group, count)] if keys is None else keys
    small = frame[count] < minimum
    kept = frame[~small]
    folded = frame[small]
    if folded.empty:
        return frame
    if keys:
        folded = folded.groupby(keys, as_index=False)[count].sum()
    else:
        folded = pd.DataFrame({count: [folded[count].sum()]})
    folded = folded[folded[count] >= minimum].assign(**{group: _("Other") if other is None
                                                        else other})
    return pd.concat([kept, folded.reindex(columns=frame.columns)], ignore_index=True)


def groups_shown_to(audience: Audience, frame: pd.DataFrame, group: str, count: str,
                    **options) -> pd.DataFrame:
    """Counts of people by group as ``audience`` may see them: small groups folded unless the
    policy allows them (see :func:`fold_small_groups` for ``options``)."""
    if audience.may.small_groups:
        return frame
    return fold_small_groups(frame, group, count, **options)
