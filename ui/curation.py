"""The Streamlit side of looking after the data: previews, applying them, editing rows.

Every change staff make in the app (an import, a fixed row, a merge) goes the same way: it is
prepared as a whole new version (:func:`analytics.curation.changes.prepare`), shown as a preview,
and applied as a new version only when staff press the button. A preview is kept in the session
until it is applied or its input changes; one prepared from data someone else has changed since
is refused and prepared again.

Everything shown here is in the language of the run. What a change says for the history is a
message (:func:`analytics.i18n.lazy`) kept with the version and translated each time it is
shown; tables keep their data keys as columns and are headed in the language when drawn.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable

import pandas as pd
import streamlit as st

from analytics import i18n
from analytics.curation import NOBODY_SIGNED_IN, changes, duplicates, introductions
from analytics.data import store
from analytics.data.loader import Dataset
from analytics.data.schema import TABLES
from analytics.i18n import N_, _, lazy, ngettext
from analytics.impact.kpis import format_value
from ui import auth, widgets

_FLASH = "curation-flash"
ONLY_WHERE = ("table", "row", "column", "value")  # a preview's problems: their file is staged
SEVERITIES = {"error": N_("error"), "warning": N_("warning")}  # a problem's, shown with _()


def who() -> str:
    """Who makes a change, for the history: the signed-in name, else that nobody signed in."""
    return auth.signed_in_as() or NOBODY_SIGNED_IN


def who_shown(name: str) -> str:
    """Who made a change, as the history records it, in the language."""
    return _(NOBODY_SIGNED_IN) if name == NOBODY_SIGNED_IN else name


def table_name(table: str | None) -> str:
    """A table's name in the language (修了生 for alumni); anything else as it is."""
    return str(TABLES[table].label) if table in TABLES else (table or "")


def column_headers(table: str, columns) -> dict[str, str]:
    """Headers in the language for a table's columns (the contract's names for them), for a
    table drawn with its data keys as columns; a column the contract lacks keeps its name."""
    known = {c.name: str(c.label) for c in TABLES[table].columns} if table in TABLES else {}
    return {c: known.get(c, c) for c in columns}


def writable(dataset: Dataset, say_why: bool = True) -> bool:
    """Whether this server may change the data; when not, say why (unless ``say_why`` is off)."""
    reason = store.read_only_reason(dataset.folder)
    if reason and say_why:
        st.info(_("{reason} Nothing on this page can change the data.", reason=reason),
                icon=":material/lock:")
    return reason is None


def upload_box_in_language() -> None:
    """Streamlit writes its upload box's button and hint in English only, and the hint gives
    Streamlit's own size limit, not Kizuna's (the uploader's help gives that): the button
    shows "Upload" in the language (its English name kept for screen readers), and the hint
    is hidden. As markdown in the page, its own
    element hidden, as ``ui.style`` puts the app's CSS (it stays through reruns)."""
    box = '[data-testid="stFileUploaderDropzone"]'
    button = f'{box} [data-testid="stBaseButton-secondary"] [data-testid="stMarkdownContainer"]'
    upload = json.dumps(_("Upload"), ensure_ascii=False)  # a quoted string, for CSS too
    css = (".stElementContainer:has(> .stMarkdown style#kizuna-upload-css) { display: none; } "
           # Streamlit's words stay for assistive technology (a button needs a name; CSS text
           # is not one), out of sight; the language's word is drawn in their place.
           f"{button} p {{ position: absolute; width: 1px; height: 1px; overflow: hidden; "
           "clip-path: inset(50%); white-space: nowrap; } "
           f"{button}::after {{ content: {upload}; }} "
           f'{box} [data-testid="stFileUploaderDropzoneInstructions"] {{ display: none; }}')
    st.markdown(f'<style id="kizuna-upload-css">{css}</style>', unsafe_allow_html=True)


def record_introduction(dataset: Dataset, first: str, second: str) -> None:
    """Record that staff introduced two people, as a new version, and say so after the rerun."""
    try:
        version = introductions.record_introduction(dataset.folder, first, second, who=who(),
                                                    current=dataset)
    except store.StoreError as exc:
        say_after_rerun("error", _("The introduction was not recorded. {reason}", reason=exc))
    else:
        say_after_rerun("success", _("Recorded as version {version}: {summary}.",
                                     version=version.id, summary=version.translated_summary))
    st.rerun()


def flash() -> None:
    """Show what the last action did (kept across the rerun that follows it)."""
    message = st.session_state.pop(_FLASH, None)
    if message:
        kind, text = message
        (st.success if kind == "success" else st.error)(text, icon=":material/info:")


def say_after_rerun(kind: str, text: str) -> None:
    st.session_state[_FLASH] = (kind, text)


def text_tables(dataset: Dataset) -> dict[str, pd.DataFrame]:
    """The current version's tables as text, rows set aside included (cached per version)."""
    return _text_tables(str(dataset.folder), dataset.fingerprint)


