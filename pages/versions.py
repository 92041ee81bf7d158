"""Versions: every state the data has been in, who made each change, compare, download, restore."""

import pandas as pd
import streamlit as st

from analytics.curation import changes
from analytics.data import store
from analytics.data.spreadsheets import to_safe_csv
from ui import curation, shell, widgets

dataset = shell.page("pages/versions.py")
curation.flash()
versions = store.history(dataset.folder)
if versions and dataset.version is None:
    st.warning("The folder's files were changed on the server, outside Kizuna, after the newest "
               "version. They are the data shown now, and the next change keeps them as a "
               "version first.", icon=":material/edit_note:")
if not versions:
    st.info("No versions yet. The first change made here (an import, a fix, a merge) keeps the "
            "data as it is now as version 1, then adds the change as version 2.",
            icon=":material/history:")
    st.stop()

by_id = {v.id: v for v in versions}
st.dataframe(pd.DataFrame({
    "Version": [v.id for v in versions],
    "When (UTC)": [v.when.strftime("%Y-%m-%d %H:%M") for v in versions],
    "Who": [v.who for v in versions],
    "Change": [v.action for v in versions],
    "What changed": [v.summary for v in versions],
}), hide_index=True, column_config={"What changed": st.column_config.TextColumn(width="large")})
st.caption(f"Version {versions[0].id} is the current data" if dataset.version else
           "The current data is the folder's own files (changed outside Kizuna).")


def label(version_id: int) -> str:
    v = by_id[version_id]
    return f"{v.id} · {v.when:%Y-%m-%d %H:%M} · {v.who}"


audit, compare, download, restore = st.tabs(["Who changed what", "Compare two versions",
                                             "Download", "Restore"])
with audit:
    changed = curation.audit(dataset)
    st.caption(f"{len(changed):,} row(s) added, removed or changed, newest first. A restore "
               "shows as the rows it brings back.")
    st.dataframe(widgets.capped(changed), hide_index=True)
    st.download_button("Download the audit (CSV)", to_safe_csv(changed), "kizuna-audit.csv",
                       mime="text/csv", icon=":material/download:")
with download:
    chosen = st.selectbox("Version", list(by_id), format_func=label, key="download-version")
    st.download_button(f"Download version {chosen} (zip of CSV files)", store.version_zip(by_id[chosen]),
                       f"kizuna-data-version-{chosen}.zip", mime="application/zip",
                       icon=":material/download:")
with compare:
    left, right = st.columns(2)
    first = left.selectbox("From", list(by_id), index=min(1, len(by_id) - 1), format_func=label)
    second = right.selectbox("To", list(by_id), index=0, format_func=label)
    curation.show_diffs(changes.compare_versions(dataset.folder, first, second))
with restore:
    if curation.writable(dataset):
        older = [v for v in by_id if v != versions[0].id] or list(by_id)
        back_to = st.selectbox("Make this version current again", older, format_func=label)
        st.caption(f"{by_id[back_to].summary}. Restoring adds a new version with its data: "
                   "nothing is overwritten, and you can restore the current one again later.")
        if st.button(f"Restore version {back_to}", type="primary", icon=":material/restore:"):
            try:
                made = store.restore(dataset.folder, back_to, who=curation.who())
            except store.StoreError as exc:
                curation.say_after_rerun("error", str(exc))
            else:
                curation.say_after_rerun("success", f"Version {back_to} is current again, as "
                                         f"version {made.id}.")
            st.rerun()
