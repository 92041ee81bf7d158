"""Repeatable randomness for igraph, whose algorithms draw from one process-wide generator."""

from __future__ import annotations

import contextlib
import random
import threading

import igraph

_LOCK = threading.Lock()


@contextlib.contextmanager
def seeded_igraph(seed: int):
    """Run igraph with its own seeded generator, under a lock so concurrent sessions
    cannot disturb each other's sequence; the process-wide generator is restored after."""
    with _LOCK:
        igraph.set_random_number_generator(random.Random(seed))
        try:
            yield
        finally:
            igraph.set_random_number_generator(random)
