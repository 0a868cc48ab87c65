"""The ranges dikt accepts, in a spec and on the command line: one place.

A public module of constants, for tools that check input before handing it
to dikt. Kept free of imports so that the command line can bound its
options without loading the model.
"""

from __future__ import annotations

from typing import Final, Literal, TypeAlias

__all__ = [
    "LANGUAGES",
    "MAX_COUNT",
    "MAX_FILE_BYTES",
    "MAX_GROWTH_PERCENT",
    "MAX_MEMBER_FILES",
    "MAX_PERCENT_PLACES",
    "MAX_SPEC_BYTES",
    "MAX_SUBSET_PLAYERS",
    "YEAR_MAX",
    "YEAR_MIN",
    "Language",
]

#: The years dikt works with, in a spec (years and dates) and on the command
#: line: far around any budget, and small enough that a typo (``20124``) is
#: refused rather than carried into date arithmetic.
YEAR_MIN: Final = 1900
YEAR_MAX: Final = 2200

#: The largest count a spec may state (users, employees, population, units,
#: days): far above any municipality (Norway has 5.6 million inhabitants).
MAX_COUNT: Final = 10**9

#: A spec file larger than this is refused unread: no real cooperation comes
#: near it (the national-scale benchmark's files are well under 1 MiB each).
MAX_FILE_BYTES: Final = 8 * 1024 * 1024

#: All of a spec's files together may hold no more than this: eight times the
#: national-scale benchmark (357 members, 8.1 MB). Files past it are not read,
#: so a directory of huge files is refused quickly, not read into memory.
MAX_SPEC_BYTES: Final = 64 * 1024 * 1024

#: The most member files a spec may have: every municipality of the Nordic
#: countries is about 1 050. More are refused before any is read.
MAX_MEMBER_FILES: Final = 2000

#: The most members sharing one system whose capacity steps by total users
#: ``dikt keys`` prices exactly in the Shapley value (they have no closed
#: form: counted over the sizes and needs of the sets of members); `check`
#: warns (W212) about more.
MAX_SUBSET_PLAYERS: Final = 16

#: Price growth a plan accepts, in percent a year (above -100).
MAX_GROWTH_PERCENT: Final = 1000

#: The most decimals a percentage on the command line may have.
MAX_PERCENT_PLACES: Final = 6

#: A language dikt writes for people: English or Norwegian bokmål.
Language: TypeAlias = Literal["en", "nb"]
#: Every language dikt writes (English, the default, first): ``--lang`` and
#: a spec's ``language`` take these; :mod:`dikt.i18n` has their catalogs.
LANGUAGES: Final[tuple[Language, ...]] = ("en", "nb")
