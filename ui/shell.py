"""The shared setup every page calls first: page config, navigation, data.

A page can be reached without the entrypoint: on a freshly started server a
first request that deep-links to ``/alumni`` runs ``pages/alumni.py`` alone,
through Streamlit's legacy ``pages/`` discovery. So each page calls
:func:`page` itself, and everything a page relies on is set up here, however
the page was reached.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlencode

import streamlit as st

from analytics import privacy
from analytics.data.loader import Dataset, load_dataset
from analytics.data.sources import DataFolderError, data_files, fingerprint

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_DIR = ROOT / "data" / "sample"
ICON = ROOT / "static" / "kizuna-icon.png"  # a file, not a Material icon: those load from Google


@dataclass(frozen=True)
class PageSpec:
    path: str
    title: str
    icon: str
    staff_only: bool = False


PAGES = (
    PageSpec("pages/overview.py", "Impact overview", ":material/insights:"),
    PageSpec("pages/cohorts.py", "Cohorts", ":material/groups:"),
    PageSpec("pages/network.py", "Network", ":material/hub:"),
    PageSpec("pages/alumni.py", "Alumni directory", ":material/badge:"),
    PageSpec("pages/projects.py", "Projects", ":material/volunteer_activism:"),
    PageSpec("pages/data.py", "Data health", ":material/fact_check:", staff_only=True),
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
    return st.navigation(
        [st.Page(_home, title="Kizuna", default=True)]
        # No icon here: a page's Material icon becomes the favicon, which Streamlit
        # fetches from Google's servers; the sidebar links (bundled font) carry the icons.
        + [st.Page(ROOT / p.path, title=p.title) for p in PAGES],
        position="hidden",
    )


def data_dir() -> Path:
    """The data folder: ``KIZUNA_DATA_DIR``, or the bundled sample."""
    return Path(os.environ.get("KIZUNA_DATA_DIR") or SAMPLE_DIR)


def _file_stamp(folder: Path) -> tuple:
    """Names, sizes and modification times: cheap to read on every rerun."""
    return tuple((p.name, s.st_size, s.st_mtime_ns)
                 for p in data_files(folder) for s in (p.stat(),))


@st.cache_data(show_spinner=False, max_entries=16)
def _fingerprint(folder: str, stamp: tuple) -> str:
    # Hashing the contents costs a read of every file, so it is redone only when
    # a file's stamp changes; an edit is then picked up without a restart.
    return fingerprint(Path(folder))


@st.cache_resource(show_spinner="Loading and checking the data…", max_entries=4)
def _dataset(folder: str, content_fingerprint: str) -> Dataset:
    return load_dataset(folder)


@st.cache_resource(show_spinner=False, max_entries=12)
def _for_audience(content_fingerprint: str, audience: str, _dataset: Dataset) -> Dataset:
    if audience == "staff":
        return _dataset
    # The fingerprint names the audience too, so every cache keyed on it downstream
    # (network, layout, report) is never shared between audiences.
    return replace(_dataset, fingerprint=f"{content_fingerprint}:{audience}",
                   tables=privacy.redact(_dataset.tables, audience),
                   rejected={name: rows.iloc[0:0] for name, rows in _dataset.rejected.items()},
                   problems=[])


def load(audience: str) -> Dataset:
    """The current data folder's dataset as ``audience`` may see it.

    Loaded once per content fingerprint, redacted once per audience: a
    funder or public session never receives the columns, rows or names it
    must not show.
    """
    folder = data_dir()
    content = _fingerprint(str(folder), _file_stamp(folder))
    return _for_audience(content, audience, _dataset(str(folder), content))


def _secret(name: str):
    try:
        return st.secrets.get(name)
    except Exception:  # no secrets file at all: nothing is configured
        return None


def audience() -> str:
    """Who this session is: the server's ``KIZUNA_AUDIENCE`` (public by default), or staff
    after signing in. Nothing in the URL is read here, so a link can never raise it."""
    server = privacy.audience_from_env(os.environ.get("KIZUNA_AUDIENCE"))
    if server == "staff" or st.session_state.get("kizuna_staff"):
        return "staff"
    if _secret("auth") and st.user.is_logged_in:
        return "staff"
    return server


def _staff_sign_in(current: str) -> None:
    password_hash, oidc = _secret("staff_password_hash"), _secret("auth")
    if current == "staff":
        if st.session_state.get("kizuna_staff") and st.button("Sign out", key="sign_out"):
            del st.session_state["kizuna_staff"]
            st.rerun()
        return
    if not (password_hash or oidc):
        return
    with st.expander("Staff sign-in"):
        if oidc:
            st.button("Sign in with your organization", on_click=st.login, key="oidc_login")
        if password_hash:
            with st.form("staff_sign_in", border=False):
                password = st.text_input("Staff password", type="password")
                if st.form_submit_button("Sign in"):
                    if privacy.check_password(password, str(password_hash)):
                        st.session_state["kizuna_staff"] = True
                        st.rerun()
                    st.error("That password is not right.")


def presenting() -> bool:
    """Presentation mode (``?present=1``): large type, sidebar closed, charts first."""
    return st.query_params.get("present") == "1"


PRESENTATION_CSS = """<style>
  .stMainBlockContainer { max-width: 100%; padding-top: 2rem; }
  .stMainBlockContainer p, .stMainBlockContainer li { font-size: 1.35rem; }
  [data-testid="stMetricValue"], [data-testid="stMetricValue"] * { font-size: 3.2rem !important; }
  [data-testid="stMetricLabel"] p { font-size: 1.2rem; }
  h1 { font-size: 3.2rem !important; }