@st.cache_resource(show_spinner=False, max_entries=4)
def _text_tables(folder: str, content_fingerprint: str) -> dict[str, pd.DataFrame]:
    return changes.text_tables(store.resolve(folder)[0])


def signature(*parts) -> str:
    """A short hash of what a preview was made from, to know when to prepare it again."""
    digest = hashlib.blake2b(digest_size=12)
    for part in parts:
        digest.update(part if isinstance(part, bytes) else str(part).encode())
    return digest.hexdigest()


def prepared(key: str, made_from: str, dataset: Dataset,
             prepare: Callable[[], changes.Preview]) -> changes.Preview:
    """The session's preview under ``key``, prepared again when its input or the data changed."""
    held = st.session_state.get(f"preview-{key}")
    if held and held[0] == (made_from, dataset.fingerprint) and held[1].staged.exists():
        return held[1]
    if held:
        held[1].discard()
    with st.spinner(_("Checking the change against the current data…")):
        preview = prepare()
    st.session_state[f"preview-{key}"] = ((made_from, dataset.fingerprint), preview)
    return preview


def forget(key: str) -> None:
    held = st.session_state.pop(f"preview-{key}", None)
    if held:
        held[1].discard()


def show_preview(preview: changes.Preview, *, compact: bool = False) -> None:
    """What a change does: the figures before and after, each table's rows, what it sets aside."""
    if not compact:
        st.markdown(_("**How the headline figures would move**"))
        figures = preview.figures()
        units = {"cross_border_share": "share"}
        st.table(pd.DataFrame({
            _("Now"): [format_value(v, units.get(k, "count")) for k, v in figures["before"].items()],
            _("After"): [format_value(v, units.get(k, "count")) for k, v in figures["after"].items()],
        }, index=pd.Index(figures["figure"].tolist(), name=_("Figure"))))
    show_diffs(preview.diffs)
    if len(preview.new_problems):
        aside = i18n.number(preview.rows_newly_set_aside)
        st.markdown(_("**Rows this change would set aside: {count}**", count=aside))
        widgets.problems_table(problems_shown(preview.new_problems)[[*ONLY_WHERE, "message"]],
                               ONLY_WHERE)


def problems_shown(problems: pd.DataFrame) -> pd.DataFrame:
    """Problems as a table shows them, for display only: severities and tables named in the
    language, each message in it (they are kept as messages, translated when shown), and row
    numbers as text, blank for a problem with no row (a grid writes "None")."""
    return problems.assign(
        severity=[_(SEVERITIES.get(s, s)) for s in problems["severity"]],
        row=["" if pd.isna(r) else str(r) for r in problems["row"]],
        table=[table_name(t) if isinstance(t, str) else "" for t in problems["table"]],
        message=[str(m) for m in problems["message"]])


def problems_file(problems: pd.DataFrame) -> pd.DataFrame:
    """Problems as their download holds them: as shown (:func:`problems_shown`), headed in the
    language as the table on the page is."""
    headers = {c: _(label) for c, label in widgets.PROBLEM_COLUMNS.items()}
    return problems_shown(problems).rename(columns={**headers, "message": _("What is wrong")})


def show_diffs(diffs: dict[str, changes.TableDiff]) -> None:
    """Each table's rows added, removed and changed, as in a pull request."""
    changed = {name: d for name, d in diffs.items() if not d.empty}
    if not changed:
        st.caption(_("No rows differ."))
        return
    for name, d in changed.items():
        c = {kind: i18n.number(n) for kind, n in d.counts.items()}
        with st.expander(_("{table}: {added} added · {removed} removed · {changed} changed",
                           table=table_name(name), **c), expanded=len(changed) == 1):
            if len(d.changed):
                st.caption(_("Changed fields: old and new value"))
                cells = widgets.capped(d.changed)
                headers = column_headers(name, cells["column"].unique())
                st.dataframe(cells.assign(column=cells["column"].map(headers)), hide_index=True,
                             column_config={"id": _("Row ID"), "row": _("Row"),
                                            "column": _("Column"), "old": _("Old value"),
                                            "new": _("New value")})
            for title, rows in ((_("Added rows"), d.added), (_("Removed rows"), d.removed)):
                if len(rows):
                    st.caption(title)
                    st.dataframe(widgets.capped(rows.rename_axis(_("Row"))),
                                 column_config=column_headers(name, rows.columns))


