"""The shared setup every page calls first: page config, navigation, data.

A page can be reached without the entrypoint: on a freshly started server a
first request that deep-links to ``/alumni`` runs ``pages/alumni.py`` alone,
through Streamlit's legacy ``pages/`` discovery. So each page calls
:func:`page` itself, and everything a page relies on is set up here, however
the page was reached.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlencode

import streamlit as st

from analytics import i18n, privacy
from analytics.data import sources, store
from analytics.data.loader import Dataset, load_dataset
from analytics.data.sources import DataFolderError
from analytics.i18n import N_, _
from analytics.privacy import Audience
from ui import auth, cached, style, warm

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_DIR = ROOT / "data" / "sample"
ICON = ROOT / "static" / "kizuna-icon.png"  # a file, not a Material icon: those load from Google


@dataclass(frozen=True)
class PageSpec:
    path: str
    title: str
    icon: str
    requires: str | None = None  # a Policy field the audience must have to open the page

    def open_to(self, audience: Audience) -> bool:
        """Whether ``audience`` may open this page."""
        return self.requires is None or getattr(audience.may, self.requires)


PAGES = (  # titles in English, marked for the catalog: shown with _(spec.title)
    PageSpec("pages/overview.py", N_("Impact overview"), ":material/insights:"),
    PageSpec("pages/cohorts.py", N_("Cohorts"), ":material/groups:"),
    PageSpec("pages/network.py", N_("Network"), ":material/hub:"),
    PageSpec("pages/alumni.py", N_("Alumni directory"), ":material/badge:"),
    PageSpec("pages/projects.py", N_("Projects"), ":material/volunteer_activism:"),
    PageSpec("pages/data.py", N_("Data health"), ":material/fact_check:", requires="data_health"),
    PageSpec("pages/imports.py", N_("Import data"), ":material/upload_file:",
             requires="data_health"),
    PageSpec("pages/versions.py", N_("Versions"), ":material/history:", requires="data_health"),
    PageSpec("pages/duplicates.py", N_("Duplicates"), ":material/people:",
             requires="data_health"),
)


def _home() -> None:
    """The app root: go to the first page, keeping the query, so every page has its own URL."""
    st.switch_page(ROOT / PAGES[0].path, query_params=st.query_params.to_dict())


def navigation():
    """Register the app's pages with Streamlit and return the page the URL asks for.

    The entrypoint runs the returned page. :func:`page` calls this too, so
    that the pages are known (and the sidebar links resolve) even when a page
    runs alone; paths are absolute so they resolve from any main script.
    Streamlit serves its default page only at the root, so the default is
    :func:`_home`, which forwards to ``/overview``: each page's URL is its file name.
    """
    speak()
    # New st.Page objects on every run: st.navigation marks the one it returns as callable
    # and running it clears the mark, so pages shared between sessions race ("This page
    # cannot be called directly" under load).
    return st.navigation(
        [st.Page(_home, title="Kizuna", default=True)]
        # No icon here: a page's Material icon becomes the favicon, which Streamlit
        # fetches from Google's servers; the sidebar links (bundled font) carry the icons.
        + [st.Page(ROOT / p.path, title=_(p.title)) for p in PAGES],
        position="hidden",
    )


def speak() -> str:
    """Decide this run's language and speak it (:mod:`analytics.i18n`).

    ``?lang=ja`` or ``?lang=en`` in the URL first (the sidebar's switch writes
    it, links carry it); else the server's ``KIZUNA_LANG``; else the browser's
    language; else English. Every page run sets it before anything is drawn:
    the language is per run, so two sessions can speak differently.
    """
    language = i18n.choose(st.query_params.get("lang"), i18n.server_default(),
                           st.context.locale)
    i18n.set_language(language)
    return language


def _switch_language() -> None:
    """The switch's callback: the choice goes into the URL, so links and share links carry it."""
    chosen = st.session_state.get("url_lang")
    if chosen:
        st.query_params["lang"] = chosen


def language_switch() -> None:
    """English or 日本語, each written in its own language, in the sidebar."""
    # Set from the run's language each time: a hand-edited URL moves it, and a click on the
    # language already chosen (which would leave none chosen) changes nothing.
    st.session_state["url_lang"] = i18n.language()
    st.segmented_control(_("Language"), list(i18n.LANGUAGES), format_func=i18n.LANGUAGES.get,
                         key="url_lang", on_change=_switch_language,
                         label_visibility="collapsed", width="stretch")


def data_dir() -> Path:
    """The data folder: ``KIZUNA_DATA_DIR``, or the bundled sample."""
    return Path(os.environ.get("KIZUNA_DATA_DIR") or SAMPLE_DIR)


