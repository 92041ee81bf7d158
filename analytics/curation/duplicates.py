"""Likely duplicate people in the alumni table, and merging two rows into one person.

Staff enter the same person more than once: in a second program or cohort, with an email in
another case, in full-width letters, in katakana instead of hiragana, in romaji in either order,
or once in Latin letters and once in Japanese. :func:`find_duplicates` lists the pairs worth a
look, each with a score and the reasons in words (messages translated when shown);
:func:`merge_people` folds one row into the other and rewrites every reference to it. Both work
on text frames (every cell a ``str``, as :mod:`analytics.data.sources` reads them) and never
change their input.

>>> import pandas as pd
>>> alumni = pd.DataFrame({"alum_id": ["A1", "A2"], "name": ["Haruka Sato", "Sato Haruka"],
...                        "organization_id": ["ORG-ETIC", "ORG-ETIC"]})
>>> find_duplicates(alumni)[["first_id", "second_id", "score"]].to_dict("records")
[{'first_id': 'A1', 'second_id': 'A2', 'score': 0.65}]
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import permutations

import numpy as np
import pandas as pd

from analytics.curation import lazy_list
from analytics.data.schema import LIST_SEPARATOR, TABLES, DistinctEnds, UniqueTogether
from analytics.i18n import Text, _, lazy, lazy_plural, number

COLUMNS = ["first_id", "second_id", "first_name", "second_name", "score", "reasons"]

# Scores: the strongest kind of match is the base; each further piece of evidence adds to it.
SAME_EMAIL = 0.9
SAME_NAME = 0.6  # the same name after folding width, case, kana, punctuation and spaces
ROMANIZED_NAME = 0.5  # the same romaji in any order; counts only when corroborated
NAME_WITH_EMAIL = 0.1  # a matching name on top of a matching email
SAME_ORGANIZATION = 0.15
SAME_CITY = 0.1

# Katakana (ァ..ヶ) to hiragana: the same sounds written two ways.
_KATA_TO_HIRA = {code: code - 0x60 for code in range(0x30A1, 0x30F7)}
_APOSTROPHES = {ord(c): None for c in "'’‘`´"}
_JAPANESE = re.compile("[\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3005]")
_ROMAJI_TOKEN = re.compile("[a-z0-9]+")
_OH_BEFORE_CONSONANT = re.compile("oh(?=[^aeiouy])")
_M_BEFORE_LABIAL = re.compile("m(?=[bmp])")
# Names with more words than this are keyed in their own and reversed order only.
_MAX_PERMUTED_WORDS = 4


def fold_name(text: str) -> str:
    """Fold a name so that ways of typing the same name compare equal.

    NFKC (full- and half-width letters alike), case folding, katakana as hiragana, apostrophes
    dropped, other punctuation and symbols as spaces, and runs of spaces as one.

    Parameters
    ----------
    text : str
        A name in any script.

    Returns
    -------
    str
        The folded name, words separated by single spaces ("" for a blank name).

    Examples
    --------
    >>> fold_name("ＳＡＴＯ　Ｈａｒｕｋａ")
    'sato haruka'
    >>> fold_name("サトウ・ハルカ") == fold_name("さとう はるか")
    True
    """
    text = unicodedata.normalize("NFKC", text).casefold().translate(_KATA_TO_HIRA)
    text = text.translate(_APOSTROPHES)
    kept = [" " if unicodedata.category(ch)[0] in "PSZC" else ch for ch in text]
    return " ".join("".join(kept).split())


def fold_romaji(token: str) -> str:
    """Fold one romaji word so that the usual spellings of its long vowels compare equal.

    Macrons and other accents are stripped (NFKD), then ``ou`` and ``oo`` become ``o``, ``uu``
    becomes ``u``, and ``oh`` becomes ``o`` at the end of the word or before a consonant
    (passport spellings such as Satoh, Ohno). ``m`` before ``b``, ``m`` or ``p`` becomes ``n``
    (Homma, Honma).

    Parameters
    ----------
    token : str
        One word in Latin letters.

    Returns
    -------
    str
        The folded word, lower case.

    Examples
    --------
    >>> {fold_romaji(t) for t in ("Satou", "Satō", "Sato", "Satoh", "SATOH")}
    {'sato'}
    >>> fold_romaji("Yuuko"), fold_romaji("Oono"), fold_romaji("Ohno"), fold_romaji("Homma")
    ('yuko', 'ono', 'ono', 'honma')
    """
    text = unicodedata.normalize("NFKD", token.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("ou", "o").replace("uu", "u").replace("oo", "o")
    text = _OH_BEFORE_CONSONANT.sub("o", text)
    if text.endswith("oh"):
        text = text[:-1]
    return _M_BEFORE_LABIAL.sub("n", text)


@functools.cache
def _kakasi():
    import pykakasi  # imported on first use: building its dictionary takes about half a second

    return pykakasi.kakasi()


def _romanize_word(word: str) -> str | None:
    """One word in Japanese script as Hepburn romaji, or None when some of it has no reading."""
    segments = _kakasi().convert(word)
    if "".join(s["orig"] for s in segments) != word:
        return None
    text = "".join(s["hepburn"] for s in segments).casefold()
    return text if _ROMAJI_TOKEN.fullmatch(text) else None


@functools.lru_cache(maxsize=65536)
def romaji_words(text: str) -> tuple[str, ...] | None:
    """The words of a name in folded romaji, romanizing Japanese script with pykakasi.

    Each word the name is typed with stays one word (佐藤遥, typed without a space, is one).
    Latin words are folded with :func:`fold_romaji`; words in kanji or kana are first read as
    Hepburn romaji. A name with a word that cannot be read that way (Hangul, Thai, a character
    outside the dictionary) has no romaji.

    Parameters
    ----------
    text : str
        A name in any script.

    Returns
    -------
    tuple of str or None
        The folded romaji words in the name's order, or None.

    Examples
    --------
    >>> romaji_words("佐藤 遥"), romaji_words("Haruka SATOH"), romaji_words("サトウ ハルカ")
    (('sato', 'haruka'), ('haruka', 'sato'), ('sato', 'haruka'))
    >>> romaji_words("김 지우") is None
    True
    """
    words = []
    for word in fold_name(text).split():
        if _JAPANESE.search(word):
            romaji = _romanize_word(word)
            if romaji is None:
                return None
            word = romaji
        folded = fold_romaji(word)
        if not _ROMAJI_TOKEN.fullmatch(folded):
            return None
        words.append(folded)
    return tuple(words) or None


def _romaji_keys(words: tuple[str, ...]) -> set[str]:
    """The name's words run together in every order (so a name typed without spaces matches)."""
    if len(words) <= _MAX_PERMUTED_WORDS:
        return {"".join(p) for p in permutations(words)}
    return {"".join(words), "".join(reversed(words))}


