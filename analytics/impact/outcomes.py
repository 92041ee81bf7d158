"""Outcomes: what changed for the alumni and their projects, and the five dimensions of impact.

The optional ``outcomes`` table holds answers to the same questions asked
at several *waves* (``baseline``, ``exit``, ``one year``, ``three years`` or
any label): one row per subject (an alum or a project), wave and indicator,
with its ``value`` (blank: asked, did not answer), ``unit`` and IRIS+ code.

- :func:`outcomes_by_cohort` gives, for each cohort, indicator and wave, how
  many answered of how many could, their mean, and the change from
  baseline measured on the same people.
- :func:`impact_dimensions` fills the five dimensions of impact (Impact
  Management Project; Impact Frontiers) from the data there is, and says
  plainly what data would fill a dimension that has none.

Formulas are in ``docs/metrics.md`` ("Outcomes", "The five dimensions of impact").

Example
-------
>>> tables = _example_tables()
>>> print(outcomes_by_cohort(tables)[["wave", "answered", "eligible", "mean", "change",
...                                   "paired"]].to_string(index=False))
    wave  answered  eligible  mean  change  paired
baseline         2         2   3.0     NaN       0
    exit         1         2   4.0     2.0       1
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from analytics import i18n
from analytics.data.countries import country_name
from analytics.data.schema import TIE_ORIGINS, WAVES, YEAR_MIN
from analytics.i18n import N_, _, listed, ngettext
from analytics.impact.introductions import optional_table
from analytics.impact.kpis import SelectedTables, select_tables
from analytics.impact.series import PROGRAM_ORIGINS, origin_groups
from analytics.selection import Selection, in_years, isin, matches

__all__ = ["WAVE_ORDER", "PROGRAM_ORIGINS", "Dimension", "outcomes_of", "wave_order", "wave_name",
           "outcomes_by_cohort", "response_note", "response_caution", "impact_dimensions"]

# The waves the contract names, in English (the data's words), shown with wave_name().
WAVE_ORDER = tuple(WAVES)  # the contract's waves, in the order they come
BASELINE = WAVE_ORDER[0]
FEW_ANSWERED = 5  # fewer answers than this: "few answered"
LOW_RESPONSE = 0.5  # a response rate below this: "under half answered"
TOP = 3  # the countries and causes named under "Who"

OUTCOME_COLUMNS = {"subject_id": object, "wave": object, "year": "Int64", "date": object,
                   "indicator": object, "value": float, "unit": object, "iris_code": object}
_KEYS = ["program", "cohort", "subject_kind", "indicator", "wave"]
_RESULT = {"program": object, "cohort": object, "cohort_year": "Int64", "subject_kind": object,
           "indicator": object, "wave": object, "unit": object, "iris_code": object,
           "year": "Int64", "answered": int, "eligible": int, "response_rate": float,
           "mean": float, "change": float, "paired": int, "note": object, "caution": object}


def outcomes_of(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The outcomes table, empty when the data has none, with every column the contract lists.

    >>> outcomes_of({}).columns.tolist()[:3]
    ['subject_id', 'wave', 'year']
    """
    return optional_table(tables, "outcomes", OUTCOME_COLUMNS)


def _wave_label(waves: pd.Series) -> pd.Series:
    """Wave labels compared without case or extra spaces: "One  Year" is "one year"."""
    waves = waves.astype(object).fillna("")
    return waves.map({w: " ".join(str(w).split()).lower() for w in waves.unique()})


