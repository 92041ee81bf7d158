"""Versions: every state the data has been in, who made each change, compare, download, restore."""

import pandas as pd
import streamlit as st

from analytics import i18n
from analytics.curation import changes
from analytics.data import store
from analytics.data.spreadsheets import to_safe_csv
from analytics.i18n import _
from ui import curation, shell, widgets

dataset = shell.page("pages/versions.py")
curation.flash()
versions = store.history(dataset.folder)
if versions and dataset.version is None:
    st.warning(_("The folder's files were changed on the server, outside Kizuna, after the newest "
                 "version. They are the data shown now, and the next change keeps them as a "
                 "version first."), icon=":material/edit_note:")
if not versions:
    st.info(_("No versions yet. The first change made here (an import, a fix, a merge) keeps the "
              "data as it is now as version 1, then adds the change as version 2."),
            icon=":material/history:")
    st.stop()

by_id = {v.id: v for v in versions}
what_changed = _("What changed")
st.dataframe(pd.DataFrame({
    _("Version"): [v.id for v in versions],
    _("When (UTC)"): [i18n.date_time(v.when) for v in versions],
    _("Changed by"): [curation.who_shown(v.who) for v in versions],
    _("Change"): [_(v.action) for v in versions],
    what_changed: [v.translated_summary for v in versions],
}), hide_index=True, column_config={what_changed: st.column_config.TextColumn(width="large")})
st.caption(_("Version {version} is the current data.", version=versions[0].id)
           if dataset.version else
           _("The current data is the folder's own files (changed outside Kizuna)."))


def label(version_id: int) -> str:
    v = by_id[version_id]
    return _("{version} · {when} · {who}", version=v.id, when=i18n.date_time(v.when),
             who=curation.who_shown(v.who))


audit, compare, download, restore = st.tabs([_("Who changed what"), _("Compare two versions"),
                                             _("Download"), _("Restore")])
with audit:
    changed = curation.audit(dataset)
    st.caption(i18n.ngettext("{count} row added, removed or changed, newest first. A restore "
                             "shows as the rows it brings back.",
                             "{count} rows added, removed or changed, newest first. A restore "
                             "shows as the rows it brings back.", len(changed),
                             count=i18n.number(len(changed))))
    if len(changed):
        shown = curation.audit_shown(changed)
        st.dataframe(widgets.capped(shown), hide_index=True)
        st.download_button(_("Download the audit (CSV)"), to_safe_csv(shown), "kizuna-audit.csv",
                           mime="text/csv", icon=":material/download:")
with download:
    chosen = st.selectbox(_("Version"), list(by_id), format_func=label, key="download-version")
    st.download_button(_("Download version {version} (zip of CSV files)", version=chosen),
                       store.version_zip(by_id[chosen]), f"kizuna-data-version-{chosen}.zip",
                       mime="application/zip", icon=":material/download:")
with compare:
    left, right = st.columns(2)
    first = left.selectbox(_("From"), list(by_id), index=min(1, len(by_id) - 1),
                           format_func=label)
    second = right.selectbox(_("To"), list(by_id), index=0, format_func=label)
    curation.show_diffs(changes.compare_versions(dataset.folder, first, second))
with restore:
    if curation.writable(dataset):
        older = [v for v in by_id if v != versions[0].id] or list(by_id)
        back_to = st.selectbox(_("Make this version current again"), older, format_func=label)
        st.caption(_("{summary}. Restoring adds a new version with its data: nothing is "
                     "overwritten, and you can restore the current one again later.",
                     summary=by_id[back_to].translated_summary))
        if st.button(_("Restore version {version}", version=back_to), type="primary",
                     icon=":material/restore:"):
            try:
                made = store.restore(dataset.folder, back_to, who=curation.who())
            except store.StoreError as exc:
                curation.say_after_rerun("error", str(exc))
            else:
                curation.say_after_rerun("success", _("Version {version} is current again, as "
                                                      "version {new}.", version=back_to,
                                                      new=made.id))
            st.rerun()
