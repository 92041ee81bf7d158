"""Who this session is: the server's audience, or a named staff member once signed in.

Nothing in the URL is read here, so a link can never raise a session's audience.

Staff sign in with a name and password from ``[staff_accounts]`` in
``.streamlit/secrets.toml`` (or the older single ``staff_password_hash``, the
account ``staff``), or with the organization's sign-in (``st.login``) when an
``[auth]`` section is configured. Password attempts go through :data:`GUARD`,
the server process's one :class:`analytics.access.SignInGuard`, keyed by the
client's address. Tests replace ``GUARD`` (``monkeypatch.setattr(auth, "GUARD",
...)``) with a guard on a fake clock.
"""

from __future__ import annotations

import os

import streamlit as st

from analytics import access, i18n
from analytics.i18n import _
from analytics.privacy import Audience
from ui.widgets import safe

GUARD = access.SignInGuard()
_SIGNED_IN = "kizuna_staff"  # session state: the account name signed in with a password


def _secret(name: str):
    try:
        return st.secrets.get(name)
    except Exception:  # no secrets file at all: nothing is configured
        return None


def _accounts() -> dict[str, str]:
    return access.staff_accounts(_secret("staff_accounts"), _secret("staff_password_hash"))


def _oidc_user() -> str | None:
    """The organization sign-in's name for this session, when configured and signed in."""
    if not (_secret("auth") and st.user.is_logged_in):
        return None
    return str(st.user.get("name") or st.user.get("email") or access.SHARED_ACCOUNT)


def audience() -> Audience:
    """The server's ``KIZUNA_AUDIENCE`` (public by default), or staff after signing in."""
    server = Audience.parse(os.environ.get("KIZUNA_AUDIENCE"))
    if server is Audience.STAFF or signed_in_as():
        return Audience.STAFF
    return server


def signed_in_as() -> str | None:
    """The staff member this session signed in as: an account name or the OIDC name or email.

    None when nobody signed in, including on a server whose audience is staff
    without any sign-in. What staff change or export can say who with this.
    """
    return st.session_state.get(_SIGNED_IN) or _oidc_user()


def client_address() -> str:
    """The key this session's failed sign-ins are counted under (:func:`access.address_key`).

    Streamlit gives no address for connections from this machine, a reverse
    proxy on it included: those share the key ``"unknown"``. Behind a proxy
    elsewhere every client has the proxy's address unless it forwards the
    client's (docs/privacy.md).
    """
    return access.address_key(st.context.ip_address)


def sign_in_offered() -> bool:
    """Whether this server offers staff sign-in (accounts or the organization's sign-in)."""
    return bool(_accounts() or _secret("auth"))


def sign_in_controls(current: Audience) -> None:
    """The sidebar's staff sign-in, or for staff who signed in, who they are and sign-out."""
    accounts, oidc = _accounts(), _secret("auth")
    if current is Audience.STAFF:
        _signed_in_controls(show_counts=bool(accounts))
        return
    if not (accounts or oidc):
        return
    with st.expander(_("Staff sign-in")):
        if oidc:
            st.button(_("Sign in with your organization"), on_click=st.login, key="oidc_login")
        if accounts:
            _password_form(accounts)


def _signed_in_controls(show_counts: bool) -> None:
    who = signed_in_as()
    if who:
        st.caption(_("Signed in as {name}", name=safe(who)))
    if st.session_state.get(_SIGNED_IN):
        if st.button(_("Sign out"), key="sign_out"):
            del st.session_state[_SIGNED_IN]
            st.rerun()
    elif who:
        st.button(_("Sign out"), key="sign_out", on_click=st.logout)
    if show_counts:
        _attempt_counts()


def _password_form(accounts: dict[str, str]) -> None:
    # Older deployments have one shared password and no names: ask for the password only.
    named = list(accounts) != [access.SHARED_ACCOUNT]
    with st.form("staff_sign_in", border=False):
        name = (st.text_input(_("Name or email"), key="staff_name", autocomplete="username")
                if named else "")
        password = st.text_input(_("Staff password"), type="password", key="staff_password")
        if not st.form_submit_button(_("Sign in"), key="staff_sign_in_submit"):
            return
    attempt = GUARD.attempt(
        client_address(),
        lambda: access.find_account(name if named else access.SHARED_ACCOUNT, password, accounts))
    if attempt.who:
        st.session_state[_SIGNED_IN] = attempt.who
        st.rerun()
    if attempt.message:
        st.error(attempt.message)
        return
    if attempt.wait:
        st.error(_("That name or password is not right. Too many tries: wait {wait} before the "
                   "next.", wait=access.say_wait(attempt.wait)) if named else
                 _("That password is not right. Too many tries: wait {wait} before the next.",
                   wait=access.say_wait(attempt.wait)))
        return
    st.error(_("That name or password is not right.") if named else
             _("That password is not right."))


def _attempt_counts() -> None:
    counts = GUARD.counts()
    with st.expander(_("Sign-in attempts")):
        st.caption(_("Since the server started: {signed_in} signed in with a password, {failed} "
                     "failed, {throttled} refused as too soon after failures, {busy} refused as "
                     "busy.", signed_in=i18n.number(counts.signed_in),
                     failed=i18n.number(counts.failed), throttled=i18n.number(counts.throttled),
                     busy=i18n.number(counts.busy)))
        for row in counts.by_address[:10]:
            # Translators: where failed sign-ins came from, when the server cannot tell.
            address = _("unknown") if row.address == access.UNKNOWN_ADDRESS else safe(row.address)
            values = {"address": address, "failed": i18n.number(row.failures),
                      "in_a_row": i18n.number(row.in_a_row)}
            st.caption(_("{address}: {failed} failed, {in_a_row} since its last success, "
                         "waiting {wait}", wait=access.say_wait(row.wait), **values) if row.wait else
                       _("{address}: {failed} failed, {in_a_row} since its last success",
                         **values))
