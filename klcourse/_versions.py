"""The package version. Supported dependency ranges live in pyproject.toml only."""

__version__ = "0.1.0"
