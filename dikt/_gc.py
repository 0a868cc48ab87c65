"""Pausing the cyclic garbage collector while building many small objects."""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable
from typing import ParamSpec, TypeVar

__all__ = ["paused_gc"]

P = ParamSpec("P")
R = TypeVar("R")


def paused_gc(function: Callable[P, R]) -> Callable[P, R]:
    """Run ``function`` with the cyclic collector paused, then restore it.

    Loading or allocating a national-scale spec creates some 100 000 small
    objects, none in a reference cycle; the collector's generational passes
    over them (and over the loaded model) cost about a quarter of the time
    and reclaim nothing. Reference counting still frees everything as usual.
    """

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        enabled = gc.isenabled()
        gc.disable()
        try:
            return function(*args, **kwargs)
        finally:
            if enabled:
                gc.enable()

    return wrapper