def wave_order(frame: pd.DataFrame) -> list[str]:
    """The waves in ``frame`` in the order they come: WAVE_ORDER, then the others.

    A label outside WAVE_ORDER sorts after those: numbered labels of the
    same words by their number ("year 2" before "year 11"), others by the
    median of their ``year`` column (a label without years last), then by name.

    >>> frame = pd.DataFrame({"wave": ["five years", "exit", "midpoint", "baseline"],
    ...                       "year": [2020, 2015, 2016, 2014]})
    >>> wave_order(frame)
    ['baseline', 'exit', 'midpoint', 'five years']
    >>> wave_order(pd.DataFrame({"wave": ["year 11", "year 8", "year 2"], "year": [2020, 2025, 2019]}))
    ['year 2', 'year 8', 'year 11']
    """
    waves = set(frame["wave"])
    others = frame[~isin(frame["wave"], WAVE_ORDER)]
    median = others.groupby("wave")["year"].agg(lambda y: pd.to_numeric(y).astype(float).median())

    def place(wave: str) -> tuple:
        words = str(wave).split()
        numbered = [i for i, word in enumerate(words) if word.isdigit()]
        if numbered:  # "year 11": its words without the number, then the number
            at = numbered[-1]
            return (0, " ".join(words[:at] + words[at + 1:]), int(words[at]), wave)
        year = median.get(wave)
        return (1, "", float("inf") if pd.isna(year) else year, wave)

    return [w for w in WAVE_ORDER if w in waves] + sorted(waves - set(WAVE_ORDER), key=place)


def wave_name(wave: str) -> str:
    """A wave's label as shown: the contract's waves (WAVE_ORDER) in the current language,
    any other label as the data writes it.

    >>> with i18n.speaking("ja"):
    ...     wave_name("baseline"), wave_name("midpoint")
    ('ベースライン', 'midpoint')
    """
    return _(wave) if wave in WAVE_ORDER else wave


def response_note(answered: int, eligible: int) -> str:
    """How many answered of how many could, in words, in the current language.

    >>> response_note(42, 60)
    '42 of 60 answered (70%)'
    >>> response_note(0, 0)
    '0 answered'
    """
    if not eligible:
        return _("{answered} answered", answered=i18n.number(answered))
    return _("{answered} of {eligible} answered ({rate})", answered=i18n.number(answered),
             eligible=i18n.number(eligible), rate=i18n.percent(answered / eligible))


FEW = N_("few answered")
UNDER_HALF = N_("under half answered")


def response_caution(answered: int, eligible: int) -> str:
    """A warning for a wave whose answers are too few to lean on, or "", in the current language.

    FEW ("few answered") under FEW_ANSWERED (5) answers, whatever the rate: one
    answer more or less moves a mean of so few; otherwise UNDER_HALF ("under half
    answered") when fewer than half of those who could answer did (those who
    answer may differ from those who did not); otherwise "".

    >>> response_caution(3, 4), response_caution(5, 11), response_caution(6, 11)
    ('few answered', 'under half answered', '')
    """
    if answered < FEW_ANSWERED:
        return _(FEW)
    if eligible and answered / eligible < LOW_RESPONSE:
        return _(UNDER_HALF)
    return ""


def _subjects(tables: dict[str, pd.DataFrame], selection: Selection) -> tuple[SelectedTables, pd.DataFrame]:
    """The alumni and projects a selection keeps as outcome subjects, with their cohort.

    The people are the selection's community (:func:`select_tables`: in its
    programs, or the funder's, countries and causes, trained by its last
    year) in its cohorts; the projects are those the same alumni lead
    (whatever their causes), started by the last year, running in the
    countries, on the causes, in the cohorts of their leads. The years do not
    narrow them further: a wave counts by its own year.
    """
    last = selection.years[1] if selection.years else None
    selected = select_tables(tables, replace(selection, years=(YEAR_MIN, last) if last else None))
    people = selected.community[matches(selected.community, selection, ["cohorts"])]
    leads = selected.everyone.drop_duplicates("alum_id").set_index("alum_id")[["program", "cohort"]]
    projects = selected.projects[["project_id", "lead_alum_id"]].join(leads, on="lead_alum_id")
    projects = projects[matches(projects, selection, ["cohorts"])]
    selected = replace(selected, community=people,
                       projects=selected.projects.loc[projects.index])
    subjects = pd.concat([
        pd.DataFrame({"subject_id": people["alum_id"].astype(object), "subject_kind": "alum",
                      "program": people["program"].astype(object),
                      "cohort": people["cohort"].astype(object)}),
        pd.DataFrame({"subject_id": projects["project_id"].astype(object), "subject_kind": "project",
                      "program": projects["program"].astype(object),
                      "cohort": projects["cohort"].astype(object)}),
    ], ignore_index=True).drop_duplicates("subject_id")
    return selected, subjects


