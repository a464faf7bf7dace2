"""Pages of list calls. The core decides when paging stops (``total_pages``, an empty page, a repeated cursor);
these classes only walk what it hands back, lazily: a page is fetched when iteration reaches it.

Typed in ``_pagination.pyi``; this module stays free of ``typing`` so ``import flarekit`` stays fast.
"""

from __future__ import annotations

__all__ = ["AsyncPage", "AsyncPaginator", "SyncPage"]

_NO_NEXT = "there is no next page; check has_next_page() first"


class _PageBase:
    __slots__ = ("_state",)

    def __init__(self, state):
        self._state = state

    @property
    def result(self):
        """The items of this page."""
        return self._state.items

    @property
    def result_info(self):
        """The envelope's ``result_info`` (``page``, ``per_page``, ``total_count``, ``cursor``...), or ``None``."""
        return self._state.result_info

    def has_next_page(self) -> bool:
        """Whether another page exists."""
        return bool(self._state.has_next())

    def __len__(self) -> int:
        return len(self._state.items)

    def __repr__(self) -> str:
        return "%s(result=<%d items>, result_info=%r, has_next_page=%s)" % (
            type(self).__name__,
            len(self._state.items),
            self._state.result_info,
            self.has_next_page(),
        )


class SyncPage(_PageBase):
    """One page of a list call. Iterating it walks every item of every page, fetching the following pages as
    iteration reaches them; ``.result`` holds only this page's items."""

    __slots__ = ()

    def get_next_page(self) -> SyncPage:
        """Fetch the next page (raises ``RuntimeError`` when there is none)."""
        state = self._state.next_page()
        if state is None:
            raise RuntimeError(_NO_NEXT)
        return SyncPage(state)

    def iter_pages(self):
        """This page, then each following page, fetched one at a time."""
        page = self
        while True:
            yield page
            if not page.has_next_page():
                return
            page = page.get_next_page()

    def __iter__(self):
        for page in self.iter_pages():
            yield from page._state.items


class AsyncPage(_PageBase):
    """One page of a list call on ``AsyncCloudflare``. ``async for`` walks every item of every page, fetching
    the following pages as iteration reaches them."""

    __slots__ = ()

    async def get_next_page(self) -> AsyncPage:
        """Fetch the next page (raises ``RuntimeError`` when there is none)."""
        state = await self._state.next_page_async()
        if state is None:
            raise RuntimeError(_NO_NEXT)
        return AsyncPage(state)

    async def iter_pages(self):
        """This page, then each following page, fetched one at a time."""
        page = self
        while True:
            yield page
            if not page.has_next_page():
                return
            page = await page.get_next_page()

    async def __aiter__(self):
        async for page in self.iter_pages():
            for item in page._state.items:
                yield item


class AsyncPaginator:
    """What a list call on ``AsyncCloudflare`` returns: ``await`` it for the first page, or ``async for`` over it
    to walk every item of every page (no request is made until one of those happens)."""

    __slots__ = ("_start",)

    def __init__(self, start):
        self._start = start

    async def _first(self) -> AsyncPage:
        return AsyncPage(await self._start())

    def __await__(self):
        return self._first().__await__()

    async def __aiter__(self):
        page = await self._first()
        async for item in page:
            yield item

    async def iter_pages(self):
        """Every page, fetched one at a time."""
        page = await self._first()
        async for p in page.iter_pages():
            yield p