def apply_button(key: str, preview: changes.Preview, label: str | None = None) -> None:
    """The button that applies a preview (labelled "Apply as a new version" unless ``label``),
    or why it cannot be applied."""
    if preview.blocked:
        st.warning(preview.blocked, icon=":material/block:")
        return
    if not st.button(label or _("Apply as a new version"), type="primary", key=f"apply-{key}",
                     icon=":material/done:"):
        return
    try:
        version = changes.apply(preview, who())
    except store.StaleError as exc:
        forget(key)  # prepared again, from the new data, on the rerun
        say_after_rerun("error", _("{reason} The preview below is new.", reason=exc))
    else:
        forget(key)
        st.session_state[f"applied-{key}"] = st.session_state.get(f"applied-{key}", 0) + 1
        say_after_rerun("success", _("Applied as version {version}: {summary}. The version "
                                     "before it is kept on the Versions page.",
                                     version=version.id, summary=version.translated_summary))
    st.rerun()


def applied_count(key: str) -> int:
    """How many changes this session applied under ``key``: part of a widget key, to clear it."""
    return st.session_state.get(f"applied-{key}", 0)


def edit_rows(dataset: Dataset, table: str, rows: pd.DataFrame, key: str) -> None:
    """Edit some rows of a table, check them again at every edit, and save them as a version.
    No rows, no editor (the caller says how many rows there are)."""
    if rows.empty:
        return
    text = text_tables(dataset)[table]
    rows = rows.rename_axis(_("Row"))
    edited = st.data_editor(rows, key=f"editor-{key}-{applied_count(key)}", disabled=False,
                            num_rows="fixed", width="stretch",
                            column_config=column_headers(table, rows.columns))
    if edited.equals(rows):
        st.caption(_("Edit a cell to fix it: the rows are checked again as you type."))
        return
    new = text.copy()
    new.loc[edited.index, edited.columns] = edited.fillna("").astype(str)
    preview = prepared(key, signature(table, edited.to_csv()), dataset, lambda: changes.prepare(
        dataset.folder, {table: changes.table_csv(new)}, action="edit",
        description=lazy("Rows of {table} corrected in the app", table=TABLES[table].label),
        current=dataset))
    still = preview.after.problems_frame()
    still = still[(still["table"] == table) & still["row"].isin(edited.index)]
    if len(still):
        st.markdown(ngettext("**Still wrong in these rows: {count} problem.** Fix it to save: "
                             "nothing is saved yet.",
                             "**Still wrong in these rows: {count} problems.** Fix them to save: "
                             "nothing is saved yet.", len(still), count=i18n.number(len(still))))
        widgets.problems_table(problems_shown(still)[[*ONLY_WHERE, "message"]], ONLY_WHERE)
        return
    st.success(_("These rows are right now."), icon=":material/check:")
    show_preview(preview, compact=True)
    apply_button(key, preview, _("Save as a new version"))


def likely_duplicates(dataset: Dataset) -> pd.DataFrame:
    """The likely duplicate people of the current version, less those staff said differ."""
    with st.spinner(_("Looking for people entered twice…")):
        return _likely_duplicates(str(dataset.folder), dataset.fingerprint,
                                  store.dismissed_pairs(dataset.folder))


# Kept once for both languages: the reasons are messages, translated when shown.
@st.cache_resource(show_spinner=False, max_entries=4)
def _likely_duplicates(folder: str, content_fingerprint: str, dismissed: tuple) -> pd.DataFrame:
    return duplicates.find_duplicates(_text_tables(folder, content_fingerprint)["alumni"], dismissed)


def audit(dataset: Dataset) -> pd.DataFrame:
    """Who changed what and when (:func:`changes.audit`), worked out once per newest version."""
    newest = store.newest(dataset.folder)
    with st.spinner(_("Reading the history…")):
        return _audit(str(dataset.folder), newest.id if newest else None)


@st.cache_resource(show_spinner=False, max_entries=4)
def _audit(folder: str, newest: int | None) -> pd.DataFrame:
    return changes.audit(folder)


AUDIT_HEADERS = {"version": N_("Version"), "time": N_("When (UTC)"), "who": N_("Changed by"),
                 "action": N_("Change"), "table": N_("Table"),
                 "change": N_("Added, removed or changed"),
                 "id": N_("Row ID"), "column": N_("Column"), "old": N_("Old value"),
                 "new": N_("New value")}


def audit_shown(changed: pd.DataFrame) -> pd.DataFrame:
    """The audit (:func:`audit`) as people read it, for display and its download only: times,
    kinds of change, tables and columns in the language, headed in it."""
    return pd.DataFrame({
        "version": changed["version"],
        "time": [i18n.date_time(dt.datetime.fromisoformat(t)) for t in changed["time"]],
        "who": changed["who"].map(who_shown),
        "action": [_(a) for a in changed["action"]],
        "table": changed["table"].map(table_name),
        "change": [_(c) for c in changed["change"]],
        "id": changed["id"],
        "column": [column_headers(t, [c]).get(c, c) if c else "" for t, c in
                   zip(changed["table"], changed["column"], strict=True)],
        "old": changed["old"], "new": changed["new"],
    }, index=changed.index).rename(columns={k: _(v) for k, v in AUDIT_HEADERS.items()})
