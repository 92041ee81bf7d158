"""Duplicates: people entered twice, with the reasons and a score; merge them, or say they differ."""

import pandas as pd
import streamlit as st

from analytics import i18n
from analytics.curation import changes, duplicates
from analytics.data import store
from analytics.i18n import _
from ui import curation, filters, shell, widgets

dataset = shell.page("pages/duplicates.py")
curation.flash()
texts = curation.text_tables(dataset)
pairs = curation.likely_duplicates(dataset)
pairs.index = pairs["first_id"] + "+" + pairs["second_id"]  # a pair's link: ?pair=A0001+A0203
st.markdown(_("People who may have been entered more than once: the same email; the same name "
              "however it was typed (width, case, katakana or hiragana); or one name in romaji "
              "and in Japanese, when the organization, email or city agrees too."))
if pairs.empty:
    st.success(_("No likely duplicates."), icon=":material/check:")
    st.stop()

alumni = texts["alumni"].drop_duplicates("alum_id").set_index("alum_id", drop=False)
local_names = alumni["name_local"] if "name_local" in alumni else [""] * len(alumni)
people = {alum: i18n.person(name, local) for alum, name, local in  # names as the language puts them
          zip(alumni["alum_id"], alumni["name"], local_names, strict=True)}
st.caption(i18n.ngettext("{count} likely pair, the likeliest first. Pick one to compare and merge.",
                         "{count} likely pairs, the likeliest first. Pick one to compare and "
                         "merge.", len(pairs), count=i18n.number(len(pairs))))
shown = pairs.assign(first_name=pairs["first_id"].map(people).fillna(pairs["first_name"]),
                     second_name=pairs["second_id"].map(people).fillna(pairs["second_name"]),
                     reasons=[str(reasons) for reasons in pairs["reasons"]])
picked = filters.row_picker(shown, list(pairs.index), "pair", "duplicate-pairs", hide_index=True,
                            column_order=["score", "first_id", "first_name", "second_id",
                                          "second_name", "reasons"],
                            column_config={"score": st.column_config.ProgressColumn(
                                _("Score"), min_value=0.0, max_value=1.0, format="%.2f",
                                width="small"),
                                "first_id": _("ID"), "first_name": _("Name"),
                                "second_id": _("Other ID"), "second_name": _("Other name"),
                                "reasons": st.column_config.TextColumn(_("Why"), width="large")})
if picked not in pairs.index:
    st.stop()

pair = shown.loc[picked]
first, second = pair["first_id"], pair["second_id"]
st.subheader(_("{first} and {second}", first=widgets.safe(first), second=widgets.safe(second)))
st.caption(_("Why: {reasons}", reasons=widgets.safe(pair["reasons"])))
side_by_side = pd.DataFrame({first: alumni.loc[first], second: alumni.loc[second]}).astype(str)
st.dataframe(side_by_side.rename(index=curation.column_headers("alumni", side_by_side.index)))
if not curation.writable(dataset):
    st.stop()

keep = st.radio(_("Keep the ID of"), [first, second], horizontal=True, key=f"keep-{picked}",
                format_func=lambda alum: f"{alum} · {people.get(alum, alum)}",
                help=_("The other row is folded into it: its blank fields are filled, and every "
                       "tie, project lead and partner list that names the other ID names this "
                       "one."))
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
    curation.apply_button("merge", preview, _("Merge {drop} into {keep}", drop=drop, keep=keep))
with right:
    if st.button(_("Not the same person"), icon=":material/person_off:",
                 help=_("Remembered with the data: this pair is not suggested again.")):
        store.mark_not_duplicates(dataset.folder, first, second, who=curation.who())
        curation.say_after_rerun("success", _("{first} and {second} will not be suggested again.",
                                              first=first, second=second))
        st.rerun()
