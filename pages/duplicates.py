"""Duplicates: people entered twice, with the reasons and a score; merge them, or say they differ."""

import pandas as pd
import streamlit as st

from analytics.curation import changes, duplicates
from analytics.data import store
from ui import curation, filters, shell, widgets

dataset = shell.page("pages/duplicates.py")
curation.flash()
texts = curation.text_tables(dataset)
pairs = curation.likely_duplicates(dataset)
pairs.index = pairs["first_id"] + "+" + pairs["second_id"]  # a pair's link: ?pair=A0001+A0203
st.markdown("People who may have been entered more than once: the same email; the same name "
            "however it was typed (width, case, katakana or hiragana); or one name in romaji and "
            "in Japanese, when the organization, email or city agrees too.")
if pairs.empty:
    st.success("No likely duplicates.", icon=":material/check:")
    st.stop()

st.caption(f"{len(pairs):,} likely pair(s), the likeliest first. Pick one to compare and merge.")
picked = filters.row_picker(pairs, list(pairs.index), "pair", "duplicate-pairs", hide_index=True,
                            column_order=["score", "first_id", "first_name", "second_id",
                                          "second_name", "reasons"],
                            column_config={"score": st.column_config.ProgressColumn(
                                "Score", min_value=0.0, max_value=1.0, format="%.2f"),
                                "first_id": "ID", "first_name": "Name", "second_id": "Other ID",
                                "second_name": "Other name",
                                "reasons": st.column_config.TextColumn("Why", width="large")})
if picked not in pairs.index:
    st.stop()

pair = pairs.loc[picked]
first, second = pair["first_id"], pair["second_id"]
alumni = texts["alumni"].drop_duplicates("alum_id").set_index("alum_id", drop=False)
st.subheader(f"{widgets.safe(first)} and {widgets.safe(second)}")
st.caption(f"Why: {widgets.safe(pair['reasons'])}")
st.dataframe(pd.DataFrame({first: alumni.loc[first], second: alumni.loc[second]}).astype(str))
if not curation.writable(dataset):
    st.stop()

keep = st.radio("Keep the ID of", [first, second], horizontal=True, key=f"keep-{picked}",
                help="The other row is folded into it: its blank fields are filled, and every "
                     "tie, project lead and partner list that names the other ID names this one.")
drop = second if keep == first else first
merged = duplicates.merge_people(texts, keep, drop)
preview = curation.prepared(
    "merge", curation.signature(keep, drop), dataset,
    lambda: changes.prepare(dataset.folder, {name: changes.table_csv(frame)
                                             for name, frame in merged.tables.items()
                                             if frame is not texts[name]},
                            action="merge", description=merged.summary, current=dataset))
curation.show_preview(preview, compact=True)
left, right = st.columns(2)
with left:
    curation.apply_button("merge", preview, f"Merge {drop} into {keep}")
with right:
    if st.button("Not the same person", icon=":material/person_off:",
                 help="Remembered with the data: this pair is not suggested again."):
        store.mark_not_duplicates(dataset.folder, first, second, who=curation.who())
        curation.say_after_rerun("success", f"{first} and {second} will not be suggested again.")
        st.rerun()
