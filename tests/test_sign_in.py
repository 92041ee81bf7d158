"""Staff sign-in: named accounts, the throttle on failed attempts, and the bound on checks at once."""

from __future__ import annotations

import threading
import time
import tomllib

import pytest
from streamlit.testing.v1 import AppTest

from analytics import access, cli
from analytics.access import Outcome, SignInGuard
from tests.conftest import ROOT, SAMPLE_DIR
from ui import auth


class FakeClock:
    """A monotonic clock that moves only when told."""

    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def fast_hash(password: str) -> str:
    return access.hash_password(password, iterations=1000)


@pytest.fixture
def clock(monkeypatch) -> FakeClock:
    """A fresh server-wide guard on a fake clock, so no test inherits another's failures."""
    fake = FakeClock()
    monkeypatch.setattr(auth, "GUARD", SignInGuard(clock=fake))
    return fake


@pytest.fixture
def checks(monkeypatch) -> list[str]:
    """Every stored hash a password is checked against, in order."""
    seen, real = [], access.check_password

    def counting(password, stored):
        seen.append(stored)
        return real(password, stored)

    monkeypatch.setattr(access, "check_password", counting)
    return seen


def data_page(monkeypatch, **secrets) -> AppTest:
    monkeypatch.setenv("KIZUNA_DATA_DIR", str(SAMPLE_DIR))
    monkeypatch.setenv("KIZUNA_AUDIENCE", "public")
    at = AppTest.from_file(str(ROOT / "pages/data.py"), default_timeout=60)
    for name, value in secrets.items():
        at.secrets[name] = value
    return at.run()


def sign_in(at: AppTest, password: str, name: str | None = None) -> AppTest:
    if name is not None:
        at.text_input(key="staff_name").input(name)
    at.text_input(key="staff_password").input(password)
    return at.button(key="staff_sign_in_submit").click().run()


def captions(at: AppTest) -> list[str]:
    return [c.value for c in at.sidebar.caption]


def errors(at: AppTest) -> list[str]:
    return [e.value for e in at.error]


# The guard on its own


def test_failures_then_doubling_waits_and_a_success_resets():
    clock, ran = FakeClock(), []
    guard = SignInGuard(free_failures=3, first_delay=2, max_delay=30, clock=clock)

    def wrong():
        ran.append("wrong")
        return None

    def right():
        ran.append("right")
        return "Haruka Sato"

    assert [guard.attempt("10.0.0.9", wrong).wait for _ in range(3)] == [0, 0, 0]
    waits = []
    for _ in range(5):  # each failure past the third doubles the wait, up to the cap
        failed = guard.attempt("10.0.0.9", wrong)
        assert failed.outcome is Outcome.WRONG
        waits.append(failed.wait)
        refused = guard.attempt("10.0.0.9", right)  # the right password changes nothing now
        assert refused.outcome is Outcome.THROTTLED and refused.wait == failed.wait
        assert refused.message == ("Too many failed sign-ins from your address. "
                                   f"Try again in {failed.wait:.0f} s.")
        clock.now += failed.wait - 0.5
        assert guard.attempt("10.0.0.9", right).outcome is Outcome.THROTTLED
        clock.now += 0.5
    assert waits == [2, 4, 8, 16, 30]
    assert ran == ["wrong"] * 8, "no refused attempt ran a check"
    assert guard.attempt("10.0.0.7", right).who == "Haruka Sato", "other addresses never wait"

    assert guard.attempt("10.0.0.9", right).outcome is Outcome.SIGNED_IN
    assert guard.wait("10.0.0.9") == 0
    assert [guard.attempt("10.0.0.9", wrong).wait for _ in range(4)] == [0, 0, 0, 2]

    counts = guard.counts()
    assert (counts.signed_in, counts.failed, counts.throttled, counts.busy) == (2, 12, 10, 0)
    assert [(a.address, a.failures, a.in_a_row, a.wait) for a in counts.by_address] == [
        ("10.0.0.9", 12, 4, 2.0)]


