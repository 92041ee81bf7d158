"""The Streamlit side of looking after the data: previews, applying them, editing rows.

Every change staff make in the app (an import, a fixed row, a merge) goes the same way: it is
prepared as a whole new version (:func:`analytics.curation.changes.prepare`), shown as a preview,
and applied as a new version only when staff press the button. A preview is kept in the session
until it is applied or its input changes; one prepared from data someone else has changed since
is refused and prepared again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import pandas as pd
import streamlit as st

from analytics.curation import changes, duplicates, introductions
from analytics.data import store
from analytics.data.loader import Dataset
from analytics.impact.kpis import format_value
from ui import auth, widgets

_FLASH = "curation-flash"
ONLY_WHERE = ("table", "row", "column", "value")  # a preview's problems: their file is staged


def who() -> str:
    """Who makes a change, for the history: the signed-in name, else that nobody signed in."""
    return auth.signed_in_as() or "staff (no sign-in on this server)"


def writable(dataset: Dataset, say_why: bool = True) -> bool:
    """Whether this server may change the data; when not, say why (unless ``say_why`` is off)."""
    reason = store.read_only_reason(dataset.folder)
    if reason and say_why:
        st.info(f"{reason} Nothing on this page can change the data.", icon=":material/lock:")
    return reason is None


def record_introduction(dataset: Dataset, first: str, second: str) -> None:
    """Record that staff introduced two people, as a new version, and say so after the rerun."""
    try:
        version = introductions.record_introduction(dataset.folder, first, second, who=who(),
                                                    current=dataset)
    except store.StoreError as exc:
        say_after_rerun("error", f"The introduction was not recorded. {exc}")
    else:
        say_after_rerun("success", f"Recorded as version {version.id}: {version.summary}.")
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
    with st.spinner("Checking the change against the current data…"):
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
        st.markdown("**How the headline figures would move**")
        figures = preview.figures()
        units = {"cross_border_share": "share"}
        st.table(pd.DataFrame({
            "Now": [format_value(v, units.get(k, "count")) for k, v in figures["before"].items()],
            "After": [format_value(v, units.get(k, "count")) for k, v in figures["after"].items()],
        }, index=pd.Index(figures["figure"].tolist(), name="Figure")))
    for note in preview.notes:
        st.caption(f"Note: {note}")
    show_diffs(preview.diffs)
    if len(preview.new_problems):
        st.markdown(f"**Rows this change would set aside: {preview.rows_newly_set_aside:,}**")
        widgets.problems_table(preview.new_problems, ONLY_WHERE)


def show_diffs(diffs: dict[str, changes.TableDiff]) -> None:
    """Each table's rows added, removed and changed, as in a pull request."""
    changed = {name: d for name, d in diffs.items() if not d.empty}
    if not changed:
        st.caption("No rows differ.")
        return
    for name, d in changed.items():
        c = d.counts
        with st.expander(f"{name}: {c['added']:,} added · {c['removed']:,} removed · "
                         f"{c['changed']:,} changed", expanded=len(changed) == 1):
            if len(d.changed):
                st.caption("Changed fields: old and new value")
                st.dataframe(widgets.capped(d.changed), hide_index=True, column_config={
                    "id": "Row ID", "row": "Row", "column": "Column", "old": "Old value",
                    "new": "New value"})
            for title, rows in (("Added rows", d.added), ("Removed rows", d.removed)):
                if len(rows):
                    st.caption(title)
                    st.dataframe(widgets.capped(rows.rename_axis("Row")))


def apply_button(key: str, preview: changes.Preview, label: str = "Apply as a new version") -> None:
    """The button that applies a preview, or why it cannot be applied."""
    if preview.blocked:
        st.warning(preview.blocked, icon=":material/block:")
        return
    if not st.button(label, type="primary", key=f"apply-{key}", icon=":material/done:"):
        return
    try:
        version = changes.apply(preview, who())
    except store.StaleError as exc:
        forget(key)  # prepared again, from the new data, on the rerun
        say_after_rerun("error", f"{exc} The preview below is new.")
    else:
        forget(key)
        st.session_state[f"applied-{key}"] = st.session_state.get(f"applied-{key}", 0) + 1
        say_after_rerun("success", f"Applied as version {version.id}: {version.summary}. The "
                        "version before it is kept on the Versions page.")
    st.rerun()


def applied_count(key: str) -> int:
    """How many changes this session applied under ``key``: part of a widget key, to clear it."""
    return st.session_state.get(f"applied-{key}", 0)


def edit_rows(dataset: Dataset, table: str, rows: pd.DataFrame, key: str) -> None:
    """Edit some rows of a table, check them again at every edit, and save them as a version."""
    text = text_tables(dataset)[table]
    edited = st.data_editor(rows.rename_axis("Row"), key=f"editor-{key}-{applied_count(key)}",
                            disabled=False, num_rows="fixed", width="stretch")
    if edited.equals(rows.rename_axis("Row")):
        st.caption("Edit a cell to fix it: the rows are checked again as you type.")
        return
    new = text.copy()
    new.loc[edited.index, edited.columns] = edited.fillna("").astype(str)
    preview = prepared(key, signature(table, edited.to_csv()), dataset, lambda: changes.prepare(
        dataset.folder, {table: changes.table_csv(new)}, action="edit",
        description=f"Rows of {table} corrected in the app", current=dataset))
    still = preview.after.problems_frame()
    still = still[(still["table"] == table) & still["row"].isin(edited.index)]
    if len(still):
        st.markdown(f"**Still wrong in these rows: {len(still):,} problem(s).** Fix them to "
                    "save: nothing is saved yet.")
        widgets.problems_table(still, ONLY_WHERE)
        return
    st.success("These rows are right now.", icon=":material/check:")
    show_preview(preview, compact=True)
    apply_button(key, preview, "Save as a new version")


def likely_duplicates(dataset: Dataset) -> pd.DataFrame:
    """The likely duplicate people of the current version, less those staff said differ."""
    return _likely_duplicates(str(dataset.folder), dataset.fingerprint,
                              store.dismissed_pairs(dataset.folder))


@st.cache_resource(show_spinner="Looking for people entered twice…", max_entries=4)
def _likely_duplicates(folder: str, content_fingerprint: str, dismissed: tuple) -> pd.DataFrame:
    return duplicates.find_duplicates(_text_tables(folder, content_fingerprint)["alumni"], dismissed)


def audit(dataset: Dataset) -> pd.DataFrame:
    """Who changed what and when (:func:`changes.audit`), worked out once per newest version."""
    newest = store.newest(dataset.folder)
    return _audit(str(dataset.folder), newest.id if newest else None)


@st.cache_resource(show_spinner="Reading the history…", max_entries=4)
def _audit(folder: str, newest: int | None) -> pd.DataFrame:
    return changes.audit(folder)