@dataclass(frozen=True)
class _Form:
    """One way a person's name is written (their name or name_local)."""

    text: str
    exact: str  # folded, spaces removed
    words: tuple[str, ...] | None  # folded romaji
    romanized: bool  # the romaji were read from Japanese script
    keys: frozenset[str]  # the romaji words run together in every order


def _cells(frame: pd.DataFrame, column: str) -> list[str]:
    if column not in frame.columns:
        return [""] * len(frame)
    return ["" if not isinstance(v, str) else v.strip() for v in frame[column].tolist()]


def find_duplicates(alumni: pd.DataFrame, dismissed: Iterable[tuple[str, str]] = ()) -> pd.DataFrame:
    """Pairs of alumni rows that are likely the same person, across programs and cohorts.

    Two rows with different ``alum_id`` are a pair when they share:

    - an email (trimmed, case-insensitive; a blank email or one without ``@`` never matches);
    - a name after :func:`fold_name` with spaces removed (width, case, kana, punctuation), found
      in ``name`` or ``name_local`` of either row;
    - or, only when corroborated by the same ``organization_id``, email or city, the same name
      in romaji in any word order (:func:`romaji_words`): "Sato Haruka" and "Haruka Sato", or
      佐藤 遥 read as Haruka Sato. Readings of kanji names are ambiguous, so this alone is weak.

    Only rows sharing an email, folded name or romaji key are ever compared, and each distinct
    name is romanized once.

    The score is the strongest match's base, plus a bonus for each further piece of evidence,
    capped at 1.0 and rounded to two places:

    - base: same email 0.9, else same folded name 0.6, else romanized or reordered name 0.5;
    - +0.1 for a matching name (folded or romaji) on top of a matching email;
    - +0.15 for the same organization_id, +0.1 for the same city (both case-insensitive).

    So an email with the same organization scores 1.0, a folded name alone 0.6 and a romanized
    name in the same city 0.6.

    Parameters
    ----------
    alumni : pandas.DataFrame
        The alumni table as text (every cell a str, "" for blank), columns named as in the
        schema; missing columns count as blank. The index is ignored.
    dismissed : iterable of (str, str)
        Pairs of alum IDs a person has already judged different, in either order; left out.

    Returns
    -------
    pandas.DataFrame
        Columns ``first_id``, ``second_id`` (``first_id < second_id``), ``first_name``,
        ``second_name`` (``name``, else ``name_local``), ``score`` and ``reasons`` (one
        :class:`~analytics.i18n.Text` per pair, the reasons joined by "; ": ``str()`` it in the
        language to show), sorted by score (highest first), then IDs. Empty, with these
        columns, when there are no pairs.

    Examples
    --------
    >>> alumni = pd.DataFrame({
    ...     "alum_id": ["A1", "A2", "A3"],
    ...     "name": ["Haruka Sato", "", "Kenta Abe"],
    ...     "name_local": ["", "佐藤 遥", ""],
    ...     "city": ["Ishinomaki", "ishinomaki", "Ishinomaki"]})
    >>> pairs = find_duplicates(alumni)
    >>> pairs[["first_id", "second_id", "score"]].to_dict("records")
    [{'first_id': 'A1', 'second_id': 'A2', 'score': 0.6}]
    >>> str(pairs.iloc[0]["reasons"])
    'romanized 佐藤 遥 reads as Haruka Sato; same city Ishinomaki'
    >>> len(find_duplicates(alumni, dismissed=[("A2", "A1")]))
    0
    """
    ids = _cells(alumni, "alum_id")
    names, locals_ = _cells(alumni, "name"), _cells(alumni, "name_local")
    email_text = _cells(alumni, "email")
    org_text, city_text = _cells(alumni, "organization_id"), _cells(alumni, "city")
    emails = _codes([e.casefold() if "@" in e else "" for e in email_text])
    orgs = _codes([o.casefold() for o in org_text])
    cities = _codes([_fold_cached(c) for c in city_text])

    # Blocking: only rows that share an email, a folded name or a romaji key are compared.
    signatures: dict[tuple[_Form, ...], int] = {}
    signature = np.empty(len(ids), dtype=np.int64)
    block_keys, block_rows = [], []
    for row, (alum_id, email) in enumerate(zip(ids, emails, strict=True)):
        forms = tuple(f for f in (_form(names[row]), _form(locals_[row])) if f is not None)
        signature[row] = signatures.setdefault(forms, len(signatures))
        if not alum_id:
            continue
        keys = {"n" + f.exact for f in forms} | {"r" + k for f in forms for k in f.keys}
        if email >= 0:
            keys.add(f"e{email}")
        block_keys.extend(keys)
        block_rows.extend([row] * len(keys))
    blocks = pd.DataFrame({"key": block_keys, "row": np.array(block_rows, dtype=np.int64)})
    joined = blocks.merge(blocks, on="key")
    joined = joined[joined["row_x"] < joined["row_y"]]
    n = max(len(ids), 1)
    pairs = np.unique(joined["row_x"].to_numpy() * n + joined["row_y"].to_numpy())
    first, second = pairs // n, pairs % n

    # Order each pair by ID, and leave out pairs of one ID and dismissed pairs.
    id_codes, id_values = pd.factorize(pd.Series(ids, dtype=object), sort=True)
    swap = id_codes[first] > id_codes[second]
    first, second = np.where(swap, second, first), np.where(swap, first, second)
    keep = id_codes[first] != id_codes[second]
    skip = {tuple(sorted((str(a).strip(), str(b).strip()))) for a, b in dismissed}
    if skip:
        keep &= np.array([(ids[i], ids[j]) not in skip for i, j in zip(first.tolist(), second.tolist(),
                                                                         strict=True)], dtype=bool)
    first, second = first[keep], second[keep]

    same_email = (emails[first] >= 0) & (emails[first] == emails[second])
    same_org = (orgs[first] >= 0) & (orgs[first] == orgs[second])
    same_city = (cities[first] >= 0) & (cities[first] == cities[second])
    forms_of = list(signatures)
    names_matched: dict[tuple[int, int], tuple[Text | None, bool]] = {}
    for pair in set(zip(signature[first].tolist(), signature[second].tolist(), strict=True)):
        names_matched[pair] = _name_match(forms_of[pair[0]], forms_of[pair[1]])
    matched = [names_matched[pair] for pair in
               zip(signature[first].tolist(), signature[second].tolist(), strict=True)]
    named = np.array([reason is not None for reason, _same in matched], dtype=bool)
    exact = np.array([same for _reason, same in matched], dtype=bool)
    found = same_email | exact | (named & (same_org | same_city))

    score = np.where(same_email, SAME_EMAIL + np.where(named, NAME_WITH_EMAIL, 0.0),
                     np.where(exact, SAME_NAME, ROMANIZED_NAME))
    score = score + np.where(same_org, SAME_ORGANIZATION, 0.0) + np.where(same_city, SAME_CITY, 0.0)
    score = np.round(np.minimum(score, 1.0), 2)
    order = np.flatnonzero(found)
    order = order[np.lexsort((id_codes[second[order]], id_codes[first[order]], -score[order]))]
    rows = []
    for k, i, j, by_email, by_org, by_city, points in zip(
            *(a[order].tolist() for a in (np.arange(len(first)), first, second, same_email, same_org,
                                          same_city, score)), strict=True):
        parts = [lazy("same email {email}", email=email_text[i])] if by_email else []
        if matched[k][0] is not None:
            parts.append(matched[k][0])
        if by_org:
            parts.append(lazy("same organization {organization}", organization=org_text[i]))
        if by_city:
            parts.append(lazy("same city {city}", city=city_text[i]))
        rows.append((ids[i], ids[j], names[i] or locals_[i], names[j] or locals_[j], points,
                     lazy_list(parts, apart=True)))
    if not rows:
        return _empty()
    result = pd.DataFrame(rows, columns=COLUMNS)
    if len(id_values) < len(ids):  # an ID on several rows: keep each pair of IDs once, best first
        result = result.drop_duplicates(["first_id", "second_id"]).reset_index(drop=True)
    return result


