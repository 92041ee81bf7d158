"""Data health: what was loaded, what was set aside, and why. For staff."""

import streamlit as st

from analytics import i18n
from analytics.data.schema import LOAD_ORDER
from analytics.data.spreadsheets import to_safe_csv
from analytics.i18n import _, ngettext
from ui import curation, shell, widgets

dataset = shell.page("pages/data.py")
curation.flash()
report = dataset.report_frame()
problems = dataset.problems_frame()
errors = int((problems["severity"] == "error").sum())

facts = {"folder": dataset.folder, "fingerprint": dataset.fingerprint[:12],
         "date": i18n.date(dataset.data_date) if dataset.data_date else _("never")}
st.caption(_("Folder `{folder}` · version {version} · content fingerprint `{fingerprint}` · last "
             "changed {date}", version=dataset.version, **facts) if dataset.version else
           _("Folder `{folder}` · no versions kept yet · content fingerprint `{fingerprint}` · "
             "last changed {date}", **facts))
widgets.metric_row([
    (_("Rows read"), int(report["rows_read"].sum()), _("Non-blank data rows in every table.")),
    (_("Rows loaded"), int(report["rows_loaded"].sum()), _("Rows the app uses.")),
    (_("Rows set aside"), int(report["rows_rejected"].sum()), _("Rows with at least one error.")),
    (_("Errors"), errors, _("Problems that set a row, or a whole table, aside.")),
    (_("Warnings"), len(problems) - errors, _("Problems worth a look that set nothing aside.")),
])

st.subheader(_("Tables"))
st.dataframe(report.assign(table=report["table"].map(curation.table_name),
                           source=report["source"].fillna("")), hide_index=True,
             column_config={"table": _("Table"), "source": _("File"),
                            "rows_read": _("Rows read"), "rows_loaded": _("Rows loaded"),
                            "rows_rejected": _("Rows set aside")})

st.subheader(_("Problems"))
if problems.empty:
    st.success(_("No problems: every row of every table was loaded."), icon=":material/check:")
else:
    left, right = st.columns(2)
    tables = left.multiselect(_("Table"), sorted(problems["table"].dropna().unique()),
                              format_func=curation.table_name, placeholder=_("All tables"))
    severities = right.multiselect(_("Severity"), list(curation.SEVERITIES),
                                   format_func=lambda s: _(curation.SEVERITIES[s]),
                                   placeholder=_("Errors and warnings"))
    shown = problems[problems["table"].isin(tables or problems["table"].unique())
                     & problems["severity"].isin(severities or list(curation.SEVERITIES))]
    st.caption(ngettext("{count} of {total} problem. Row numbers are as your spreadsheet shows "
                        "them: the header is row 1.",
                        "{count} of {total} problems. Row numbers are as your spreadsheet shows "
                        "them: the header is row 1.", len(problems),
                        count=i18n.number(len(shown)), total=i18n.number(len(problems))))
    widgets.problems_table(curation.problems_shown(shown))
    st.download_button(_("Download the problem list (CSV)"),
                       to_safe_csv(curation.problems_file(problems)),
                       file_name="kizuna-problems.csv", mime="text/csv",
                       icon=":material/download:")

set_aside = {name: rows for name, rows in dataset.rejected.items() if len(rows)}
editable = curation.writable(dataset)
texts = curation.text_tables(dataset)
if set_aside:
    st.subheader(_("Fix the rows set aside"))
    st.caption(_("Each table's rows set aside, as read. Correct them here: they are checked "
                 "again at every edit, and saved as a new version of the data."))
    for name, rows in set_aside.items():
        with st.expander(ngettext("{table}: {count} row", "{table}: {count} rows", len(rows),
                                  table=curation.table_name(name), count=i18n.number(len(rows)))):
            rows_as_read = texts[name].loc[texts[name].index.intersection(rows.index)]
            if editable:
                curation.edit_rows(dataset, name, widgets.capped(rows_as_read), f"fix-{name}")
            else:
                st.dataframe(widgets.capped(rows_as_read.rename_axis(_("Row"))),
                             column_config=curation.column_headers(name, rows_as_read.columns))

if editable:
    st.subheader(_("Correct any row"))
    left, right = st.columns([1, 2])
    table = left.selectbox(_("Table"), LOAD_ORDER, key="correct-table",
                           format_func=curation.table_name)
    wanted = right.text_input(_("Find rows that contain"), key="correct-find",
                              placeholder=_("an ID, a name, an email…"))
    rows = texts[table]
    if wanted:
        hits = rows.apply(lambda column: column.str.contains(wanted, case=False, regex=False))
        rows = rows[hits.any(axis=1)]
    st.caption(ngettext("{count} row; the first 200 can be edited. A typo, a changed "
                        "organization, a consent withdrawn: each saved edit is a new version.",
                        "{count} rows; the first 200 can be edited. A typo, a changed "
                        "organization, a consent withdrawn: each saved edit is a new version.",
                        len(rows), count=i18n.number(len(rows))))
    curation.edit_rows(dataset, table, rows.head(200), f"correct-{table}")