def outcomes_by_cohort(tables: dict[str, pd.DataFrame], selection: Selection | None = None) -> pd.DataFrame:
    """Each cohort's outcomes, wave by wave: who answered, the mean, and the change from baseline.

    A project belongs to its lead's cohort. For each program, cohort,
    subject kind (alum or project), indicator and wave:

    - ``year``: the median year of the wave's answers (the lower of the two
      middle years for an even count; of all its rows when no one answered);
    - ``answered``: the distinct subjects with a value; a subject with more
      than one value in a wave counts once, with their mean;
    - ``eligible``: how many could answer: the cohort's alumni in the
      selection for an alum indicator, the cohort's projects in it for a
      project indicator;
    - ``response_rate``: answered / eligible;
    - ``mean``: the mean value among those who answered;
    - ``change``: the mean, over the subjects who answered both this wave and
      the baseline, of (value at this wave - value at baseline); ``paired``
      is how many those are. NaN and 0 on the baseline row itself, and where
      no one answered both.

    Why paired: the people who answer a later wave are usually fewer than,
    and not a random part of, those who answered at baseline (those doing
    well answer more often). The mean at one year minus the mean at baseline
    would compare two different sets of people, and could show a change no
    one had. The paired change compares each subject with their own
    baseline, so it measures change on the same people; ``paired`` says how
    many that rests on, and ``mean`` still describes everyone who answered.

    Parameters
    ----------
    tables : dict of str to DataFrame
        Loaded tables; without an ``outcomes`` table the result is empty.
    selection : Selection, optional
        Programs (or the funder's), cohorts, countries and causes choose the
        subjects (see ``_subjects``); with years, a wave counts when its
        ``year`` is in them. The change from baseline uses the baseline
        answers wherever they fall: a three-year wave selected alone is still
        compared with its baseline.

    Returns
    -------
    DataFrame
        ``program``, ``cohort``, ``cohort_year`` (the earliest of its
        alumni's), ``subject_kind``, ``indicator``, ``wave``, ``unit``,
        ``iris_code`` (the first given), ``year``, ``answered``, ``eligible``,
        ``response_rate``, ``mean``, ``change``, ``paired``, ``note``
        (:func:`response_note`) and ``caution`` (:func:`response_caution`), those two
        in the current language, for display;
        by program, cohort, subject kind, indicator and wave (:func:`wave_order`).

    Examples
    --------
    >>> table = outcomes_by_cohort(_example_tables())
    >>> table[["cohort", "wave", "note", "caution"]].values.tolist()[1]
    ['2015', 'exit', '1 of 2 answered (50%)', 'few answered']
    """
    selection = selection or Selection()
    selected, subjects = _subjects(tables, selection)
    rows = outcomes_of(tables)
    rows = rows.assign(subject_id=rows["subject_id"].astype(object)).merge(subjects, on="subject_id")
    if rows.empty:
        return pd.DataFrame({c: pd.Series(dtype=kind) for c, kind in _RESULT.items()})
    rows = rows.assign(wave=_wave_label(rows["wave"]), indicator=rows["indicator"].astype(object),
                       year=pd.to_numeric(rows["year"]).astype(float),
                       value=pd.to_numeric(rows["value"]).astype(float))
    # One value per subject and wave: the mean of theirs (NaN when they answered nothing).
    each = rows.groupby([*_KEYS, "subject_id"])["value"].mean().reset_index()
    grouped = each.groupby(_KEYS)["value"]
    table = pd.DataFrame({"answered": grouped.count(), "mean": grouped.mean()})

    answers = rows[rows["value"].notna()]
    table["year"] = (answers.groupby(_KEYS)["year"].quantile(0.5, interpolation="lower")
                     .reindex(table.index)
                     .fillna(rows.groupby(_KEYS)["year"].quantile(0.5, interpolation="lower")))
    for column in ("unit", "iris_code"):
        given = rows[column].astype(object).fillna("").astype(str).str.strip()
        table[column] = (rows.assign(**{column: given.where(given != "")})
                         .groupby(_KEYS)[column].first().reindex(table.index).fillna(""))

    baseline = (each[each["wave"] == BASELINE].drop(columns="wave")
                .rename(columns={"value": "baseline"}))
    pairs = each.merge(baseline, on=[k for k in _KEYS if k != "wave"] + ["subject_id"])
    pairs = pairs[pairs["wave"] != BASELINE].assign(diff=lambda f: f["value"] - f["baseline"])
    by_wave = pairs.groupby(_KEYS)["diff"]
    table["change"] = by_wave.mean().reindex(table.index)
    table["paired"] = by_wave.count().reindex(table.index).fillna(0).astype(int)
    table = table.reset_index()

    eligible = subjects.groupby(["program", "cohort", "subject_kind"]).size().rename("eligible")
    cohort_year = (selected.everyone.groupby(["program", "cohort"])["cohort_year"].min()
                   .rename("cohort_year"))
    table = table.join(eligible, on=["program", "cohort", "subject_kind"]) \
        .join(cohort_year, on=["program", "cohort"])
    table["year"] = table["year"].round().astype("Int64")
    table = table[in_years(table["year"], selection.years)]
    table["eligible"] = table["eligible"].fillna(0).astype(int)
    table["answered"] = table["answered"].astype(int)
    could = table["eligible"].where(table["eligible"] > 0)
    table["response_rate"] = (table["answered"] / could).astype(float)
    table["note"] = [response_note(a, e) for a, e in zip(table["answered"], table["eligible"], strict=True)]
    table["caution"] = [response_caution(a, e)
                        for a, e in zip(table["answered"], table["eligible"], strict=True)]
    rank = {w: i for i, w in enumerate(wave_order(table))}
    table = table.assign(rank=table["wave"].map(rank)).sort_values(
        ["program", "cohort_year", "cohort", "subject_kind", "indicator", "rank"], ignore_index=True)
    return table[list(_RESULT)].astype({c: t for c, t in _RESULT.items() if t is not object})