def _codes(values: list[str]) -> np.ndarray:
    """Each value's code, equal values alike; blank values -1."""
    codes, _ = pd.factorize(pd.Series(values, dtype=object))
    return np.where(np.array([not v for v in values], dtype=bool), -1, codes)


def _empty() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=float if c == "score" else object) for c in COLUMNS})


@functools.lru_cache(maxsize=65536)
def _fold_cached(text: str) -> str:
    return fold_name(text)


@functools.lru_cache(maxsize=65536)
def _form(text: str) -> _Form | None:
    exact = fold_name(text).replace(" ", "")
    if not exact:
        return None
    words = romaji_words(text)
    keys = frozenset(_romaji_keys(words)) if words else frozenset()
    return _Form(text, exact, words, bool(_JAPANESE.search(text)), keys)


def _name_match(first: tuple[_Form, ...], second: tuple[_Form, ...]) -> tuple[Text | None, bool]:
    """The reason two people's names match (None if they do not), and whether it is a folded
    match."""
    for a in first:
        for b in second:
            if a.exact == b.exact:
                if a.text == b.text:
                    return lazy("same name {name}", name=a.text), True
                return lazy("same name after folding width, case and kana: {first} / {second}",
                            first=a.text, second=b.text), True
    for a in first:
        for b in second:
            if not a.keys & b.keys:
                continue
            if a.romanized and b.romanized:
                return lazy("romanized {first} and {second} both read as {romaji}", first=a.text,
                            second=b.text, romaji=" ".join(a.words)), False
            if a.romanized or b.romanized:
                local, latin = (a, b) if a.romanized else (b, a)
                return lazy("romanized {local} reads as {latin}", local=local.text,
                            latin=latin.text), False
            if a.words == b.words:
                return lazy("same name once romaji long vowels are folded: {first} / {second}",
                            first=a.text, second=b.text), False
            return lazy("same name in another order: {first} / {second}", first=a.text,
                        second=b.text), False
    return None, False


