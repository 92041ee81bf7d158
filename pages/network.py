"""Network: the US-Japan and Asia-Pacific collaboration graph, its metrics and exports."""

import streamlit as st

from analytics import i18n, privacy
from analytics.data.countries import country_name
from analytics.i18n import N_, _, ngettext
from analytics.network import drawing, metrics
from analytics.network import export as graph_export
from analytics.network.analysis import DRAW_LIMIT, headline_figures, names_of
from analytics.network.model import LEVEL_NAMES, LEVELS, TIES_SHOWN
from analytics.outputs import charts
from analytics.selection import US_JAPAN, Selection
from ui import auth, cached, filters, graph_view, shell, widgets

# Choices are keys in the URL (?scope=us-japan), shown in the reader's language.
SCOPES = {"asia-pacific": N_("Asia-Pacific"), "us-japan": N_("US-Japan"),
          "countries": N_("Chosen countries")}

dataset = shell.page("pages/network.py")
nodes, ties = cached.network_model(dataset)
years = ties["start_year"].dropna()
first_year, last_year = (int(years.min()), int(years.max())) if len(years) else (2000, 2000)

with st.sidebar:
    st.subheader(_("View"))
    scope = filters.choice(_("Scope"), list(SCOPES), "scope", format_func=lambda s: _(SCOPES[s]))
    countries = filters.multiselect(_("Countries"), sorted(set(nodes["country"])), "country",
                                    format_func=country_name) if scope == "countries" else []
    level = filters.choice(_("Level"), LEVELS, "level", horizontal=False,
                           format_func=lambda v: _(LEVEL_NAMES[v]))
    as_of = filters.year(_("As of"), first_year, last_year, "as_of",
                         help=_("Only ties that had begun by the end of this year."))
    alumni = nodes[nodes["kind"] == "alum"]
    programs = filters.multiselect(_("Program"), sorted(set(alumni["program"])), "program")
    cohort_years = filters.year_range(_("Cohort years"), int(alumni["cohort_year"].min() or 0),
                                      int(alumni["cohort_year"].max() or 0), "cohort_year") \
        if len(alumni) else None
    causes = filters.multiselect(_("Cause"), sorted(set(nodes["causes"].explode().dropna())),
                                 "cause")
    kinds = filters.multiselect(_("Tie kind"), sorted(set(ties["kind"])), "tie_kind",
                                format_func=_)
    made = filters.choice(_("Ties shown"), list(TIES_SHOWN), "ties", horizontal=False,
                          format_func=lambda o: _(TIES_SHOWN[o][0]),
                          help=_("Partnerships record how they began (their origin): in the "
                                 "cohort, at a forum, by an introduction staff made, or "
                                 "otherwise."))
    st.subheader(_("Drawing"))
    named = lambda choice: _(drawing.STYLE_NAMES[choice])  # noqa: E731
    arrangement = filters.choice(_("Layout"), drawing.LAYOUTS, "layout", horizontal=False,
                                 format_func=named)
    color_by = filters.choice(_("Colour by"), drawing.COLOR_BY, "color_by", horizontal=False,
                              format_func=named)
    size_by = filters.choice(_("Size by"), drawing.SIZE_BY, "size_by", horizontal=False,
                             format_func=named)

selection = Selection(countries=US_JAPAN if scope == "us-japan" else tuple(countries),
                      as_of=as_of, programs=tuple(programs), years=cohort_years,
                      causes=tuple(causes), kinds=tuple(kinds), origins=TIES_SHOWN[made][1])
analysis = cached.analysed_view(dataset, selection, level)
graph, edges = analysis.graph, analysis.edges

if graph.number_of_nodes() == 0:
    st.info(_("No one is in this view. Widen the scope, the year or the filters in the sidebar."),
            icon=":material/filter_alt_off:")
    st.stop()

widgets.metric_row(headline_figures(analysis))

style = drawing.Style(color_by, size_by)
part = "all"
if graph.number_of_nodes() > DRAW_LIMIT and level != "countries":
    tables = cached.summary_tables(dataset, selection, level)
    sizes = tables["communities"]["members"]
    st.info(_("{count} nodes are more than a picture can show, so each community is drawn as "
              "one node. Open one to see its members.",
              count=i18n.number(graph.number_of_nodes())), icon=":material/bubble_chart:")
    part = st.selectbox(_("Open a community"), ["overview", *map(str, sizes.index)],
                        format_func=lambda p: _("All communities") if p == "overview" else
                        ngettext("Community {number} ({count} member)",
                                 "Community {number} ({count} members)", int(sizes[int(p)]),
                                 number=int(p) + 1, count=i18n.number(sizes[int(p)])),
                        key="community")
    if part == "overview":
        # Nearly every community is mostly Japanese: coloured by country (tried) the
        # overview is one colour, so each community keeps its own.
        style = drawing.Style("community", size_by)