@dataclass(frozen=True)
class Dimension:
    """One dimension of impact, filled from the data: its rows, or why it is empty.

    ``name`` is the dimension's English name (a key of QUESTIONS), shown with
    ``_(name)``; ``question``, ``rows`` and ``empty`` are in the language they
    were made in. ``rows`` are (label, value as text, note) to show as a small
    table; ``empty`` is None when there are rows, else a sentence saying what
    data would fill it.
    """

    name: str
    question: str
    rows: tuple[tuple[str, str, str], ...]
    empty: str | None = None


# The five dimensions (Impact Management Project; Impact Frontiers), with their questions.
QUESTIONS = {
    N_("What"): N_("What outcomes occur, and do they change?"),
    N_("Who"): N_("Who experiences the outcomes?"),
    N_("How much"): N_("How much of the outcome occurs: how many, how deep, how long?"),
    N_("Contribution"): N_("What did the program make happen that would likely not have "
                           "happened anyway?"),
    N_("Risk"): N_("How likely is it that the impact differs from what the evidence shows?"),
}

EMPTY = {
    "What": N_("No outcomes are recorded for this selection. An outcomes table (each alum's or "
               "project's answers to the same questions at baseline, at exit and a year or more "
               "later) would show what changed and by how much."),
    "Who": N_("No alumni in this selection. The alumni table (each alum's country and causes) "
              "and the beneficiaries of their projects would show who experiences the change."),
    "How much": N_("Nothing in this selection measures how much: the beneficiaries of the "
                   "projects (scale) and outcomes asked at baseline and again later (depth, and "
                   "how long the change lasts) would fill this."),
    "Contribution": N_("Nothing recorded says which ties the program made. Each partnership's "
                       "origin (cohort, forum, staff introduction, suggested introduction or "
                       "other) and the introductions staff make would show the program's "
                       "contribution."),
    "Risk": N_("Nothing here to judge the evidence by. Response rates to outcomes surveys and "
               "partnerships with a recorded origin would show how far the figures can be "
               "trusted."),
}
NOT_MEASURED = N_("not measured")


