"""Data health: what was loaded, what was set aside, and why. For staff."""

import streamlit as st

from analytics.data.schema import LOAD_ORDER
from analytics.data.spreadsheets import to_safe_csv
from ui import curation, shell, widgets

dataset = shell.page("pages/data.py")
curation.flash()
report = dataset.report_frame()
problems = dataset.problems_frame()
errors = int((problems["severity"] == "error").sum())

version = f"version {dataset.version}" if dataset.version else "no versions kept yet"
st.caption(f"Folder `{dataset.folder}` · {version} · content fingerprint "
           f"`{dataset.fingerprint[:12]}` · last changed {dataset.data_date or 'never'}")
widgets.metric_row([
    ("Rows read", int(report["rows_read"].sum()), "Non-blank data rows in every table."),
    ("Rows loaded", int(report["rows_loaded"].sum()), "Rows the app uses."),
    ("Rows set aside", int(report["rows_rejected"].sum()), "Rows with at least one error."),
    ("Errors", errors, "Problems that set a row, or a whole table, aside."),
    ("Warnings", len(problems) - errors, "Problems worth a look that set nothing aside."),
])

st.subheader("Tables")
st.dataframe(report, hide_index=True, column_config={
    "table": "Table", "source": "File", "rows_read": "Rows read", "rows_loaded": "Rows loaded",
    "rows_rejected": "Rows set aside"})

st.subheader("Problems")
if problems.empty:
    st.success("No problems: every row of every table was loaded.", icon=":material/check:")
else:
    left, right = st.columns(2)
    tables = left.multiselect("Table", sorted(problems["table"].dropna().unique()))
    severities = right.multiselect("Severity", ["error", "warning"])
    shown = problems[problems["table"].isin(tables or problems["table"].unique())
                     & problems["severity"].isin(severities or ["error", "warning"])]
    st.caption(f"{len(shown):,} of {len(problems):,} problems. Row numbers are as your "
               "spreadsheet shows them: the header is row 1.")
    widgets.problems_table(shown)
    st.download_button("Download the problem list (CSV)", to_safe_csv(problems),
                       file_name="kizuna-problems.csv", mime="text/csv",
                       icon=":material/download:")

set_aside = {name: rows for name, rows in dataset.rejected.items() if len(rows)}
editable = curation.writable(dataset)
texts = curation.text_tables(dataset)
if set_aside:
    st.subheader("Fix the rows set aside")
    st.caption("Each table's rows set aside, as read. Correct them here: they are checked again "
               "at every edit, and saved as a new version of the data.")
    for name, rows in set_aside.items():
        with st.expander(f"{name}: {len(rows):,} row(s)"):
            rows_as_read = texts[name].loc[texts[name].index.intersection(rows.index)]
            if editable:
                curation.edit_rows(dataset, name, widgets.capped(rows_as_read), f"fix-{name}")
            else:
                st.dataframe(widgets.capped(rows_as_read))

if editable:
    st.subheader("Correct any row")
    left, right = st.columns([1, 2])
    table = left.selectbox("Table", LOAD_ORDER, key="correct-table")
    wanted = right.text_input("Find rows that contain", key="correct-find",
                              placeholder="an ID, a name, an email…")
    rows = texts[table]
    if wanted:
        hits = rows.apply(lambda column: column.str.contains(wanted, case=False, regex=False))
        rows = rows[hits.any(axis=1)]
    st.caption(f"{len(rows):,} row(s); the first 200 can be edited. A typo, a changed "
               "organization, a consent withdrawn: each saved edit is a new version.")
    curation.edit_rows(dataset, table, rows.head(200), f"correct-{table}")
