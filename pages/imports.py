"""Import: staff upload new data, read the preview like a pull request, and apply it."""

import streamlit as st

from analytics.curation import changes
from analytics.data import uploads
from analytics.data.template import template_xlsx
from ui import curation, shell

dataset = shell.page("pages/imports.py")
curation.flash()
st.markdown("Upload CSV files, a zip of them, or one Excel workbook with a sheet per table, for "
            "some or all tables. Nothing changes until you apply: the preview shows every row "
            "added, removed and changed, what would be set aside, and how the figures would move.")
st.download_button("Download the Excel template", template_xlsx(), "kizuna-template.xlsx",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                   icon=":material/download:",
                   help="A sheet per table with its columns, a note on each and drop-down lists.")
if not curation.writable(dataset):
    st.stop()

limits = uploads.Limits.from_env()
files = st.file_uploader(
    "Data to import", type=["csv", "xlsx", "zip"], accept_multiple_files=True,
    key=f"upload-{curation.applied_count('import')}",
    help=f"Up to {limits.upload_bytes // 2**20} MB an upload and {limits.rows_per_table:,} rows "
         "a table; the server's administrator can change these limits.")
if not files:
    st.stop()
try:
    upload = uploads.read_upload([(f.name, f.getvalue()) for f in files], limits)
except uploads.UploadError as exc:
    st.error(f"Nothing was imported. {exc}", icon=":material/error:")
    st.stop()

names = ", ".join(f.name for f in files)
preview = curation.prepared("import", curation.signature(*(f.getvalue() for f in files)), dataset,
                            lambda: changes.prepare(dataset.folder, upload.files, action="import",
                                                    description=f"Import of {names}",
                                                    current=dataset, notes=upload.notes))
st.subheader("Preview")
st.caption(" · ".join(f"{table} from {origin}" for table, origin in upload.origins.items()))
curation.show_preview(preview)
curation.apply_button("import", preview)
