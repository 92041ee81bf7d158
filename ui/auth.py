"""Who this session is: the server's audience, or staff once signed in.

Nothing in the URL is read here, so a link can never raise a session's audience.
"""

from __future__ import annotations

import os

import streamlit as st

from analytics import access
from analytics.privacy import Audience


def _secret(name: str):
    try:
        return st.secrets.get(name)
    except Exception:  # no secrets file at all: nothing is configured
        return None


def audience() -> Audience:
    """The server's ``KIZUNA_AUDIENCE`` (public by default), or staff after signing in."""
    server = Audience.parse(os.environ.get("KIZUNA_AUDIENCE"))
    if server is Audience.STAFF or st.session_state.get("kizuna_staff"):
        return Audience.STAFF
    if _secret("auth") and st.user.is_logged_in:
        return Audience.STAFF
    return server


def sign_in_controls(current: Audience) -> None:
    """The sidebar's staff sign-in (or sign-out), where sign-in is configured."""
    password_hash, oidc = _secret("staff_password_hash"), _secret("auth")
    if current is Audience.STAFF:
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
                    if access.check_password(password, str(password_hash)):
                        st.session_state["kizuna_staff"] = True
                        st.rerun()
                    st.error("That password is not right.")