drawn = cached.drawn_part(dataset, selection, level, part)
picture, card = st.columns([4, 1])
with picture:
    graph_view.show(cached.graph_data(dataset, selection, level, part, arrangement, style),
                    height="max(420px, calc(100vh - 400px))" if shell.presenting() else "640px")
with card:
    graph_view.card(dataset, drawn)
description = drawing.describe(drawn)
if level == "countries":
    st.caption(_("{description}. Each line joins two countries and is as wide as the ties between "
                 "them. Click a country to see its alumni and ties.", description=description))
elif part == "overview":
    st.caption(_("{description}. Each community has its own colour; purple lines join communities "
                 "tied mostly across a border. Open a community above to see its members, "
                 "coloured by “{choice}”.", description=description, choice=named(color_by)))
else:
    st.caption(_("{description}. Purple lines cross a border; the five top brokers are named. "
                 "Press Play to watch the network grow. Drag to pan, scroll to zoom, click a node "
                 "to see who or what it is; small names appear as you zoom in.",
                 description=description))
if shell.presenting():  # the graph is the screen
    st.stop()

made_by = auth.signed_in_as()  # a signed-in member of staff is named in what they take away
exports = st.columns(5)
downloads = [(_("Graph (HTML, offline)"), "kizuna-network.html", "text/html",
              lambda: cached.graph_html(dataset, selection, level, part, arrangement, style,
                                        made_by)),
             ("GEXF (Gephi)", "kizuna-network.gexf", "application/xml",
              lambda: graph_export.to_gexf(analysis)),
             ("GraphML (Cytoscape)", "kizuna-network.graphml", "application/xml",
              lambda: graph_export.to_graphml(analysis)),
             (_("Nodes (CSV)"), "kizuna-nodes.csv", "text/csv",
              lambda: graph_export.nodes_csv(analysis)),
             (_("Edges (CSV)"), "kizuna-edges.csv", "text/csv",
              lambda: graph_export.edges_csv(analysis))]
for column, (label, name, mime, make) in zip(exports, downloads, strict=True):
    column.download_button(label, i18n.keeping_language(make), file_name=name, mime=mime,
                           on_click="ignore", icon=":material/download:", width="stretch",
                           help=_("The drawing as one file that works with no internet.")
                           if name.endswith(".html") else None)

tables = cached.summary_tables(dataset, selection, level)
# One section at a time: a browser draws only what is asked for (the map loads plotly).
SECTIONS = [N_("Brokers"), N_("Bridges"), N_("Communities"), N_("Isolated alumni"),
            N_("Across borders"), N_("Across sectors"), N_("Growth"), N_("Map")]
section = filters.choice(_("Show"), SECTIONS, "show", format_func=_)
explain = metrics.explanation
if section == "Map":
    widgets.chart(charts.country_map, tables["countries"])
elif section == "Brokers":
    st.caption(explain("brokers"))
    graph_view.table(tables["brokers"][["label", "country", "betweenness", "degree",
                                        "cross_border_ties", "constraint"]])
elif section == "Bridges":
    st.caption(explain("bridges"))
    graph_view.table(tables["bridges"][["source_name", "target_name", "to_leaf", "source",
                                        "target"]])
elif section == "Isolated alumni":
    st.caption(explain("isolated"))
    if dataset.audience.may.reengagement_list:
        window = filters.year_range(_("No active tie in"), first_year, last_year,
                                    "inactive_years",
                                    default=(max(first_year, last_year - 1), last_year))
        isolated = metrics.isolated_alumni(analysis.nodes, analysis.ties, *window)
        st.write(ngettext("{count} alum had no active tie in {first}–{last}.",
                          "{count} alumni had no active tie in {first}–{last}.", len(isolated),
                          count=i18n.number(len(isolated)), first=window[0], last=window[1]))
        graph_view.table(isolated.assign(label=names_of(isolated, isolated.index))[
            ["label", "program", "cohort_year", "country", "organization"]])
    else:
        st.info(_("The re-engagement list is for program staff."), icon=":material/lock:")
elif section == "Communities":
    st.caption(explain("communities"))
    numbered = tables["communities"].reset_index()  # numbered from 1, as the drawing's are
    graph_view.table(privacy.groups_shown_to(
        dataset.audience, numbered.assign(community=numbered["community"] + 1), "community",
        "members", keys=[]))
elif section == "Across borders":
    st.caption(_("{ei_index} {assortativity} Assortativity by country here: {value}",
                 ei_index=explain("ei_index"), assortativity=explain("assortativity"),
                 value=metrics.assortativity_text(tables["assortativity"])))
    graph_view.table(tables["cross_border"], share=N_("Share abroad"))
    graph_view.table(tables["ei_by_year"])
elif section == "Across sectors":
    st.caption(explain("cross_sector"))
    graph_view.table(tables["cross_sector"], edges=N_("Ties between known sectors"),
                     share=N_("Share across sectors"))
elif section == "Growth":
    widgets.chart(charts.growth_chart, tables["growth"])