def _plain(value: float) -> str:
    """A number as read: 1,234 above 100, else up to two decimals (1.5, 2, 0.33)."""
    if abs(value) >= 100:
        return i18n.number(value)
    text = i18n.number(value, 2).rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _signed(value: float) -> str:
    text = _plain(value)
    return text if text.startswith("-") or text == "0" else "+" + text


def _with_unit(text: str, unit: str) -> str:
    return f"{text} {unit}".strip()


def _share(part: int, whole: int) -> str:
    return _("{part} of {whole} ({share})", part=i18n.number(part), whole=i18n.number(whole),
             share=i18n.percent(part / whole))


def _top(counts: pd.Series, name=str, limit: int | None = TOP) -> str:
    """The ``limit`` largest counts (all with None), most first (ties by key), each named by
    ``name``: "Japan 3 · United States 1"."""
    frame = counts[counts > 0].rename("n").rename_axis("key").reset_index()
    frame = frame.sort_values(["n", "key"], ascending=[False, True]).head(limit)
    return " · ".join(f"{name(key)} {i18n.number(n)}"
                      for key, n in zip(frame["key"], frame["n"], strict=True))


def _origin_word(origin: str) -> str:
    """A tie's origin as shown: the contract's origins in the current language, others as written."""
    return _(origin) if origin in TIE_ORIGINS else origin


def _indicators(table: pd.DataFrame) -> list[dict]:
    """Each indicator pooled over cohorts: its latest change from baseline and latest mean.

    The pooled change is the mean over every paired subject, whatever their
    cohort: the cohorts' changes weighted by how many each rests on.
    """
    rank = {w: i for i, w in enumerate(wave_order(table))}
    found = []
    for (kind, indicator), group in table.groupby(["subject_kind", "indicator"], sort=True):
        waves = (group.assign(rank=group["wave"].map(rank),
                              changed=group["change"].fillna(0) * group["paired"],
                              total=group["mean"].fillna(0) * group["answered"])
                 .groupby(["rank", "wave"])[["answered", "paired", "changed", "total"]].sum()
                 .reset_index(level="wave"))
        given = [u for u in group["unit"] if u]
        codes = [c for c in group["iris_code"] if c]
        paired = waves[(waves["paired"] > 0) & (waves["wave"] != BASELINE)]
        answered = waves[waves["answered"] > 0]
        found.append({
            "kind": kind, "indicator": indicator, "unit": given[0] if given else "",
            "iris": codes[0] if codes else "", "baseline": bool((group["wave"] == BASELINE).any()),
            "change": None if paired.empty else (
                paired["wave"].iloc[-1], paired["changed"].iloc[-1] / paired["paired"].iloc[-1],
                int(paired["paired"].iloc[-1])),
            "mean": None if answered.empty else (
                answered["wave"].iloc[-1], answered["total"].iloc[-1] / answered["answered"].iloc[-1],
                int(answered["answered"].iloc[-1])),
        })
    return found


def _subject_word(kind: str, n: int) -> str:
    if kind == "alum":
        return ngettext("{count} person", "{count} people", n, count=i18n.number(n))
    return ngettext("{count} project", "{count} projects", n, count=i18n.number(n))


def _with_code(note: str, code: str) -> str:
    """A note with the indicator's IRIS+ code after it, where it has one."""
    return _("{note}; IRIS+ {code}", note=note, code=code) if code else note


def _what(indicators: list[dict]) -> tuple:
    rows = []
    for found in indicators:
        subjects = None
        if found["change"]:
            wave, change, paired = found["change"]
            subjects = _subject_word(found["kind"], paired)
            note = _("from baseline to {wave}, paired: {subjects} answered both",
                     wave=wave_name(wave), subjects=subjects)
            rows.append((found["indicator"], _with_unit(_signed(change), found["unit"]),
                         _with_code(note, found["iris"])))
        elif found["mean"]:
            wave, mean, answered = found["mean"]
            subjects = _subject_word(found["kind"], answered)
            note = (_("mean at {wave} of {subjects}; no change measured: no one answered both "
                      "baseline and a later wave", wave=wave_name(wave), subjects=subjects)
                    if found["baseline"] else
                    _("mean at {wave} of {subjects}; no change measured: it was not asked at "
                      "baseline", wave=wave_name(wave), subjects=subjects))
            rows.append((found["indicator"], _with_unit(_plain(mean), found["unit"]),
                         _with_code(note, found["iris"])))
    return tuple(rows)


