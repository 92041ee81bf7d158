"""Network: the US-Japan and Asia-Pacific collaboration graph, its metrics and exports."""

import streamlit as st

from analytics import privacy
from analytics.data.countries import country_name
from analytics.network import drawing, metrics
from analytics.network import export as graph_export
from analytics.network.analysis import DRAW_LIMIT, headline_figures
from analytics.network.model import LEVELS, TIES_SHOWN
from analytics.outputs import charts
from analytics.selection import US_JAPAN, Selection
from ui import auth, cached, filters, graph_view, shell, widgets

SCOPES = {"asia-pacific": "Asia-Pacific", "us-japan": "US-Japan", "countries": "Chosen countries"}

dataset = shell.page("pages/network.py")
nodes, ties = cached.network_model(dataset)
years = ties["start_year"].dropna()
first_year, last_year = (int(years.min()), int(years.max())) if len(years) else (2000, 2000)

with st.sidebar:
    st.subheader("View")
    scope = filters.choice("Scope", list(SCOPES), "scope", format_func=SCOPES.get)
    countries = filters.multiselect("Countries", sorted(set(nodes["country"])), "country",
                                    format_func=country_name) if scope == "countries" else []
    level = filters.choice("Level", LEVELS, "level", horizontal=False,
                           format_func={"people and organizations": "People and organizations",
                                        "alumni": "Alumni only", "countries": "Countries"}.get)
    as_of = filters.year("As of", first_year, last_year, "as_of",
                         help="Only ties that had begun by the end of this year.")
    alumni = nodes[nodes["kind"] == "alum"]
    programs = filters.multiselect("Program", sorted(set(alumni["program"])), "program")
    cohort_years = filters.year_range("Cohort years", int(alumni["cohort_year"].min() or 0),
                                      int(alumni["cohort_year"].max() or 0), "cohort_year") \
        if len(alumni) else None
    causes = filters.multiselect("Cause", sorted(set(nodes["causes"].explode().dropna())), "cause")
    kinds = filters.multiselect("Tie kind", sorted(set(ties["kind"])), "tie_kind")
    made = filters.choice("Ties shown", list(TIES_SHOWN), "ties", horizontal=False,
                          format_func=lambda o: TIES_SHOWN[o][0],
                          help="Partnerships record how they began (their origin): in the cohort, "
                               "at a forum, by an introduction staff made, or otherwise.")
    st.subheader("Drawing")
    arrangement = filters.choice("Layout", drawing.LAYOUTS, "layout", horizontal=False,
                                 format_func={"by country": "By country (Japan, the US, Asia)",
                                              "force": "By ties (force layout)"}.get)
    color_by = filters.choice("Colour by", drawing.COLOR_BY, "color_by", horizontal=False)
    size_by = filters.choice("Size by", drawing.SIZE_BY, "size_by", horizontal=False)

selection = Selection(countries=US_JAPAN if scope == "us-japan" else tuple(countries),
                      as_of=as_of, programs=tuple(programs), years=cohort_years,
                      causes=tuple(causes), kinds=tuple(kinds), origins=TIES_SHOWN[made][1])
analysis = cached.analysed_view(dataset, selection, level)
graph, edges = analysis.graph, analysis.edges

if graph.number_of_nodes() == 0:
    st.info("No one is in this view. Widen the scope, the year or the filters in the sidebar.",
            icon=":material/filter_alt_off:")
    st.stop()

widgets.metric_row(headline_figures(analysis))

style = drawing.Style(color_by, size_by)
part = "all"
if graph.number_of_nodes() > DRAW_LIMIT and level != "countries":
    tables = cached.summary_tables(dataset, selection, level)
    sizes = tables["communities"]["members"]
    st.info(f"{graph.number_of_nodes():,} nodes are more than a picture can show, so each "
            "community is drawn as one node. Open one to see its members.",
            icon=":material/bubble_chart:")
    part = st.selectbox("Open a community", ["overview", *map(str, sizes.index)],
                        format_func=lambda p: "All communities" if p == "overview" else
                        f"Community {int(p) + 1} ({sizes[int(p)]:,} members)", key="community")
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
overview_note = (f" Each community has its own colour; open one to colour its members by "
                 f"{color_by}." if part == "overview" and color_by != "community" else "")
