"""The version of dikt, kept in one place for the package and the build."""

__version__ = "0.1.0"
