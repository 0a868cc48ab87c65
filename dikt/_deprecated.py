"""Old names kept working for one release, each use warned about.

The public API was made consistent (one name for a candidate, the
cooperation first); code written against the old names keeps running and
is told, with a :class:`DeprecationWarning` pointing at the caller, what
to write instead.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable
from typing import Any, TypeVar, cast

__all__ = ["deprecated", "renamed_attribute", "renamed_keywords"]

_F = TypeVar("_F", bound=Callable[..., Any])


def deprecated(what: str, instead: str, *, stacklevel: int = 3) -> None:
    """Warn that ``what`` is deprecated and ``instead`` is what to use."""
    warnings.warn(
        f"{what} is deprecated and will be removed in the next release; use {instead}",
        DeprecationWarning,
        stacklevel=stacklevel,
    )


def renamed_keywords(**renames: str) -> Callable[[_F], _F]:
    r"""Accept each old keyword argument (the key) for its new name (the value).

    >>> @renamed_keywords(candidate_id="candidate")
    ... def join(cooperation, candidate):
    ...     return candidate
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as seen:
    ...     warnings.simplefilter("always")
    ...     join("spec", candidate_id="sande")
    'sande'
    >>> for part in str(seen[0].message).split("; "):
    ...     print(part)
    join(candidate_id=...) is deprecated and will be removed in the next release
    use join(candidate=...)
    """

    def decorate(function: _F) -> _F:
        name = function.__name__

        @functools.wraps(function)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            for old, new in renames.items():
                if old in kwargs:
                    if new in kwargs:
                        raise TypeError(f"{name}() got both {old!r} and {new!r}")
                    deprecated(f"{name}({old}=...)", f"{name}({new}=...)")
                    kwargs[new] = kwargs.pop(old)
            return function(*args, **kwargs)

        return cast(_F, wrapper)

    return decorate


def renamed_attribute(old: str, new: str) -> Any:
    """A read-only property ``old`` that warns and reads attribute ``new``."""

    def read(self: object) -> Any:
        deprecated(f"{type(self).__name__}.{old}", f"{type(self).__name__}.{new}")
        return getattr(self, new)

    read.__name__ = old
    read.__doc__ = f"Deprecated: use :attr:`{new}`."
    return property(read)
