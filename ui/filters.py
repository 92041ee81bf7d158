"""Filter widgets whose values live in the URL, so a view can be shared as a link.

Each widget reads its starting value from a query parameter named after the
column it filters (``?country=JP,US&as_of=2016``) and writes its value back
on every run; values that are not among the options are ignored, so a stale
or hand-edited link never breaks a page. Options are data keys (country codes,
English vocabulary words), the same in every language: a widget shows them in
the language through its ``format_func`` (:func:`analytics.i18n._`,
:func:`~analytics.data.countries.country_name`), so a link works in both.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence

import streamlit as st

from analytics.data.countries import country_name
from analytics.data.loader import Dataset
from analytics.i18n import _
from analytics.selection import Selection
from ui import cached

SEPARATOR = ","


def _from_url(param: str) -> list[str]:
    raw = st.query_params.get(param, "")
    return [v for v in raw.split(SEPARATOR) if v] if raw else []


def _to_url(param: str, values: Sequence, default: Sequence = ()) -> None:
    text = SEPARATOR.join(str(v) for v in values)
    if list(values) == list(default) or not text:
        st.query_params.pop(param, None)
    else:
        st.query_params[param] = text


def _sync(param: str, default: Sequence) -> None:
    """Widget callback: runs before the rerun, so the URL (and the links drawn from it) is current."""
    value = st.session_state[f"url_{param}"]
    _to_url(param, value if isinstance(value, list | tuple) else [value], default)


def _sync_row(key: str, param: str, ids: list) -> None:
    """Dataframe selection callback: the chosen row's ID in ``?param=ID``, or none."""
    rows = st.session_state[key].selection.rows
    if rows:
        st.query_params[param] = str(ids[rows[0]])
    else:
        st.query_params.pop(param, None)


def row_picker(frame, ids, param: str, key: str, **dataframe_options):
    """A table whose one selected row is kept in ``?param=ID`` (a shareable link opens it).

    Returns the ID the URL names, or None.
    """
    st.dataframe(frame, key=key, on_select=functools.partial(_sync_row, key, param, list(ids)),
                 selection_mode="single-row", **dataframe_options)
    return st.query_params.get(param) or None


def multiselect(label: str, options: Sequence, param: str, *, container=None,
                format_func: Callable = str, help: str | None = None) -> list:
    """A multiselect kept in ``?param=a,b``; an empty choice means all."""
    by_text = {str(o): o for o in options}
    start = [by_text[v] for v in _from_url(param) if v in by_text]
    return (container or st).multiselect(label, list(options), default=start, key=f"url_{param}",
                                         format_func=format_func, help=help,
                                         placeholder=_("All"), on_change=_sync, args=(param, ()))


def text(label: str, param: str, *, container=None, help: str | None = None) -> str:
    """A text box kept in ``?param=words``."""
    return (container or st).text_input(label, st.query_params.get(param, ""), key=f"url_{param}",
                                        help=help, on_change=_sync, args=(param, ("",)))


def choice(label: str, options: Sequence, param: str, *, container=None,
           format_func: Callable = str, horizontal: bool = True, help: str | None = None,
           dropdown: bool = False):
    """A single choice kept in ``?param=value``; the first option is the default.

    Radio buttons, or a drop-down list for many options (``dropdown=True``).
    """
    by_text = {str(o): o for o in options}
    wanted = st.query_params.get(param, "")  # one value, whole: an option may hold a comma
    index = list(options).index(by_text[wanted]) if wanted in by_text else 0
    box = container or st
    common = {"index": index, "key": f"url_{param}", "format_func": format_func, "help": help,
              "on_change": _sync, "args": (param, [options[0]])}
    if dropdown:
        return box.selectbox(label, list(options), **common)
    return box.radio(label, list(options), horizontal=horizontal, **common)


def year_range(label: str, first: int, last: int, param: str, *, container=None,
               default: tuple[int, int] | None = None) -> tuple[int, int]:
    """A year-range slider kept in ``?param=2012,2018``; by default the whole range."""
    default = default or (first, last)
    wanted = [int(v) for v in _from_url(param) if v.isdigit()]
    start = (max(first, min(wanted)), min(last, max(wanted))) if len(wanted) == 2 else default
    if first == last:
        return first, last
    return (container or st).slider(label, first, last, start, key=f"url_{param}",
                                    on_change=_sync, args=(param, default))


def year(label: str, first: int, last: int, param: str, *, container=None,
         help: str | None = None) -> int:
    """A single-year slider kept in ``?param=2016``; the last year is the default."""
    wanted = [int(v) for v in _from_url(param) if v.isdigit()]
    start = min(last, max(first, wanted[0])) if wanted else last
    if first == last:
        return last
    return (container or st).slider(label, first, last, start, key=f"url_{param}", help=help,
                                    on_change=_sync, args=(param, [last]))


def impact_selection(dataset: Dataset, container=None) -> Selection:
    """The funder's filters: program, funder, years, country and cause (``?program=...``)."""
    box = container or st.sidebar
    box.subheader(_("Selection"))
    options = cached.selection_options(dataset)
    names = options["funder names"]
    programs = multiselect(_("Program"), options["programs"], "program", container=box)
    funder = choice(_("Funder"), ["", *options["funders"]], "funder", container=box,
                    horizontal=False,
                    format_func=lambda f: names.get(f, f) if f else _("All funders"),
                    help=_("A funder sees the programs it funded, and only its own grants.")) \
        if options["funders"] else ""
    span = options["years"]
    years = year_range(_("Years"), *span, "years", container=box) if span else None
    countries = multiselect(_("Country"), options["countries"], "country", container=box,
                            format_func=country_name)
    causes = multiselect(_("Cause"), options["causes"], "cause", container=box)
    return Selection(programs=tuple(programs), funder=funder or None,
                     years=years if years != span else None,
                     countries=tuple(countries), causes=tuple(causes))