def _who(selected: SelectedTables) -> tuple:
    alumni, projects = selected.community, selected.projects
    if alumni.empty:
        return ()
    countries = alumni["country"].astype(object).replace("", pd.NA).dropna()
    rows = [(_("Alumni"), i18n.number(len(alumni)),
             ngettext("in {n} country", "in {n} countries", countries.nunique())),
            (_("Countries"), _top(countries.value_counts(), country_name),
             _("alumni living in each, the most first"))]
    causes = alumni["causes"].explode().dropna()
    if len(causes):
        rows.append((_("Causes"), _top(causes.value_counts()),
                     _("alumni working on each; an alum counts once for each of their causes")))
    if len(projects):
        reach = pd.to_numeric(projects["beneficiaries"]).astype(float)
        if reach.notna().any() and reach.sum() > 0:
            rows.append((_("People reached by projects"),
                         _top(reach.groupby(projects["country"]).sum(), country_name),
                         ngettext("beneficiaries of {count} project, by the country each runs in",
                                  "beneficiaries of {count} projects, by the country each runs in",
                                  len(projects), count=i18n.number(len(projects)))))
        else:
            rows.append((_("People reached by projects"), _("not reported"),
                         ngettext("none of the {count} project reports its beneficiaries",
                                  "none of the {count} projects reports its beneficiaries",
                                  len(projects), count=i18n.number(len(projects)))))
    return tuple(rows)


def _how_much(selected: SelectedTables, table: pd.DataFrame, indicators: list[dict]) -> tuple:
    projects = selected.projects
    if projects.empty and table.empty:
        return ()
    rows = []
    reach = pd.to_numeric(projects["beneficiaries"]).astype(float)
    if reach.notna().any():
        silent = int(reach.isna().sum())
        reached = int(round(reach.sum()))
        note = ngettext("beneficiaries of {count} project (IRIS+ PI4060)",
                        "beneficiaries of {count} projects (IRIS+ PI4060)", len(projects),
                        count=i18n.number(len(projects)))
        if silent:
            # Translators: two notes on one figure, one after the other.
            note = _("{note}; {more}", note=note,
                     more=ngettext("{count} of them does not report it",
                                   "{count} of them do not report it", silent,
                                   count=i18n.number(silent)))
        rows.append((_("Scale"), ngettext("{count} person reached", "{count} people reached",
                                          reached, count=i18n.number(reached)), note))
    else:
        rows.append((_("Scale"), _(NOT_MEASURED),
                     _("no project in this selection reports the people it reaches")))
    depth = [found for found in indicators if found["change"]]
    for found in depth:
        wave, change, paired = found["change"]
        values = {"wave": wave_name(wave), "count": i18n.number(paired)}
        rows.append((_("Depth: {indicator}", indicator=found["indicator"]),
                     _with_unit(_signed(change), found["unit"]),
                     _("mean change per person from baseline to {wave}, n = {count}", **values)
                     if found["kind"] == "alum" else
                     _("mean change per project from baseline to {wave}, n = {count}", **values)))
    if not depth:
        rows.append((_("Depth"), _(NOT_MEASURED),
                     _("outcomes asked at baseline and again later would show how much each "
                       "person changed")))
    later = table[(table["wave"] != BASELINE) & (table["answered"] > 0)
                  & table["year"].notna() & table["cohort_year"].notna()]
    if len(later):
        later = later.assign(after=(later["year"] - later["cohort_year"]).astype(int))
        longest = later.sort_values(["after", "year"], ascending=False).iloc[0]
        rows.append((_("Duration"),
                     ngettext("{n} year after training", "{n} years after training",
                              int(longest["after"])),
                     _("the latest answers: {wave}, in {year}, from {program} {cohort}",
                       wave=wave_name(longest["wave"]), year=longest["year"],
                       program=longest["program"], cohort=longest["cohort"])))
    else:
        rows.append((_("Duration"), _(NOT_MEASURED),
                     _("outcomes asked a year or more after training would show how long the "
                       "change lasts")))
    return tuple(rows)