@dataclass(frozen=True)
class Merge:
    """The tables after merging one alum into another, and what changed.

    ``rewritten`` counts every reference to the dropped alum found outside the alumni table
    (each ID cell or list entry), including those a de-duplication or a removed tie then drops;
    ``removed_ties`` counts partnerships that came to join the kept alum to itself;
    ``removed_rows`` the rows of other tables their rules would now refuse (an outcome both
    people answered: the kept alum's answer stays; an introduction of the alum to themself).
    """

    tables: dict[str, pd.DataFrame]
    summary: Text
    rewritten: int
    removed_ties: int
    removed_rows: int = 0


def merge_people(tables: dict[str, pd.DataFrame], keep: str, drop: str) -> Merge:
    """Merge the alum ``drop`` into the alum ``keep``, rewriting every reference to it.

    In copies of the tables: the ``drop`` row leaves alumni after filling the ``keep`` row's
    blank cells (a filled cell is never overwritten); partnerships' ``source_id`` and
    ``target_id`` and projects' ``lead_alum_id`` and ``partner_ids`` that name ``drop`` name
    ``keep`` instead. A project's partner list is de-duplicated in order and never lists its own
    lead; a partnership that now joins ``keep`` to itself is removed (the loader rejects it).
    Tables without a reference are returned as they are; the input frames are not changed.

    Parameters
    ----------
    tables : dict of str to pandas.DataFrame
        Table name to text frame (every cell a str), with an ``alumni`` table.
    keep : str
        The alum ID that stays.
    drop : str
        The alum ID merged into it and removed.

    Returns
    -------
    Merge
        The new tables, a summary (a message translated when shown), the references rewritten
        and the ties removed.

    Raises
    ------
    ValueError
        When ``keep`` and ``drop`` are the same ID, or either is not in the alumni table.

    Examples
    --------
    >>> tables = {
    ...     "alumni": pd.DataFrame({"alum_id": ["A1", "A2"], "name": ["佐藤 遥", "Haruka Sato"],
    ...                             "email": ["", "haruka@example.org"]}),
    ...     "partnerships": pd.DataFrame({"partnership_id": ["P1", "P2"],
    ...                                   "source_id": ["A2", "A2"],
    ...                                   "target_id": ["A1", "ORG-ETIC"]})}
    >>> merged = merge_people(tables, keep="A1", drop="A2")
    >>> print(merged.summary)  # doctest: +NORMALIZE_WHITESPACE
    Merged A2 (Haruka Sato) into A1 (佐藤 遥): 2 references rewritten,
    1 tie to itself removed, 1 blank field filled (email).
    >>> merged.tables["alumni"]["email"].tolist(), merged.tables["partnerships"]["source_id"].tolist()
    (['haruka@example.org'], ['A1'])
    """
    keep, drop = str(keep).strip(), str(drop).strip()
    if keep == drop:
        raise ValueError(_("Cannot merge '{alum}' into itself: choose two different alumni.",
                           alum=keep))
    if "alumni" not in tables or "alum_id" not in tables["alumni"].columns:
        raise ValueError(_("There is no alumni table with an alum_id column to merge in."))
    alumni = tables["alumni"]
    ids = pd.Series(_cells(alumni, "alum_id"), index=alumni.index)
    if not (ids == keep).any():
        raise ValueError(_("No alum with ID '{alum}' (to keep) in the alumni table.", alum=keep))
    if not (ids == drop).any():
        raise ValueError(_("No alum with ID '{alum}' (to drop) in the alumni table.", alum=drop))

    keep_at = ids.index[ids == keep][0]
    drop_rows = alumni.loc[ids == drop]
    names = {alum: _display_name(alumni, at) for alum, at in
             ((keep, keep_at), (drop, drop_rows.index[0]))}
    merged = alumni.loc[ids != drop].copy()
    filled = []
    for column in alumni.columns:
        if column == "alum_id" or not _blank(merged.at[keep_at, column]):
            continue
        value = next((v for v in drop_rows[column] if not _blank(v)), None)
        if value is not None:
            merged.at[keep_at, column] = value
            filled.append(column)

    out = dict(tables)
    out["alumni"] = merged
    rewritten = removed = other_rows = 0
    if "partnerships" in tables:
        out["partnerships"], rewritten, removed = _merge_ties(tables["partnerships"], keep, drop)
    if "projects" in tables:
        out["projects"], count = _merge_projects(tables["projects"], keep, drop)
        rewritten += count
    for name, frame in tables.items():
        if name not in ("alumni", "partnerships", "projects") and name in TABLES:
            out[name], count, dropped = _merge_other(TABLES[name], frame, keep, drop)
            rewritten += count
            other_rows += dropped

    done = [lazy_plural("{count} reference rewritten", "{count} references rewritten", rewritten,
                        count=number(rewritten))]
    if removed:
        done.append(lazy_plural("{count} tie to itself removed", "{count} ties to itself removed",
                                removed, count=number(removed)))
    if other_rows:
        done.append(lazy_plural(
            "{count} row of outcomes or introductions removed (the same answer twice, or an "
            "introduction to themself)",
            "{count} rows of outcomes or introductions removed (the same answer twice, or an "
            "introduction to themself)", other_rows, count=number(other_rows)))
    if filled:
        done.append(lazy_plural("{count} blank field filled ({columns})",
                                "{count} blank fields filled ({columns})", len(filled),
                                count=number(len(filled)), columns=", ".join(filled)))
    summary = lazy("Merged {drop} ({drop_name}) into {keep} ({keep_name}): {done}.", drop=drop,
                   drop_name=names[drop], keep=keep, keep_name=names[keep], done=lazy_list(done))
    return Merge(out, summary, rewritten, removed, other_rows)


