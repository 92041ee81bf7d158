"""Staff sign-in: password hashes, named accounts, and a throttle on failed attempts.

Passwords are stored as salted PBKDF2 hashes and checked in constant time:

>>> stored = hash_password("correct horse", salt=b"0" * 16, iterations=1000)
>>> check_password("correct horse", stored), check_password("wrong", stored)
(True, False)

Staff sign in as themselves: each account is a name and a hash. Names match
whatever their case and spacing, and an unknown name costs the same hash check
as a known one, so a wrong answer never tells whether the name exists:

>>> accounts = staff_accounts({"Haruka Sato": stored}, None)
>>> find_account(" haruka  SATO ", "correct horse", accounts), find_account("Ken", "x", accounts)
('Haruka Sato', None)

A :class:`SignInGuard` slows guessing from any one address: after
``free_failures`` failures in a row the address waits before its next attempt,
twice as long after each further failure; a refused attempt runs no hash check.

>>> now = [0.0]
>>> guard = SignInGuard(free_failures=1, first_delay=2.0, clock=lambda: now[0])
>>> [guard.attempt("10.0.0.9", lambda: None).outcome.value for _ in range(3)]
['wrong', 'wrong', 'throttled']
>>> guard.attempt("10.0.0.9", lambda: None).message
'Too many failed sign-ins from your address. Try again in 2 s.'

This module never sees Streamlit: ``ui/auth.py`` reads the secrets and the
client's address and calls it.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import logging
import math
import secrets
import threading
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import Enum

from analytics.i18n import _

PASSWORD_SCHEME = "pbkdf2_sha256"
PASSWORD_ITERATIONS = 390_000
# The account name the single ``staff_password_hash`` of older deployments signs in as.
SHARED_ACCOUNT = "staff"
# The key for attempts whose client address is not known (see :func:`address_key`).
UNKNOWN_ADDRESS = "unknown"

log = logging.getLogger(__name__)


def hash_password(password: str, salt: bytes | None = None,
                  iterations: int = PASSWORD_ITERATIONS) -> str:
    """A salted hash of a staff password, for ``.streamlit/secrets.toml``."""
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, iterations)
    return f"{PASSWORD_SCHEME}${iterations}${salt.hex()}${digest.hex()}"


def check_password(password: str, stored: str) -> bool:
    """Whether a password matches a stored hash, compared in constant time."""
    try:
        scheme, iterations, salt, expected = stored.split("$")
        if scheme != PASSWORD_SCHEME:
            return False
        digest = hashlib.pbkdf2_hmac("sha256", password.encode(), bytes.fromhex(salt),
                                     int(iterations))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(digest.hex(), expected)


def staff_accounts(named: Mapping[str, str] | None, shared_hash: str | None) -> dict[str, str]:
    """Every staff account as name -> password hash, from the secrets file's two forms.

    ``named`` is the ``[staff_accounts]`` table; ``shared_hash`` is the single
    ``staff_password_hash`` of older deployments, kept as the account
    :data:`SHARED_ACCOUNT` unless a named account already has that name.

    >>> sorted(staff_accounts({"Ken Ito": "h1"}, "h0"))
    ['Ken Ito', 'staff']
    """
    accounts = {str(name): str(stored) for name, stored in (named or {}).items() if stored}
    if shared_hash and not any(_name_key(n) == _name_key(SHARED_ACCOUNT) for n in accounts):
        accounts[SHARED_ACCOUNT] = str(shared_hash)
    return accounts


def _name_key(name: str) -> bytes:
    # A fixed-length digest of the name as typed loosely (full-width letters and spaces,
    # case, doubled spaces), so comparing two names takes the same time whatever they are.
    loose = " ".join(unicodedata.normalize("NFKC", name).casefold().split())
    return hashlib.sha256(loose.encode()).digest()


def _iterations(stored: str) -> int:
    try:
        return int(stored.split("$")[1])
    except (IndexError, ValueError):
        return PASSWORD_ITERATIONS


# Salt of the stand-in hash an unknown name is checked against.
_STAND_IN_SALT = secrets.token_hex(16)


def find_account(name: str, password: str, accounts: Mapping[str, str]) -> str | None:
    """The account ``name`` and ``password`` sign in to, or None.

    Every account's name is compared, in constant time, and exactly one hash
    check runs whether or not the name exists: an unknown name is checked
    against a stand-in hash as costly as the dearest account's, so neither the
    answer nor its timing says which names are accounts.
    """
    typed = _name_key(name)
    found, stored = None, None
    for account, account_hash in accounts.items():
        # No early exit: every name is compared, matched or not.
        if hmac.compare_digest(typed, _name_key(account)) and found is None:
            found, stored = account, account_hash
    if stored is None:
        dearest = max((_iterations(h) for h in accounts.values()), default=PASSWORD_ITERATIONS)
        stored = f"{PASSWORD_SCHEME}${dearest}${_STAND_IN_SALT}${'0' * 64}"
    # The stand-in's digest of zeros matches no password, so an unknown name gets None.
    return found if check_password(password, stored) else None


def address_key(address: object) -> str:
    """The key failed sign-ins from ``address`` are counted under.

    An IPv4 address is its own key. An IPv6 address counts as its /64
    network: one connection usually holds a whole /64, and could otherwise
    take a fresh address for every guess. Anything that is not an IP address
    (None for a connection from this machine, or no connection at all) is
    :data:`UNKNOWN_ADDRESS`.

    >>> address_key("192.0.2.7"), address_key("2001:db8:1:2:a:b:c:d"), address_key(None)
    ('192.0.2.7', '2001:db8:1:2::/64', 'unknown')
    >>> address_key("::ffff:192.0.2.7")
    '192.0.2.7'
    """
    try:
        ip = ipaddress.ip_address(address)  # type: ignore[arg-type]
    except ValueError:
        return UNKNOWN_ADDRESS
    if ip.version == 6 and ip.ipv4_mapped:
        return str(ip.ipv4_mapped)
    if ip.version == 6:
        return str(ipaddress.IPv6Network((ip.packed, 64), strict=False))
    return str(ip)


def say_wait(seconds: float) -> str:
    """A wait in words in the current language, rounded up: ``8 s`` under a minute, else whole
    minutes.

    >>> say_wait(7.2), say_wait(60), say_wait(61), say_wait(900)
    ('8 s', '1 min', '2 min', '15 min')
    """
    whole = math.ceil(seconds)
    if whole < 60:
        return _("{seconds} s", seconds=whole)
    return _("{minutes} min", minutes=math.ceil(whole / 60))


class Outcome(Enum):
    """What became of one sign-in attempt."""

    SIGNED_IN = "signed_in"
    WRONG = "wrong"  # the check ran and failed
    THROTTLED = "throttled"  # refused unchecked: the address must wait
    BUSY = "busy"  # refused unchecked: too many checks running


@dataclass(frozen=True)
class Attempt:
    """One sign-in attempt's outcome: who signed in, or how long the address now waits."""

    outcome: Outcome
    who: str | None = None  # the account signed in to
    wait: float = 0.0  # seconds before this address may try again

    @property
    def message(self) -> str | None:
        """What to tell the person when the attempt was refused unchecked, in the current
        language; None otherwise."""
        if self.outcome is Outcome.THROTTLED:
            return _("Too many failed sign-ins from your address. Try again in {wait}.",
                     wait=say_wait(self.wait))
        if self.outcome is Outcome.BUSY:
            return _("The server is busy checking other sign-ins. Try again in a moment.")
        return None


