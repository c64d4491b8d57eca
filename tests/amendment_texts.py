"""Amendments to the law written for the tests (each says so in its source), shared by the
tests of the law, the services, the API, the CLI and the pages that propose and judge them."""

TEN_YEARS = """\
amends: us-mx-1976
parameters:
  minimum_months_remaining:
    values:
      - from: 2025-01-01
        value: 120
        citation: {title: "A ten-year minimum (test)"}
        verified: true
        source: written for this test
"""

COLOMBIA_ACCEDES = """\
amends: coe-ets-112
parties:
  - state: CO
    from: 2025-01-01
    verified: true
    source: written for this test
    citation: {title: "Ley 2999 de 2024", article: "Art. 1"}
"""
