"""Repatria: lawful-by-construction management of international custody transfers."""

__version__ = "0.1.0"
