// Kizuna's network drawing, shared by the offline file (network.html) and the app's component
// (ui/graph_view.py). It needs vis-network as the global `vis`. Everything that comes from the
// data is set as text (textContent, option values, canvas labels), never parsed as HTML. It has
// no words of its own: data.labels gives them in the reader's language (drawing_words).
"use strict";

const KizunaGraph = (function () {
  const FADED = "rgba(160,160,160,0.16)";
  const STEP_MS = 1400;  // one year of growth: slow enough for a room to read the counts

  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function tip(lines) {
    const box = el("div", {class: "tip"});
    for (const line of lines) box.appendChild(el("div", {}, line));
    return box;
  }

  function percent(part, whole) {
    return whole ? Math.round(100 * part / whole) + "%" : "–";
  }

  // A sentence of data.labels with its {placeholders} filled.
  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, (all, name) => name in values ? String(values[name]) : all);
  }

  // root: an element to draw into. data: nodes, edges, options, legend, years, labels.
  // hooks.onSelect(id or null) is told of clicks; hooks.panel (true in the offline file) shows
  // the clicked node's details beside the graph; hooks.onDrawn() is called once the first
  // picture is on screen. Returns {network, destroy}.
  function mount(root, data, hooks) {
    hooks = hooks || {};
    root.textContent = "";
    root.classList.add("kz-root");
    const words = data.labels;
    const count = n => n.toLocaleString(words.locale);
    const tieCount = n => fill(words.ties[n === 1 ? 0 : 1], {count: count(n)});
    const bar = el("div", {class: "kz-bar"});
    const search = el("input", {class: "kz-search", list: "kz-names", autocomplete: "off",
                                placeholder: words.find, "aria-label": words.find});
    const names = el("datalist", {id: "kz-names"});
    const found = el("span", {class: "kz-found", "aria-live": "polite"});
    const play = el("button", {type: "button", class: "kz-play", "aria-label": words.play_growth},
                    "▶ " + words.play);
    const year = el("input", {type: "range", class: "kz-year", "aria-label": words.year});
    const yearText = el("span", {class: "kz-year-text", "aria-live": "polite"});
    const crossLabel = el("label", {class: "kz-cross"});
    const cross = el("input", {type: "checkbox"});
    crossLabel.appendChild(cross);
    crossLabel.appendChild(document.createTextNode(" " + words.cross));
    bar.append(search, names, found);
    if (data.years) bar.append(play, year, yearText);
    bar.append(crossLabel);
    const legendBox = el("div", {class: "kz-legend", role: "group", "aria-label": words.legend});
    const body = el("div", {class: "kz-body"});
    const graphBox = el("div", {class: "kz-graph", role: "img", "aria-label": data.title || words.graph});
    const panel = el("aside", {class: "kz-panel", "aria-live": "polite"});
    body.append(graphBox);
    if (hooks.panel) body.append(panel);
    root.append(bar, legendBox, body);

    // Edges come as rows of data.edge_fields; their colour and tooltip are made here.
    data = Object.assign({}, data, {edges: data.edges.map(function (row) {
      const e = {};
      data.edge_fields.forEach(function (field, i) { e[field] = row[i]; });
      e.color = e.cross ? data.colors.cross : data.colors.home;
      e.tooltip = [e.kinds + " · " + tieCount(e.ties) + (e.cross ? " · " + words.across : "")];
      return e;
    })});
    const nodes = new vis.DataSet(data.nodes.map(n => Object.assign({}, n, {title: tip(n.tooltip), tooltip: undefined})));
    const edges = new vis.DataSet(data.edges.map((e, i) => Object.assign({id: i}, e, {title: tip(e.tooltip), tooltip: undefined, kinds: undefined, ties: undefined})));
    const network = new vis.Network(graphBox, {nodes: nodes, edges: edges}, data.options);
    root.kizunaNetwork = network;  // for tests and the curious: the drawing's vis-network
    network.fit({animation: false, maxZoomLevel: 1});
    // Names are measured when first drawn; fitting again then keeps the outer names inside.
    network.once("afterDrawing", function () {
      network.once("afterDrawing", function () {
        root.dataset.drawn = "true";
        if (hooks.onDrawn) hooks.onDrawn();
      });
      network.fit({animation: false, maxZoomLevel: data.maxZoom || 1});
    });

    for (const item of data.legend) {
      const entry = el("span");
      const swatch = el("span", {class: "kz-swatch"});
      swatch.style.background = item.color;
      entry.append(swatch, document.createTextNode(item.label + " (" + count(item.count) + ")"));
      legendBox.appendChild(entry);
    }

    // Decor (a region's title) is drawn but never counted, searched or selected. A node is found
    // by the name drawn beside it or by its full name (the tooltip's first line: in Japanese a
    // person's local and romanized names).
    const real = data.nodes.filter(n => !n.decor);
    const fullName = n => (n.tooltip && n.tooltip[0]) || n.label;
    const byName = new Map();
    for (const n of real) {
      if (!byName.has(n.label)) {
        byName.set(n.label, n.id);
        names.appendChild(el("option", {value: n.label}));
      }
    }

    // What is shown: the year the growth has reached, the search's focus, the cross-border filter.
    const state = {year: data.years ? data.years[1] : null, focus: null, crossOnly: false};
    const nodeYear = new Map(real.map(n => [n.id, n.year]));
    function draw() {
      const shown = new Set(data.nodes.filter(n => n.decor || state.year === null || n.year === null || n.year <= state.year).map(n => n.id));
      const counted = real.filter(n => shown.has(n.id)).length;
      const near = state.focus === null ? null : new Set([state.focus, ...network.getConnectedNodes(state.focus)]);
      const crossing = new Set();
      const edgeUpdates = data.edges.map((e, i) => {
        const visible = shown.has(e.from) && shown.has(e.to) && (state.year === null || e.year === null || e.year <= state.year);
        if (visible && e.cross) { crossing.add(e.from); crossing.add(e.to); }
        const faded = (state.crossOnly && !e.cross) ||
          (state.focus !== null && e.from !== state.focus && e.to !== state.focus);
        return {id: i, hidden: !visible, color: faded ? FADED : e.color};
      });
      edges.update(edgeUpdates);
      nodes.update(data.nodes.map(n => {
        const lit = n.decor || ((near === null || near.has(n.id)) && (!state.crossOnly || crossing.has(n.id)));
        return {id: n.id, hidden: !shown.has(n.id), color: lit ? n.color : FADED,
                label: near !== null && !near.has(n.id) ? "" : n.label};
      }));
      if (data.years) {
        const ties = edgeUpdates.filter(e => !e.hidden);
        const across = ties.filter(e => data.edges[e.id].cross).length;
        yearText.textContent = fill(words.growth, {year: state.year, nodes: count(counted),
          ties: count(ties.length), share: percent(across, ties.length)});
        year.value = state.year;
      }
      root.dataset.shownNodes = String(counted);
    }

    function details(id) {
      panel.textContent = "";
      if (id === null) return;
      const node = real.find(n => n.id === id);
      if (!node) return;
      panel.appendChild(el("h2", {}, fullName(node)));
      for (const line of node.tooltip.slice(1)) panel.appendChild(el("p", {}, line));
    }

    function select(id, fromUser) {
      state.focus = id;
      if (id === null) { network.unselectAll(); found.textContent = ""; }
      else {
        network.selectNodes([id]);
        found.textContent = tieCount(network.getConnectedNodes(id).length);
      }
      draw();
      if (hooks.panel) details(id);
      if (fromUser && hooks.onSelect) hooks.onSelect(id);
    }

    network.on("click", function (event) {
      const id = event.nodes.length && nodeYear.has(event.nodes[0]) ? event.nodes[0] : null;
      if (id !== state.focus) select(id, true);
    });
    search.addEventListener("input", function () {
      const value = search.value.trim();
      if (!value) { select(null, true); return; }
      const id = byName.has(value) ? byName.get(value) :
        (real.find(n => fullName(n).toLowerCase().includes(value.toLowerCase())) || {}).id;
      if (id === undefined) { found.textContent = words.no_match; return; }
      select(id, true);
      network.focus(id, {scale: 1.2, animation: false});
    });
    cross.addEventListener("change", function () { state.crossOnly = cross.checked; draw(); });

    let timer = null;
    function stop() {
      clearInterval(timer);
      timer = null;
      play.textContent = "▶ " + words.play;
      play.setAttribute("aria-label", words.play_growth);
      root.dataset.playing = "false";
    }
    if (data.years) {
      year.min = data.years[0];
      year.max = data.years[1];
      year.step = 1;
      year.addEventListener("input", function () { stop(); state.year = Number(year.value); draw(); });
      play.addEventListener("click", function () {
        if (timer !== null) { stop(); return; }  // pause on the year shown
        if (state.year >= data.years[1]) state.year = data.years[0];
        draw();
        play.textContent = "❚❚ " + words.pause;
        play.setAttribute("aria-label", words.pause_growth);
        root.dataset.playing = "true";
        timer = setInterval(function () {
          if (state.year >= data.years[1]) { stop(); return; }
          state.year += 1;
          draw();
        }, hooks.stepMs || STEP_MS);
      });
    }
    if (data.selected !== null && data.selected !== undefined && nodeYear.has(data.selected)) {
      select(data.selected, false);
    } else {
      draw();
    }
    return {network: network, destroy: function () { stop(); network.destroy(); }};
  }

  return {mount: mount};
})();