def _blank(value) -> bool:
    return not isinstance(value, str) or not value.strip()


def _display_name(alumni: pd.DataFrame, at) -> Text | str:
    """A person's name for a summary: both the romanized name and the name in its own script
    when the row has both, in the order the language puts them (see ``i18n.person``)."""
    name, local = (alumni.at[at, c].strip() if c in alumni.columns and not _blank(alumni.at[at, c])
                   else "" for c in ("name", "name_local"))
    if name and local and name != local:
        # Translators: a person's romanized name and their name in its own script; Japanese
        # puts the name in its own script first.
        return lazy("{name} / {local_name}", name=name, local_name=local)
    return name or local or lazy("no name")


def _merge_other(table, frame: pd.DataFrame, keep: str, drop: str) -> tuple[pd.DataFrame, int, int]:
    """Rewrite ``drop`` to ``keep`` in any other table's columns that name an alum (from the
    schema: outcomes' subjects, introductions' ends), then remove the rows its rules would now
    refuse: two ends that are one person, or a second answer to the same question (keep's own
    row stays)."""
    columns = [c.name for c in table.columns if "alumni" in c.references and c.name in frame]
    hits = pd.concat([frame[c].astype(str).str.strip() == drop for c in columns], axis=1) \
        if columns else pd.DataFrame(index=frame.index)
    if hits.empty or not hits.to_numpy().any():
        return frame, 0, 0
    out = frame.copy()
    for column in columns:
        out.loc[hits[column], column] = keep
    rewritten = int(hits.to_numpy().sum())
    refused = pd.Series(False, index=out.index)
    for rule in table.rules:
        if isinstance(rule, DistinctEnds):
            refused |= out[rule.first].astype(str).str.strip() == out[rule.second].astype(str).str.strip()
        elif isinstance(rule, UniqueTogether) and all(c in out for c in rule.columns):
            moved = hits.any(axis=1)
            # Keep's own rows come first, so a duplicate that came from drop is the one removed.
            order = out.assign(_moved=moved).sort_values("_moved", kind="stable")
            key = order[list(rule.columns)].apply(lambda c: c.astype(str).str.casefold())
            refused |= key.duplicated(keep="first").reindex(out.index, fill_value=False)
    return out[~refused], rewritten, int(refused.sum())


