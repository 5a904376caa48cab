"""The package version, in one place (the cache key and provenance read it)."""

__version__ = "0.1.0"
