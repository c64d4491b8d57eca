"""The legal engine: authorities held as dated data, assessed rule by rule, as of any date."""

from __future__ import annotations

from repatria.law.facts import ContextFacts

ENGINE_VERSION = "1.0.0"

AUTHORITY_IDS: tuple[str, ...] = (
    "us-mx-1976",
    "coe-ets-112",
    "coe-ets-167",
    "inter-american-1993",
    "eu-fd-2008-909",
    "us-removal",
    "us-third-country-removal",
    "aea-1798",
    "custody-agreement",
    "us-th-1982",
    "us-pe-1979",
    "us-bo-1978",
    "us-pa-1979",
    "us-ca-1977",
    "us-fr-1983",
    "us-tr-1979",
    "us-hk-1997",
    "us-fm-compact",
    "us-mh-compact",
    "us-pw-compact",
)

__all__ = ["AUTHORITY_IDS", "ENGINE_VERSION", "ContextFacts"]
