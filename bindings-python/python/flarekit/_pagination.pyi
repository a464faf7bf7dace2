from collections.abc import AsyncIterator, Generator, Iterator
from typing import Any, Generic, TypeVar

from ._native import Model, PageState

__all__ = ["AsyncPage", "AsyncPaginator", "SyncPage"]

_T = TypeVar("_T")

class _PageBase(Generic[_T]):
    def __init__(self, state: PageState) -> None: ...
    @property
    def result(self) -> list[_T]:
        """The items of this page."""
    @property
    def result_info(self) -> Model | None:
        """The envelope's ``result_info`` (``page``, ``per_page``, ``total_count``, ``cursor``...), or ``None``."""
    def has_next_page(self) -> bool:
        """Whether another page exists."""
    def __len__(self) -> int: ...

class SyncPage(_PageBase[_T]):
    """One page of a list call; iterating it walks every item of every page, fetching pages lazily."""

    def get_next_page(self) -> SyncPage[_T]:
        """Fetch the next page (raises ``RuntimeError`` when there is none)."""
    def iter_pages(self) -> Iterator[SyncPage[_T]]:
        """This page, then each following page, fetched one at a time."""
    def __iter__(self) -> Iterator[_T]: ...

class AsyncPage(_PageBase[_T]):
    """One page of a list call on ``AsyncCloudflare``; ``async for`` walks every item of every page."""

    async def get_next_page(self) -> AsyncPage[_T]:
        """Fetch the next page (raises ``RuntimeError`` when there is none)."""
    def iter_pages(self) -> AsyncIterator[AsyncPage[_T]]:
        """This page, then each following page, fetched one at a time."""
    def __aiter__(self) -> AsyncIterator[_T]: ...

class AsyncPaginator(Generic[_T]):
    """``await`` it for the first page, or ``async for`` over it for every item of every page."""

    def __init__(self, start: Any) -> None: ...
    def __await__(self) -> Generator[Any, None, AsyncPage[_T]]: ...
    def __aiter__(self) -> AsyncIterator[_T]: ...
    def iter_pages(self) -> AsyncIterator[AsyncPage[_T]]:
        """Every page, fetched one at a time."""
