"""Which interface strings of a page run are not in the language it was asked for.

Every string an AppTest run put on the page is collected from the elements'
protocol messages (labels, help, options, markdown, captions, alerts, tab and
expander labels, metric labels, dataframe headers, chart titles, axes, legends
and hover text), less the machine fields (ids, keys, URLs). Data values are
taken out of each string (names, titles and words the dataset itself holds),
and so are code, file names and environment variables. What is left must be
in the page's language: in Japanese no run of English words, in English no
Japanese.

``python -m tests.language_check pages/overview.py --lang ja [--query k=v]`` prints
the leftovers of one page run (KIZUNA_AUDIENCE decides the audience).
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

import pandas as pd
from google.protobuf.message import Message

# Fields that carry machine text, not interface text.
MACHINE_FIELDS = {
    "id", "form_id", "key", "url", "page_script_hash", "page", "url_path", "icon", "theme",
    "data", "arrow_data", "styler", "column_order", "default", "value", "set_value",
    "mime", "file_id", "type", "format", "step", "language", "component_name", "json_args",
    "css_class", "html", "js", "css", "src", "href", "name", "selection_mode",
    "width_config", "height_config", "placeholder_icon", "config", "query_string", "columns",
    "json", "js_content", "css_content", "deferred_file_id", "code_text",
}
# Names and terms that are the same in both languages.
SAME_IN_BOTH = {
    "Kizuna", "KIZUNA", "CSV", "PDF", "HTML", "PNG", "SVG", "GEXF", "GraphML", "URL", "KPI",
    "ID", "IDs", "Excel", "xlsx", "zip", "NPO", "iLEAP", "TOMODACHI", "Microsoft", "E-I",
    "ISO", "JSON", "MB", "GB", "XLSX", "Google", "Kumu", "Gephi", "Chromium", "Streamlit", "US",
    "USD", "JPY", "vs", "Alum",  # pseudonyms (Alum 7F3A) are the same in both languages
    "UTC", "Louvain", "PageRank", "IRIS", "PI", "Krackhardt", "Leiden", "Burt", "Cytoscape",
    "n", "k", "x", "y",
}
# The app's name; the language switch's two choices; IRIS+ metric names (IRIS+ is in English).
_BRAND = ("Kizuna 絆", "日本語", "English", "Individuals Trained", "Client Individuals")
_CODE = re.compile(r"<(style|script)[\s\S]*?</\1>|`[^`]*`|https?://\S+|\b[\w./-]+\.(?:md|csv|xlsx|zip|html|png|svg|gexf|"
                   r"graphml|json|py)\b|\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b|\$\$[\w-]+|%\{[^}]*\}|"
                   r"<[^>]+>|:material/\w+:|\?\w+=[\w,.-]*")
_ENGLISH_RUN = re.compile(r"[A-Za-z][A-Za-z'’]+(?:[ -][A-Za-z][A-Za-z'’]+)*")
_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff66-\uff9f]")


def _proto_strings(message: Message) -> Iterator[tuple[str, str]]:
    for field, value in message.ListFields():
        if field.name in MACHINE_FIELDS:
            if field.name == "spec" or field.name == "figure":
                yield from _figure_strings(value)
            continue
        if field.name in ("spec", "figure"):
            yield from _figure_strings(value if isinstance(value, str) else
                                       getattr(value, "spec", ""))
            continue
        repeated = not isinstance(value, str | bytes | Message) and hasattr(value, "__len__")
        values = value if repeated else [value]
        for item in values:
            if isinstance(item, Message):
                yield from _proto_strings(item)
            elif isinstance(item, str) and item.strip():
                yield field.name, item


def _figure_strings(spec: str) -> Iterator[tuple[str, str]]:
    """A plotly figure's words: titles, axis titles, legend, trace names, hover, annotations."""
    try:
        figure = json.loads(spec)
    except (TypeError, ValueError):
        return
    layout = figure.get("layout", {})
    for name, part in layout.items():
        if isinstance(part, dict):
            title = part.get("title")
            text = title.get("text") if isinstance(title, dict) else title
            if isinstance(text, str):
                yield f"layout.{name}.title", text
    title = layout.get("title")
    if isinstance(title, dict) and isinstance(title.get("text"), str):
        yield "layout.title", title["text"]
    for note in layout.get("annotations", []):
        if isinstance(note.get("text"), str):
            yield "annotation", note["text"]
    for trace in figure.get("data", []):
        for key in ("name", "hovertemplate"):
            if isinstance(trace.get(key), str):
                yield f"trace.{key}", trace[key]