def _merge_ties(ties: pd.DataFrame, keep: str, drop: str) -> tuple[pd.DataFrame, int, int]:
    ends = [c for c in ("source_id", "target_id") if c in ties.columns]
    hits = {c: pd.Series(_cells(ties, c), index=ties.index) == drop for c in ends}
    rewritten = int(sum(hit.sum() for hit in hits.values()))
    if not rewritten:
        return ties, 0, 0
    out = ties.copy()
    for column, hit in hits.items():
        out.loc[hit, column] = keep
    if len(ends) < 2:
        return out, rewritten, 0
    to_self = (pd.Series(_cells(out, "source_id"), index=out.index) == keep) & (
        pd.Series(_cells(out, "target_id"), index=out.index) == keep)
    return out.loc[~to_self], rewritten, int(to_self.sum())


def _merge_projects(projects: pd.DataFrame, keep: str, drop: str) -> tuple[pd.DataFrame, int]:
    leads = pd.Series(_cells(projects, "lead_alum_id"), index=projects.index)
    partners = pd.Series(_cells(projects, "partner_ids"), index=projects.index)
    lists = partners.map(lambda text: [p.strip() for p in text.split(LIST_SEPARATOR) if p.strip()])
    lead_hit = leads == drop
    partner_hits = lists.map(lambda ids: ids.count(drop))
    rewritten = int(lead_hit.sum() + partner_hits.sum())
    if not rewritten:
        return projects, 0
    out = projects.copy()
    if "lead_alum_id" in out.columns:
        out.loc[lead_hit, "lead_alum_id"] = keep
    if "partner_ids" in out.columns:
        new_leads = leads.where(~lead_hit, keep)
        for at in out.index[lead_hit | (partner_hits > 0)]:
            renamed = [keep if p == drop else p for p in lists[at]]
            kept = [p for p in dict.fromkeys(renamed) if not (p == keep and new_leads[at] == keep)]
            if kept != lists[at]:
                out.at[at, "partner_ids"] = LIST_SEPARATOR.join(kept)
    return out, rewritten