def _contribution(selected: SelectedTables) -> tuple:
    partnerships, introductions = selected.partnerships, selected.introductions
    groups = origin_groups(partnerships)
    recorded = groups != "not_recorded"
    rows = []
    if recorded.any():
        origin = partnerships.loc[recorded, "origin"].astype(str).str.strip().str.lower()
        made = int((groups == "program_made").sum())
        unknown = int((~recorded).sum())
        note = _("of the partnerships with a recorded origin, those from {origins}; by origin: "
                 "{counts}", origins=listed(map(_origin_word, PROGRAM_ORIGINS)),
                 counts=_top(origin.value_counts(), _origin_word, limit=None))
        if unknown:
            note = _("{note}; {more}", note=note,
                     more=ngettext("{count} more has no recorded origin",
                                   "{count} more have no recorded origin", unknown,
                                   count=i18n.number(unknown)))
        rows.append((_("Ties the program made"), _share(made, int(recorded.sum())), note))
    if len(introductions):
        suggested = int(introductions["suggested"].fillna(False).astype(bool).sum())
        rows.append((_("Introductions made"), i18n.number(len(introductions)),
                     _("{count} of them suggested, with a selected alum as one of the two",
                       count=i18n.number(suggested))))
        rows.append((_("Introductions that became ties"),
                     _share(int(introductions["became_tie"].sum()), len(introductions)),
                     _("a partnership between the two began in the year of the introduction or "
                       "later")))
    return tuple(rows)


def _risk(selected: SelectedTables, table: pd.DataFrame) -> tuple:
    rows = []
    if len(table):
        rated = table[table["response_rate"].notna()]
        if len(rated):
            lowest = rated.loc[rated["response_rate"].idxmin()]
            rows.append((_("Lowest response"), lowest["note"],
                         _("{program} {cohort}: {indicator}, {wave}", program=lowest["program"],
                           cohort=lowest["cohort"], indicator=lowest["indicator"],
                           wave=wave_name(lowest["wave"]))))
        waves = ngettext("{count} cohort wave", "{count} cohort waves", len(table),
                         count=i18n.number(len(table)))
        under = int((table["response_rate"] < LOW_RESPONSE).sum())
        few = int((table["answered"] < FEW_ANSWERED).sum())
        rows.append((_("Under half answered"),
                     _("{part} of {whole}", part=i18n.number(under), whole=waves),
                     _("a cohort wave is one cohort's answers to one indicator at one time; where "
                       "under half answered, those who did may not be like those who did not")))
        rows.append((_("Fewer than {count} answered", count=FEW_ANSWERED),
                     _("{part} of {whole}", part=i18n.number(few), whole=waves),
                     _("a mean of so few answers moves with any one of them")))
    partnerships = selected.partnerships
    if len(partnerships):
        unknown = int((origin_groups(partnerships) == "not_recorded").sum())
        rows.append((_("Ties with no recorded origin"), _share(unknown, len(partnerships)),
                     _("whether the program made these is not known")))
    return tuple(rows)