def _dataframe_headers(element) -> Iterator[tuple[str, str]]:
    """The headers a table shows: a column's configured label, else its name."""
    config = json.loads(getattr(element.proto, "columns", "") or "{}")
    try:
        frame = element.value
    except Exception:  # noqa: BLE001 (a table AppTest cannot read has no headers to check)
        return
    if isinstance(frame, pd.DataFrame):
        for column in frame.columns:
            shown = config.get(str(column), {})
            if isinstance(shown, dict) and shown.get("hidden"):
                continue
            label = shown.get("label") if isinstance(shown, dict) else None
            yield ("column label", label) if isinstance(label, str) else ("column", str(column))


def interface_strings(at) -> list[tuple[str, str]]:
    """Every (field, text) an AppTest run shows, from the main area and the sidebar."""
    found: list[tuple[str, str]] = []

    def walk(node) -> None:
        proto = getattr(node, "proto", None)
        if isinstance(proto, Message):
            found.extend(_proto_strings(proto))
        if getattr(node, "type", "") in ("dataframe", "arrow_data_frame", "table"):
            found.extend(_dataframe_headers(node))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return found


def data_values(tables: dict[str, pd.DataFrame], *more: str) -> list[str]:
    """Every text the dataset holds (names, titles, programs, places..., and the headers its
    files wrote), and ``more`` such as the folder's name, longest first."""
    values: set[str] = set(more)
    for frame in tables.values():
        values.update(str(c) for c in frame.columns)
        for column in frame.columns:
            series = frame[column]
            if series.dtype == object or pd.api.types.is_string_dtype(series):
                for value in series.dropna():
                    items = value if isinstance(value, list | tuple) else [value]
                    values.update(str(v) for v in items if len(str(v)) > 1)
    return sorted(values, key=len, reverse=True)


_ESCAPED = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>~$])")  # data text escaped for markdown


def _without(text: str, values: re.Pattern) -> str:
    return values.sub(" ", _CODE.sub(" ", _ESCAPED.sub(r"\1", text)))


def _pattern(values: Iterable[str]) -> re.Pattern:
    """Any of ``values`` as a whole (not inside a longer word), longest first."""
    ordered = sorted(set(values), key=len, reverse=True)
    return re.compile(r"(?<![A-Za-z])(?:" + "|".join(map(re.escape, ordered)) + r")(?![A-Za-z])")


def leftovers(strings: Iterable[tuple[str, str]], language: str,
              values: Iterable[str] = ()) -> list[str]:
    """The strings that are not in ``language`` once data values and code are taken out."""
    values = _pattern([*_BRAND, *values])
    wrong = []
    for field, text in strings:
        rest = _without(text, values)
        if language == "ja":
            words = [w for w in _ENGLISH_RUN.findall(rest)
                     if not all(part in SAME_IN_BOTH for part in re.split(r"[ -]", w))]
            if words:
                wrong.append(f"{field}: {text!r} -> {words}")
        elif _JAPANESE.search(rest):
            wrong.append(f"{field}: {text!r}")
    return wrong


def check_page(page: str, language: str, query: dict[str, str] | None = None,
               timeout: int = 90) -> list[str]:
    """Run a page with AppTest in ``language`` and return its leftovers."""
    from streamlit.testing.v1 import AppTest

    from analytics.data.loader import load_dataset
    from ui.shell import data_dir

    at = AppTest.from_file(str(Path(page).resolve()), default_timeout=timeout)
    for name, value in {**(query or {}), "lang": language}.items():
        at.query_params[name] = value
    at.run()
    if at.exception:
        return [f"exception: {e.value}" for e in at.exception]
    return leftovers(interface_strings(at), language, dataset_values(load_dataset(data_dir())))


def dataset_values(dataset) -> list[str]:
    """The data values of a loaded dataset: its tables, the rows it set aside, its folder."""
    return data_values({**dataset.tables, **{f"{name} set aside": rows for name, rows
                                             in dataset.rejected.items()}}, dataset.folder.name)


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("page")
    parser.add_argument("--lang", default="ja")
    parser.add_argument("--query", nargs="*", default=[], help="k=v query parameters")
    args = parser.parse_args()
    os.environ.setdefault("KIZUNA_WARM", "off")
    found = check_page(args.page, args.lang, dict(q.split("=", 1) for q in args.query))
    print("\n".join(found) or "nothing left over")
    sys.exit(1 if found else 0)
