"""The one seed of every random step: the betweenness sample, the community search, the layout.

Each step draws from SEED through one of two helpers, so the same data gives the same figures
and pictures in every run and every process: :func:`rng` for numpy, and :func:`seeded_igraph`
for igraph, whose algorithms draw from one process-wide generator.

>>> float(rng().random()) == float(rng().random())
True
"""

from __future__ import annotations

import contextlib
import random
import threading

import igraph
import numpy as np

# 7 was the layout's seed before it became everyone's: every drawn picture stays as it was.
SEED = 7

_LOCK = threading.Lock()


def rng(seed: int = SEED) -> np.random.Generator:
    """A numpy generator started from ``seed``.

    Parameters
    ----------
    seed : int
        SEED unless a caller needs another stream.

    Returns
    -------
    numpy.random.Generator
        A fresh generator: the same seed gives the same draws.
    """
    return np.random.default_rng(seed)


@contextlib.contextmanager
def seeded_igraph(seed: int = SEED):
    """Run igraph with its own generator started from ``seed``.

    A lock keeps concurrent sessions from drawing from each other's sequence; the process-wide
    generator is restored afterwards.

    Parameters
    ----------
    seed : int
        SEED unless a caller needs another stream.

    Returns
    -------
    context manager
        Inside it igraph's random draws are the same on every run.
    """
    with _LOCK:
        igraph.set_random_number_generator(random.Random(seed))
        try:
            yield
        finally:
            igraph.set_random_number_generator(random)