st.caption(f"{drawing.describe(drawn)}. Purple lines cross a border; the five top brokers are "
           f"named.{overview_note} Press Play to watch the network grow. Drag to pan, scroll to "
           "zoom, click a node to see who it is; small names appear as you zoom in.")
if shell.presenting():  # the graph is the screen
    st.stop()

made_by = auth.signed_in_as()  # a signed-in member of staff is named in what they take away
exports = st.columns(5)
downloads = [("Graph (HTML, offline)", "kizuna-network.html", "text/html",
              lambda: cached.graph_html(dataset, selection, level, part, arrangement, style,
                                        made_by)),
             ("GEXF (Gephi)", "kizuna-network.gexf", "application/xml",
              lambda: graph_export.to_gexf(analysis)),
             ("GraphML (Cytoscape)", "kizuna-network.graphml", "application/xml",
              lambda: graph_export.to_graphml(analysis)),
             ("Nodes (CSV)", "kizuna-nodes.csv", "text/csv",
              lambda: graph_export.nodes_csv(analysis)),
             ("Edges (CSV)", "kizuna-edges.csv", "text/csv",
              lambda: graph_export.edges_csv(analysis))]
for column, (label, name, mime, make) in zip(exports, downloads, strict=True):
    column.download_button(label, make, file_name=name, mime=mime, on_click="ignore",
                           icon=":material/download:", width="stretch")

tables = cached.summary_tables(dataset, selection, level)
# One section at a time: a browser draws only what is asked for (the map loads plotly).
SECTIONS = ["Brokers", "Bridges", "Communities", "Isolated alumni", "Across borders",
            "Across sectors", "Growth", "Map"]
section = filters.choice("Show", SECTIONS, "show")
if section == "Map":
    widgets.chart(charts.country_map, tables["countries"])
elif section == "Brokers":
    st.caption(metrics.EXPLANATIONS["brokers"])
    widgets.table(tables["brokers"])
elif section == "Bridges":
    st.caption(metrics.EXPLANATIONS["bridges"])
    widgets.table(tables["bridges"])
elif section == "Isolated alumni":
    st.caption(metrics.EXPLANATIONS["isolated"])
    if dataset.audience.may.reengagement_list:
        window = filters.year_range("No active tie in", first_year, last_year, "inactive_years",
                                    default=(max(first_year, last_year - 1), last_year))
        isolated = metrics.isolated_alumni(analysis.nodes, analysis.ties, *window)
        st.write(f"{len(isolated):,} alumni had no active tie in {window[0]}–{window[1]}.")
        widgets.table(isolated[["label", "program", "cohort_year", "country", "organization"]])
    else:
        st.info("The re-engagement list is for program staff.", icon=":material/lock:")
elif section == "Communities":
    st.caption(metrics.EXPLANATIONS["communities"])
    widgets.table(privacy.groups_shown_to(dataset.audience, tables["communities"].reset_index(),
                                          "community", "members", keys=[]))
elif section == "Across borders":
    st.caption(f"{metrics.EXPLANATIONS['ei_index']} {metrics.EXPLANATIONS['assortativity']} "
               f"Assortativity by country here: {metrics.assortativity_text(tables['assortativity'])}")
    widgets.table(tables["cross_border"])
    widgets.table(tables["ei_by_year"])
elif section == "Across sectors":
    st.caption(metrics.EXPLANATIONS["cross_sector"])
    widgets.table(tables["cross_sector"])
elif section == "Growth":
    widgets.chart(charts.growth_chart, tables["growth"])