@st.cache_data(show_spinner=False, max_entries=16)
def _current(folder: str, stamp: tuple) -> tuple[str, int | None, dt.date | None]:
    # Hashing the contents costs a read of every file, so it is redone only when the
    # current version or a file's stamp changes; an edit is picked up without a restart.
    where, version = store.resolve(folder)
    return store.current_fingerprint(folder), version, sources.data_date(where)


def load(audience: Audience) -> Dataset:
    """The current data folder's dataset as ``audience`` may see it.

    Loaded once per content fingerprint, redacted once per audience: a
    funder or public session never receives the columns, rows or names it
    must not show. The files are hashed only when their stamps change.
    """
    folder = str(data_dir())
    content, version, data_date = _current(folder, store.state_token(folder))
    warm.keep_warm(folder)  # every page ready now, and again when the data changes
    loaded = cached.load_dataset_once(folder, content, lambda: load_dataset(folder, content))
    # The same content can come back as another version (a restore) or sit in another
    # folder: the tables are shared, the folder and version are this one's.
    here = replace(loaded, folder=Path(folder), version=version, data_date=data_date)
    return cached.for_audience(here, audience, lambda: privacy.redact_dataset(here, audience))


def presenting() -> bool:
    """Presentation mode (``?present=1``): large type, sidebar closed, charts first."""
    return st.query_params.get("present") == "1"


def page(spec_path: str) -> Dataset:
    """Set up a page: config, audience, sidebar navigation and the dataset.

    Parameters
    ----------
    spec_path : str
        The page's own path in PAGES, such as ``"pages/alumni.py"``.

    Returns
    -------
    Dataset
        The data as this session's audience may see it; ``dataset.audience``
        is that audience, decided here once. When the folder cannot be used,
        or the page is not open to the audience, the page says why and stops here.
    """
    spec = next(p for p in PAGES if p.path == spec_path)
    cached.freeze_what_is_kept()
    navigation()  # decides the language first
    present = presenting()
    st.set_page_config(page_title=f"{_(spec.title)} · Kizuna", page_icon=str(ICON), layout="wide",
                       initial_sidebar_state="collapsed" if present else "auto")
    style.apply(present)
    who = auth.audience()
    carried = st.query_params.to_dict()  # filters follow the user from page to page
    with st.sidebar:
        st.markdown("### Kizuna 絆")  # the name, in both languages
        st.caption(_("US-Japan and Asia-Pacific social innovation network"))
        language_switch()
        for p in PAGES:
            if p.open_to(who):
                st.page_link(ROOT / p.path, label=_(p.title), icon=p.icon, query_params=carried)
        st.caption(_("Viewing as **{audience}**", audience=who.label))
        auth.sign_in_controls(who)
    share_link()
    st.title(_(spec.title))
    if not spec.open_to(who):
        st.info(_("This page is for program staff. Sign in as staff from the sidebar to see it.")
                if auth.sign_in_offered() else
                _("This page is for program staff. This server offers no staff sign-in: see "
                  "docs/privacy.md to set up staff accounts."), icon=":material/lock:")
        st.stop()
    try:
        dataset = load(who)
    except DataFolderError as exc:
        st.error(_("The data folder cannot be used. {reason} Set KIZUNA_DATA_DIR to a folder of "
                   "CSV files or an .xlsx workbook.", reason=exc))
        st.stop()
    st.caption(_("Data as of {date}", date=i18n.date(dataset.data_date))
               if dataset.data_date else _("Data as of: unknown"))
    _data_banner(dataset, on_health_page=spec.requires == "data_health")
    return dataset


def share_link() -> None:
    """The URL of the current view, with a copy button. Filters write the URL in their
    callbacks, before the rerun, so the link drawn here is always the current view; it
    names the language, so whoever opens it reads what the sender read."""
    base = (st.context.url or "").split("?")[0]
    query = urlencode({**st.query_params.to_dict(), "lang": i18n.language()})
    # In a popover: a code block loads its highlighter when drawn, 0.3 s on every page.
    with st.sidebar, st.popover(_("Link to this view"), icon=":material/link:"):
        st.code(f"{base}?{query}", language=None, wrap_lines=True)


def _data_banner(dataset: Dataset, on_health_page: bool) -> None:
    with st.sidebar:
        st.caption(_("Data: {folder} · updated {date}", folder=dataset.folder.name,
                     date=i18n.date(dataset.data_date, "medium")) if dataset.data_date else
                   _("Data: {folder} · no data", folder=dataset.folder.name))
    aside = dataset.rows_set_aside
    if aside and not on_health_page:
        st.warning(i18n.ngettext("{count} row of the data was set aside because of errors and "
                                 "is not counted on this page.",
                                 "{count} rows of the data were set aside because of errors and "
                                 "are not counted on this page.", aside, count=i18n.number(aside)),
                   icon=":material/warning:")
        if dataset.audience.may.data_health:
            st.page_link(ROOT / "pages/data.py", label=_("See what is wrong in Data health"),
                         icon=":material/fact_check:")
