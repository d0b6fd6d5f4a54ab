"""Scoring raw survey answers and the OIT checklist into official-style scores, for one or 8,300 agencies.

The rules come from each year's framework file (``scoring:`` section, docs/scoring.md S1-S9); the
roll-up above item scores is the one in :mod:`prongsai.aggregate`, vectorised in :mod:`.rollup`.
Individual answers never leave :mod:`.engine`: everything it returns is an aggregate.
"""
