"""The network drawing in the app: graph.js in a bidirectional component that says which node
was clicked, so the page can show who it is.

The component's own script and style (about 10 KB) travel with each run; vis-network (470 KB) is
loaded once per browser page from the app's static files (static/vis-network/), so a rerun sends
the drawing's data and no library. The clicked node is kept in the URL (``?node=ID``): a shared
link opens on it.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics.data.countries import country_name
from analytics.i18n import _
from analytics.network import drawing
from analytics.network.analysis import headers
from analytics.network.ego import node_card
from analytics.network.model import KIND_NAMES
from ui import widgets
from ui.shell import ROOT
from ui.widgets import safe

NODE_PARAM = "node"
KEY = "network_graph"

_LOADER = """
function loadVis() {
  if (window.vis && window.vis.Network) return Promise.resolve();
  if (!window.kizunaVisLoading) {
    window.kizunaVisLoading = new Promise(function (resolve, reject) {
      const script = document.createElement("script");
      script.src = new URL("app/static/vis-network/vis-network.min.js", document.baseURI).href;
      script.onload = resolve;
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }
  return window.kizunaVisLoading;
}

export default function (component) {
  const { data, setStateValue, parentElement } = component;
  let root = parentElement.querySelector(".kz-mount");
  if (!root) {
    root = document.createElement("div");
    root.className = "kz-mount";
    parentElement.appendChild(root);
  }
  root.style.setProperty("--kz-height", data.height);
  let mounted = null;
  let cancelled = false;
  loadVis().then(function () {
    if (cancelled) return;
    mounted = KizunaGraph.mount(root, data, {
      onSelect: function (id) { setStateValue("selected", id); },
    });
  });
  return function () {
    cancelled = true;
    if (mounted) mounted.destroy();
  };
}
"""

_component = st.components.v2.component(
    "kizuna_network",
    css=drawing.graph_assets()["graph_css"],
    js=drawing.graph_assets()["graph_js"] + _LOADER,
)


def _keep_in_url() -> None:
    """Selection callback: the clicked node in ``?node=ID`` before the rerun, so links are current."""
    selected = st.session_state[KEY].get("selected")
    if selected:
        st.query_params[NODE_PARAM] = selected
    else:
        st.query_params.pop(NODE_PARAM, None)


def selected_node() -> str | None:
    """The node the URL names (``?node=ID``), or None."""
    return st.query_params.get(NODE_PARAM) or None


def show(data: dict, height: str) -> None:
    """Draw :func:`analytics.network.drawing.graph_data` in the page, opened on the URL's node.

    ``height`` is the drawing's CSS height (``640px``; in presentation mode what the screen has
    left under the title and cards)."""
    _component(key=KEY, data={**data, "selected": selected_node(), "height": height},
               default={"selected": selected_node()}, on_selected_change=_keep_in_url)


def card(dataset, drawn) -> None:
    """Beside the graph: who or what the selected node is, as the audience may see it."""
    found = node_card(drawn, selected_node()) if selected_node() else None
    if found is None:
        st.caption(_("Click a node to see who or what it is."))
        return
    with st.container(border=True, key="node_card"):
        st.markdown(f"**{safe(found['title'])}**")
        for fact in found["facts"]:
            st.markdown(safe(fact))
        if found["kind"] == "alum" and dataset.audience.may.list_people:
            st.page_link(ROOT / "pages/alumni.py", label=_("Full profile"),
                         icon=":material/badge:", query_params={"profile": selected_node()})



def table(frame: pd.DataFrame, **names: str) -> None:
    """A table of the network's (``analysis.summary_tables``) in the reader's language: its
    index (a node, a country, a year) as its first column, headed as
    :func:`analytics.network.analysis.headers` says (``names`` for columns this table
    narrows), countries by name, kinds of node translated."""
    shown = frame.reset_index() if frame.index.name else frame
    if "top_country" in shown:
        shown = shown.assign(top_country=shown["top_country"].map(
            lambda c: country_name(c) if c else ""))
    if "kind" in shown:
        shown = shown.assign(kind=shown["kind"].map(lambda k: _(KIND_NAMES.get(k, k))))
    widgets.table(shown, headers=headers(shown.columns, **names))