def test_every_failure_is_logged_without_what_was_typed(caplog):
    guard = SignInGuard(free_failures=1, clock=FakeClock())
    accounts = {"Ken Ito": fast_hash("ito-pass")}
    with caplog.at_level("DEBUG", logger="analytics.access"):
        for _ in range(3):
            guard.attempt("192.0.2.1", lambda: access.find_account("Ken Typo", "hunter22", accounts))
        guard.attempt("192.0.2.2", lambda: "Ken Ito")
    levels = {r.getMessage(): r.levelname for r in caplog.records}
    assert levels == {
        "failed staff sign-in from 192.0.2.1: 1 in a row, 1 from it in all, 1 in total; "
        "next attempt in 0 s": "WARNING",
        "failed staff sign-in from 192.0.2.1: 2 in a row, 2 from it in all, 2 in total; "
        "next attempt in 2 s": "WARNING",
        "staff sign-in from 192.0.2.1 refused unchecked: throttled": "DEBUG",
        "staff sign-in as Ken Ito from 192.0.2.2": "INFO"}
    # Neither what was typed as a password nor as a name: people type passwords into name fields.
    assert "hunter22" not in caplog.text and "Typo" not in caplog.text


def test_at_most_two_checks_run_at_once():
    guard = SignInGuard(concurrent_checks=2, busy_timeout=10)
    running, most, lock = [0], [0], threading.Lock()

    def slow_check():
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        time.sleep(0.05)
        with lock:
            running[0] -= 1
        return None

    threads = [threading.Thread(target=guard.attempt, args=(f"10.0.1.{i}", slow_check))
               for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert most[0] == 2
    assert guard.counts().failed == 8, "every attempt waited its turn and ran"


def test_a_burst_is_refused_as_busy_without_a_check():
    guard = SignInGuard(concurrent_checks=2, busy_timeout=0.05)
    release, started = threading.Event(), threading.Semaphore(0)

    def stuck_check():
        started.release()
        release.wait(10)
        return None

    threads = [threading.Thread(target=guard.attempt, args=(address, stuck_check))
               for address in ("10.0.2.1", "10.0.2.2")]
    for t in threads:
        t.start()
    for _ in threads:
        assert started.acquire(timeout=10)
    ran = []
    busy = guard.attempt("10.0.2.3", lambda: ran.append(1))
    same_address = guard.attempt("10.0.2.1", lambda: ran.append(1))
    release.set()
    for t in threads:
        t.join()
    assert busy.outcome is same_address.outcome is Outcome.BUSY and ran == []
    assert busy.message == "The server is busy checking other sign-ins. Try again in a moment."
    counts = guard.counts()
    assert (counts.failed, counts.busy) == (2, 2)
    assert guard.attempt("10.0.2.3", lambda: "Ken Ito").who == "Ken Ito", "busy is not a failure"


# Accounts


def test_names_match_loosely_and_an_unknown_name_costs_one_full_check(checks):
    accounts = access.staff_accounts(
        {"Haruka Sato": fast_hash("sato-pass"),
         "Ken Ito": access.hash_password("ito-pass", iterations=3000)}, None)
    assert access.find_account("ＨＡＲＵＫＡ　sato", "sato-pass", accounts) == "Haruka Sato"
    assert access.find_account("Ken Ito", "sato-pass", accounts) is None
    assert access.find_account("Nobody", "sato-pass", accounts) is None
    assert len(checks) == 3, "one hash check per attempt, name known or not"
    assert checks[2].startswith("pbkdf2_sha256$3000$"), "as dear as the dearest account"


def test_the_single_shared_hash_of_older_deployments_is_the_account_staff():
    shared = fast_hash("kizuna-test")
    assert access.staff_accounts(None, shared) == {"staff": shared}
    assert access.staff_accounts({"Staff": "named"}, shared) == {"Staff": "named"}
    assert access.find_account("staff", "kizuna-test", access.staff_accounts(None, shared)) == "staff"


def test_hash_password_prints_a_staff_accounts_line(monkeypatch, capsys):
    monkeypatch.setattr("getpass.getpass", lambda prompt="": "correct horse battery")
    assert cli.main(["hash-password", "--name", 'Haruka "Haru" Sato']) == 0
    table = tomllib.loads("[staff_accounts]\n" + capsys.readouterr().out)["staff_accounts"]
    assert list(table) == ['Haruka "Haru" Sato']
    assert access.check_password("correct horse battery", table['Haruka "Haru" Sato'])
    assert cli.main(["hash-password"]) == 0
    assert capsys.readouterr().out.startswith('staff_password_hash = "pbkdf2_sha256$390000$')


# In the app


def test_staff_password_sign_in(clock, monkeypatch):
    at = data_page(monkeypatch, staff_password_hash=fast_hash("kizuna-test"))
    assert [t.key for t in at.text_input] == ["staff_password"], "one shared password: no name asked"
    sign_in(at, "wrong")
    assert any("not right" in e for e in errors(at))
    assert "Viewing as **public**" in captions(at)
    sign_in(at, "kizuna-test")
    assert "Viewing as **staff**" in captions(at) and "Signed in as staff" in captions(at)
    assert at.dataframe, "Data health shows its tables once signed in"


def test_failed_sign_ins_slow_the_next_attempt(clock, checks, monkeypatch):
    at = data_page(monkeypatch, staff_accounts={"Haruka Sato": fast_hash("sato-pass")})
    for _ in range(3):
        sign_in(at, "guess", name="Haruka Sato")
        assert errors(at) == ["That name or password is not right."]
    sign_in(at, "guess", name="Haruka Sato")
    assert errors(at) == ["That name or password is not right. Too many tries: wait 2 s before the next."]
    assert len(checks) == 4

    sign_in(at, "sato-pass", name="Haruka Sato")
    assert errors(at) == ["Too many failed sign-ins from your address. Try again in 2 s."]
    assert len(checks) == 4, "a refused attempt runs no hash check"
    assert "Viewing as **public**" in captions(at) and not at.dataframe

    clock.now += 2
    sign_in(at, "sato-pass", name="Haruka Sato")
    assert "Viewing as **staff**" in captions(at) and "Signed in as Haruka Sato" in captions(at)
    assert len(checks) == 5 and at.dataframe
    counts = auth.GUARD.counts()
    assert (counts.signed_in, counts.failed, counts.throttled) == (1, 4, 1)
    assert counts.by_address[0].address == access.UNKNOWN_ADDRESS, "AppTest gives no client address"
    # Signed-in staff read the same counts in the sidebar.
    assert ("Since the server started: 1 signed in with a password, 4 failed, 1 refused as too "
            "soon after failures, 0 refused as busy.") in captions(at)
    assert "unknown: 4 failed, 0 since its last success" in captions(at)


def test_each_staff_member_signs_in_as_themselves(clock, monkeypatch):
    accounts = {"Haruka Sato": fast_hash("sato-pass"), "Ken Ito": fast_hash("ito-pass")}
    for name, password, others in (("Haruka Sato", "sato-pass", "ito-pass"),
                                   ("ken ito", "ito-pass", "sato-pass")):
        at = data_page(monkeypatch, staff_accounts=accounts)
        sign_in(at, others, name=name)
        assert errors(at) == ["That name or password is not right."], "another's password fails"
        assert "Viewing as **public**" in captions(at)
        sign_in(at, password, name=name)
        assert "Viewing as **staff**" in captions(at) and not errors(at)
        signed = [c for c in captions(at) if c.startswith("Signed in as")]
        assert signed == [f"Signed in as {name.title()}"], "the account's own name, not as typed"
        at.button(key="sign_out").click().run()
        assert "Viewing as **public**" in captions(at)


def _who_am_i():
    """A bare app that shows what signed_in_as() answers."""
    import streamlit as st

    from ui import auth

    who = auth.audience()
    auth.sign_in_controls(who)
    st.text(f"audience={who} signed_in_as={auth.signed_in_as()!r}")


@pytest.mark.parametrize("server", ["public", "staff"])
def test_signed_in_as_names_only_a_signed_in_member(server, clock, monkeypatch):
    monkeypatch.setenv("KIZUNA_AUDIENCE", server)
    at = AppTest.from_function(_who_am_i, default_timeout=60)
    at.secrets["staff_accounts"] = {"Ken Ito": fast_hash("ito-pass")}
    at.run()
    assert at.text[0].value == f"audience={server} signed_in_as=None"
    if server == "public":
        sign_in(at, "ito-pass", name="Ken Ito")
        assert at.text[0].value == "audience=staff signed_in_as='Ken Ito'"
