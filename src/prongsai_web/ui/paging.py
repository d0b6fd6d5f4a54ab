"""Pages of a long list (the agency list, the dashboard's table): which page was asked for, kept
within the pages there are (a number past the end is the last page, anything else the first)."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import QueryDict

PAGE_SIZE = 100  # rows a page


@dataclass(frozen=True)
class Paged:
    page: int  # from 1
    pages: int  # at least 1
    first: int  # the index of the page's first row

    @property
    def last(self) -> int:
        """The index after the page's last row."""
        return self.first + PAGE_SIZE


def paged(params: QueryDict, count: int) -> Paged:
    pages = max(1, -(-count // PAGE_SIZE))
    asked = params.get("page", "")
    page = min(max(int(asked), 1), pages) if asked.isdigit() else 1
    return Paged(page, pages, (page - 1) * PAGE_SIZE)