</style>"""


def page(spec_path: str) -> Dataset:
    """Set up a page: config, audience, sidebar navigation and the dataset.

    Parameters
    ----------
    spec_path : str
        The page's own path in PAGES, such as ``"pages/alumni.py"``.

    Returns
    -------
    Dataset
        The data as this session's audience may see it. When the folder
        cannot be used, or the page is for staff only, the page says why and
        stops here.
    """
    spec = next(p for p in PAGES if p.path == spec_path)
    navigation()
    present = presenting()
    st.set_page_config(page_title=f"{spec.title} · Kizuna", page_icon=str(ICON), layout="wide",
                       initial_sidebar_state="collapsed" if present else "auto")
    who = audience()
    carried = st.query_params.to_dict()  # filters follow the user from page to page
    with st.sidebar:
        st.markdown("### Kizuna 絆")
        st.caption("US-Japan and Asia-Pacific social innovation network")
        for p in PAGES:
            if who == "staff" or not p.staff_only:
                st.page_link(ROOT / p.path, label=p.title, icon=p.icon, query_params=carried)
        st.caption(f"Viewing as **{who}**")
        _staff_sign_in(who)
    share_link()
    if present:
        st.markdown(PRESENTATION_CSS, unsafe_allow_html=True)  # our own constant CSS
    st.title(spec.title)
    if spec.staff_only and who != "staff":
        st.info("This page is for program staff. Sign in as staff from the sidebar to see it.",
                icon=":material/lock:")
        st.stop()
    try:
        dataset = load(who)
    except DataFolderError as exc:
        st.error(f"The data folder cannot be used. {exc} Set KIZUNA_DATA_DIR to a folder of "
                 "CSV files or an .xlsx workbook.")
        st.stop()
    st.caption(f"Data as of {dataset.data_date or 'unknown'}")
    _data_banner(dataset, on_health_page=spec.staff_only, staff=who == "staff")
    return dataset


def share_link() -> None:
    """The URL of the current view, with a copy button. Filters write the URL in their
    callbacks, before the rerun, so the link drawn here is always the current view."""
    base = (st.context.url or "").split("?")[0]
    query = urlencode(st.query_params.to_dict())
    # In a popover: a code block loads its highlighter when drawn, 0.3 s on every page.
    with st.sidebar, st.popover("Link to this view", icon=":material/link:"):
        st.code(f"{base}?{query}" if query else base, language=None, wrap_lines=True)


def _data_banner(dataset: Dataset, on_health_page: bool, staff: bool) -> None:
    with st.sidebar:
        date = dataset.data_date.isoformat() if dataset.data_date else "no data"
        st.caption(f"Data: {dataset.folder.name} · updated {date}")
    aside = dataset.rows_set_aside
    if aside and not on_health_page:
        st.warning(f"{aside:,} row(s) of the data were set aside because of errors and are not "
                   "counted on this page.", icon=":material/warning:")
        if staff:
            st.page_link(ROOT / "pages/data.py", label="See what is wrong in Data health",
                         icon=":material/fact_check:")
