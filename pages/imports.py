"""Import: staff upload new data, read the preview like a pull request, and apply it."""

import streamlit as st

from analytics import i18n
from analytics.curation import changes
from analytics.data import uploads
from analytics.data.template import template_xlsx
from analytics.i18n import _, lazy
from ui import curation, shell

dataset = shell.page("pages/imports.py")
curation.flash()
st.markdown(_("Upload CSV files, a zip of them, or one Excel workbook with a sheet per table, for "
              "some or all tables. Nothing changes until you apply: the preview shows every row "
              "added, removed and changed, what would be set aside, and how the figures would "
              "move."))
# The template is in the language of the page; its file name says which, in letters every
# mail system and zip tool keeps.
st.download_button(_("Download the Excel template"), template_xlsx(),
                   "kizuna-template.xlsx" if i18n.language() == "en" else
                   f"kizuna-template-{i18n.language()}.xlsx",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                   icon=":material/download:",
                   help=_("A sheet per table with its columns, a note on each and drop-down "
                          "lists."))
if not curation.writable(dataset):
    st.stop()

limits = uploads.Limits.from_env()
curation.upload_box_in_language()
files = st.file_uploader(
    _("Data to import"), type=["csv", "xlsx", "zip"], accept_multiple_files=True,
    key=f"upload-{curation.applied_count('import')}",
    help=_("Up to {size} MB an upload and {rows} rows a table; the server's administrator can "
           "change these limits.", size=i18n.number(limits.upload_bytes // 2**20),
           rows=i18n.number(limits.rows_per_table)))
if not files:
    st.stop()
try:
    upload = uploads.read_upload([(f.name, f.getvalue()) for f in files], limits)
except uploads.UploadError as exc:
    st.error(_("Nothing was imported. {reason}", reason=exc), icon=":material/error:")
    st.stop()

names = ", ".join(f.name for f in files)
# The notes are the upload's, read on this run in its language; the preview is kept across runs.
preview = curation.prepared("import", curation.signature(*(f.getvalue() for f in files)), dataset,
                            lambda: changes.prepare(dataset.folder, upload.files, action="import",
                                                    description=lazy("Import of {files}",
                                                                     files=names),
                                                    current=dataset))
st.subheader(_("Preview"))
st.caption(" · ".join(_("{table} from {origin}", table=curation.table_name(table), origin=origin)
                      for table, origin in upload.origins.items()))
for note in upload.notes:
    st.caption(_("Note: {note}", note=note))
curation.show_preview(preview)
curation.apply_button("import", preview)
