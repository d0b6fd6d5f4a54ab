"""prongsai (โปร่งใส): turn a Thai public agency's ITA results into analysis and integrity measures."""

__version__ = "0.1.0"