@dataclass(frozen=True)
class AddressCount:
    """Failed sign-ins from one address since the server started."""

    address: str
    failures: int  # every failure from this address
    in_a_row: int  # failures since its last success: what its wait is counted from
    wait: float  # seconds before it may try again


@dataclass(frozen=True)
class SignInCounts:
    """Every attempt since the server started, by outcome, and the failures by address."""

    signed_in: int
    failed: int
    throttled: int
    busy: int
    by_address: tuple[AddressCount, ...]  # most failures first


class SignInGuard:
    """Throttles failed staff sign-ins per client address and bounds the checks that run at once.

    After ``free_failures`` failures in a row from an address, its next attempt
    is refused until ``first_delay`` seconds have passed; each further failure
    doubles the wait, up to ``max_delay``. A success clears the address's run of
    failures. Refused attempts run no check, so guessing costs the server
    nothing while an address waits. At most ``concurrent_checks`` checks run at
    once, and one per address: an attempt that cannot start within
    ``busy_timeout`` seconds is refused as busy, so a burst of guesses never
    takes the CPU from everyone else. Every outcome is counted; failures and
    successes are logged as warnings and info (the address and the account,
    never what was typed), refusals only at debug level. Thread-safe: one guard
    serves every session of a server process. ``clock`` (seconds, monotonic)
    is there for tests.
    """

    def __init__(self, *, free_failures: int = 3, first_delay: float = 2.0,
                 max_delay: float = 900.0, concurrent_checks: int = 2, busy_timeout: float = 1.0,
                 clock: Callable[[], float] = time.monotonic):
        self.free_failures, self.first_delay, self.max_delay = free_failures, first_delay, max_delay
        self.busy_timeout, self._clock = busy_timeout, clock
        self._checks = threading.BoundedSemaphore(concurrent_checks)
        self._lock = threading.Lock()  # guards everything below
        self._checking: set[str] = set()
        self._in_a_row: Counter[str] = Counter()
        self._failures: Counter[str] = Counter()
        self._until: dict[str, float] = {}
        self._outcomes: Counter[Outcome] = Counter()

    def delay_after(self, in_a_row: int) -> float:
        """Seconds an address must wait after ``in_a_row`` failures in a row.

        >>> [SignInGuard(free_failures=3, first_delay=2).delay_after(n) for n in range(1, 8)]
        [0.0, 0.0, 0.0, 2.0, 4.0, 8.0, 16.0]
        >>> SignInGuard(max_delay=900).delay_after(40)
        900.0
        """
        if in_a_row <= self.free_failures:
            return 0.0
        # The exponent is capped too: 2 ** a large run of failures would overflow a float.
        doublings = min(in_a_row - self.free_failures - 1, 64)
        return float(min(self.max_delay, self.first_delay * 2 ** doublings))

    def wait(self, address: str) -> float:
        """Seconds before ``address`` may try again; 0 when it may now."""
        with self._lock:
            return self._wait(address)

    def _wait(self, address: str) -> float:
        return max(0.0, self._until.get(address, 0.0) - self._clock())

    def attempt(self, address: str, check: Callable[[], str | None]) -> Attempt:
        """Run ``check`` (the account signed in to, or None) for ``address`` if it may try now.

        Returns the attempt's :class:`Attempt`. ``check`` does not run when the
        address must wait, already has a check running, or no check slot frees
        up within ``busy_timeout``.
        """
        with self._lock:
            if self._wait(address) > 0:
                return self._record(address, Outcome.THROTTLED)
            if address in self._checking:
                return self._record(address, Outcome.BUSY)
            self._checking.add(address)
        try:
            outcome, who = self._run(check)
        except BaseException:
            with self._lock:
                self._checking.discard(address)
            raise
        with self._lock:
            self._checking.discard(address)
            return self._record(address, outcome, who)

    def _run(self, check: Callable[[], str | None]) -> tuple[Outcome, str | None]:
        if not self._checks.acquire(timeout=self.busy_timeout):
            return Outcome.BUSY, None
        try:
            who = check()
        finally:
            self._checks.release()
        return (Outcome.SIGNED_IN if who else Outcome.WRONG), who

    def _record(self, address: str, outcome: Outcome, who: str | None = None) -> Attempt:
        # Called with the lock held.
        self._outcomes[outcome] += 1
        if outcome is Outcome.SIGNED_IN:
            self._in_a_row.pop(address, None)
            self._until.pop(address, None)
            log.info("staff sign-in as %s from %s", who, address)
            return Attempt(outcome, who=who)
        if outcome is not Outcome.WRONG:
            # Debug only: refusals cost a guesser nothing, so a burst of them would flood the
            # log; the failure that started the wait was logged, and every refusal is counted.
            log.debug("staff sign-in from %s refused unchecked: %s", address, outcome.value)
            return Attempt(outcome, wait=self._wait(address))
        self._in_a_row[address] += 1
        self._failures[address] += 1
        delay = self.delay_after(self._in_a_row[address])
        if delay:
            self._until[address] = self._clock() + delay
        # The log is for whoever runs the server: in English, whatever the person's language.
        log.warning("failed staff sign-in from %s: %d in a row, %d from it in all, %d in total; "
                    "next attempt in %.0f s", address, self._in_a_row[address],
                    self._failures[address], self._failures.total(), math.ceil(delay))
        return Attempt(outcome, wait=delay)

    def counts(self) -> SignInCounts:
        """Every attempt since the guard was made, by outcome, and each address's failures."""
        with self._lock:
            by_address = tuple(
                AddressCount(address, failures, self._in_a_row[address], self._wait(address))
                for address, failures in self._failures.most_common())
            return SignInCounts(
                signed_in=self._outcomes[Outcome.SIGNED_IN], failed=self._outcomes[Outcome.WRONG],
                throttled=self._outcomes[Outcome.THROTTLED], busy=self._outcomes[Outcome.BUSY],
                by_address=by_address)
