"""Short, useful reprs for large frozen objects (results, the model)."""

from __future__ import annotations

from collections.abc import Mapping

import attrs

__all__ = ["summary_repr"]


def summary_repr(self: attrs.AttrsInstance) -> str:
    """``Name(field=value, ...)`` with collections as counts and nested objects by type.

    A national-scale allocation's full repr would be megabytes; this one says
    what it is and how large, and stays under a few hundred characters.
    """
    parts = []
    for field in attrs.fields(type(self)):
        if not field.repr:
            continue
        value = getattr(self, field.name)
        default = field.default
        if (
            isinstance(default, attrs.Factory)  # type: ignore[arg-type]
            and not default.takes_self
            and attrs.has(type(value))
            and value == default.factory()
        ):
            continue  # settings left as they are say nothing: Premises(), Leaving()
        if isinstance(value, tuple | list | Mapping):
            shown = f"<{len(value)} {'entry' if len(value) == 1 else 'entries'}>"
        elif attrs.has(type(value)):
            shown = f"<{type(value).__name__}>"
        else:
            shown = repr(value)
        parts.append(f"{field.name}={shown}")
    return f"{type(self).__name__}({', '.join(parts)})"