def impact_dimensions(tables: dict[str, pd.DataFrame], selection: Selection | None = None) -> list[Dimension]:
    """The five dimensions of impact for a selection, each filled from the data there is.

    - **What**: each outcomes indicator with its change from baseline at the
      latest wave anyone answered both (pooled over cohorts, with n), or its
      mean there when no one did, and its IRIS+ code.
    - **Who**: the selection's alumni (its community: trained by its last
      year), their top countries and causes, and the projects'
      beneficiaries by the country each project runs in.
    - **How much**: scale (the projects' beneficiaries, IRIS+ PI4060, as the
      headline figure), depth (each indicator's change from baseline) and
      duration (how many years after its cohort trained the latest answered
      wave came).
    - **Contribution**: the share of partnerships the program made (origin in
      PROGRAM_ORIGINS) among those whose origin is recorded; introductions
      made and those that became ties.
    - **Risk**: the evidence's: the lowest response rate, cohort waves
      where under half or fewer than five answered, ties with no recorded
      origin.

    A dimension without data has no rows and an ``empty`` sentence saying
    what data would fill it. A dimension with some data shows "not
    measured" rows for what it lacks (How much). Every word is in the current
    language but each dimension's ``name``, its English key (shown with ``_(name)``);
    countries are named, not coded.

    Parameters
    ----------
    tables : dict of str to DataFrame
        Loaded tables; ``outcomes``, ``introductions`` and
        ``partnerships.origin`` may be absent.
    selection : Selection, optional
        As for :func:`outcomes_by_cohort` (outcomes) and
        :func:`~analytics.impact.kpis.select_tables` (the rest).

    Returns
    -------
    list of Dimension
        What, Who, How much, Contribution, Risk.

    Examples
    --------
    >>> dimensions = impact_dimensions(_example_tables())
    >>> [d.name for d in dimensions]
    ['What', 'Who', 'How much', 'Contribution', 'Risk']
    >>> dimensions[0].rows
    (('confidence', '+2 score', 'from baseline to exit, paired: 1 person answered both'),)
    >>> dimensions[3].empty is not None
    True
    """
    selection = selection or Selection()
    table = outcomes_by_cohort(tables, selection)
    indicators = _indicators(table)
    chosen = select_tables(tables, selection)
    if selection.cohorts:  # select_tables does not narrow to cohorts; the outcomes do
        people = chosen.community[matches(chosen.community, selection, ["cohorts"])]
        leads = chosen.everyone.drop_duplicates("alum_id").set_index("alum_id")["cohort"]
        led = isin(chosen.projects["lead_alum_id"].map(leads), selection.cohorts)
        ids = set(people["alum_id"])
        ties, intros = chosen.partnerships, chosen.introductions
        chosen = replace(chosen, community=people, projects=chosen.projects[led],
                         alumni=chosen.alumni[isin(chosen.alumni.index, people.index)],
                         partnerships=ties[isin(ties["source_id"], ids) | isin(ties["target_id"], ids)],
                         introductions=intros[isin(intros["first_id"], ids) | isin(intros["second_id"], ids)])
    found = {"What": _what(indicators), "Who": _who(chosen),
             "How much": _how_much(chosen, table, indicators),
             "Contribution": _contribution(chosen), "Risk": _risk(chosen, table)}
    return [Dimension(name, _(QUESTIONS[name]), rows, None if rows else _(EMPTY[name]))
            for name, rows in found.items()]


def _example_tables() -> dict[str, pd.DataFrame]:
    """The doctests' data: a cohort of two alumni asked their confidence at baseline and exit."""
    alumni = pd.DataFrame({"alum_id": ["A1", "A2"], "program": "P", "cohort": "2015",
                           "cohort_year": pd.array([2015, 2015], dtype="Int64"), "country": "JP",
                           "causes": [["aging"], ["aging"]], "organization_id": ""})
    outcomes = pd.DataFrame({"subject_id": ["A1", "A2", "A1", "A2"],
                             "wave": ["baseline", "baseline", "exit", "exit"],
                             "year": pd.array([2015] * 4, dtype="Int64"), "indicator": "confidence",
                             "value": [2.0, 4.0, 4.0, float("nan")], "unit": "score", "iris_code": ""})
    return {"alumni": alumni, "organizations": pd.DataFrame(columns=["org_id", "country"]),
            "partnerships": pd.DataFrame(columns=["source_id", "target_id", "start_year", "end_year"]),
            "projects": pd.DataFrame(columns=["project_id", "lead_alum_id", "cause", "country",
                                              "start_year", "end_year", "status", "beneficiaries",
                                              "funds_raised_usd", "partner_ids"]),
            "funding": pd.DataFrame(columns=["funder_id", "program", "year", "amount_usd"]),
            "outcomes": outcomes}
