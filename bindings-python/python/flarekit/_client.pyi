from collections.abc import Mapping
from os import PathLike
from types import TracebackType
from typing import Any

from typing_extensions import Self

from ._native import Client as _NativeClient
from ._native import Model
from ._pagination import AsyncPage as AsyncPage
from ._pagination import AsyncPaginator as AsyncPaginator
from ._pagination import SyncPage as SyncPage
from ._resources import AsyncCloudflareResources, CloudflareResources
from ._tokens import AsyncTokens, Tokens

__all__ = [
    "APIResponse",
    "AsyncCloudflare",
    "AsyncPage",
    "AsyncPaginator",
    "Cloudflare",
    "Method",
    "Resource",
    "SyncPage",
]

class Resource:
    """A group of API operations, e.g. ``cf.dns.records``."""

    def __init__(self, client: _BaseClient, path: str) -> None: ...
    def __getattr__(self, name: str) -> Any: ...

class Method:
    """One API operation bound to a client."""

    __name__: str
    def __init__(self, client: _BaseClient, op: int, name: str) -> None: ...
    def __call__(self, *args: Any, **kwargs: Any) -> Any: ...
    @property
    def info(self) -> dict[str, Any]: ...

class APIResponse:
    """A whole decoded response from ``request``."""

    status_code: int
    result: Any
    result_info: Model | None
    messages: list[Any]
    headers: dict[str, str]
    def __init__(
        self, status_code: int, result: Any, result_info: Model | None, messages: list[Any], headers: dict[str, str]
    ) -> None: ...

class _BaseClient:
    _native: _NativeClient
    def __init__(
        self,
        *,
        api_token: str | None = None,
        api_key: str | None = None,
        api_email: str | None = None,
        user_service_key: str | None = None,
        base_url: str | None = None,
        account_id: str | None = None,
        timeout: float | None = None,
        max_retries: int | None = None,
        page_prefetch: int | None = None,
        rate_limit: int | None = None,
        rate_limit_window: float | None = None,
        max_rate_limit_wait: float | None = None,
        default_headers: Mapping[str, str] | None = None,
        log_level: str | None = None,
        retry_delay_scale: float | None = None,
        max_response_bytes: int | None = None,
        ca_bundle: str | PathLike[str] | None = None,
        user_agent_suffix: str | None = None,
        proxy: str | None = None,
        env: Mapping[str, str] | None = None,
    ) -> None: ...
    @property
    def auth(self) -> str:
        """Which auth scheme is used and where it came from; never the value."""
    @property
    def base_url(self) -> str: ...
    @property
    def account_id(self) -> str | None: ...
    @property
    def timeout(self) -> float: ...
    @property
    def max_retries(self) -> int: ...
    @property
    def log_level(self) -> str: ...
    @property
    def default_headers(self) -> dict[str, str]: ...
    @property
    def closed(self) -> bool: ...
    def copy(
        self,
        *,
        api_token: str | None = None,
        api_key: str | None = None,
        api_email: str | None = None,
        user_service_key: str | None = None,
        base_url: str | None = None,
        account_id: str | None = None,
        timeout: float | None = None,
        max_retries: int | None = None,
        page_prefetch: int | None = None,
        rate_limit: int | None = None,
        rate_limit_window: float | None = None,
        max_rate_limit_wait: float | None = None,
        default_headers: Mapping[str, str | None] | None = None,
        set_default_headers: Mapping[str, str] | None = None,
        log_level: str | None = None,
        retry_delay_scale: float | None = None,
        max_response_bytes: int | None = None,
        ca_bundle: str | PathLike[str] | None = None,
        user_agent_suffix: str | None = None,
        proxy: str | None = None,
    ) -> Self:
        """A new client with some options changed; credentials replace the client's as a set, ``default_headers``
        merge (``None`` removes one), ``set_default_headers`` replace them all."""
    def with_options(
        self,
        *,
        api_token: str | None = None,
        api_key: str | None = None,
        api_email: str | None = None,
        user_service_key: str | None = None,
        base_url: str | None = None,
        account_id: str | None = None,
        timeout: float | None = None,
        max_retries: int | None = None,
        page_prefetch: int | None = None,
        rate_limit: int | None = None,
        rate_limit_window: float | None = None,
        max_rate_limit_wait: float | None = None,
        default_headers: Mapping[str, str | None] | None = None,
        set_default_headers: Mapping[str, str] | None = None,
        log_level: str | None = None,
        retry_delay_scale: float | None = None,
        max_response_bytes: int | None = None,
        ca_bundle: str | PathLike[str] | None = None,
        user_agent_suffix: str | None = None,
        proxy: str | None = None,
    ) -> Self:
        """The same as ``copy``."""

class Cloudflare(_BaseClient, CloudflareResources):
    """A blocking Cloudflare API v4 client (the GIL is released while calls wait)."""

    def request(
        self,
        method: str,
        path: str,
        *,
        query: Mapping[str, Any] | None = None,
        body: Any = None,
        content_type: str | None = None,
    ) -> APIResponse: ...
    def get(self, path: str, *, query: Mapping[str, Any] | None = None) -> Any: ...
    def post(
        self, path: str, *, query: Mapping[str, Any] | None = None, body: Any = None, content_type: str | None = None
    ) -> Any: ...
    def put(
        self, path: str, *, query: Mapping[str, Any] | None = None, body: Any = None, content_type: str | None = None
    ) -> Any: ...
    def patch(
        self, path: str, *, query: Mapping[str, Any] | None = None, body: Any = None, content_type: str | None = None
    ) -> Any: ...
    def delete(
        self, path: str, *, query: Mapping[str, Any] | None = None, body: Any = None, content_type: str | None = None
    ) -> Any: ...
    @property
    def tokens(self) -> Tokens:
        """Least-privilege API tokens: ``create`` (by permission and zone/account names), ``verify``, ``whoami``,
        ``roll``, ``revoke``, ``list``, ``expiring``, ``permission_groups``."""
    def whoami(self) -> Any:
        """Which credential is in use and where it came from; never a secret."""
    def close(self) -> None: ...
    def __enter__(self) -> Self: ...
    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None: ...

class AsyncCloudflare(_BaseClient, AsyncCloudflareResources):
    """The asyncio Cloudflare API v4 client: the same surface, returning awaitables."""

    async def request(
        self,
        method: str,
        path: str,
        *,
        query: Mapping[str, Any] | None = None,
        body: Any = None,
        content_type: str | None = None,
    ) -> APIResponse: ...
    async def get(self, path: str, *, query: Mapping[str, Any] | None = None) -> Any: ...
    async def post(
        self, path: str, *, query: Mapping[str, Any] | None = None, body: Any = None, content_type: str | None = None
    ) -> Any: ...
    async def put(
        self, path: str, *, query: Mapping[str, Any] | None = None, body: Any = None, content_type: str | None = None
    ) -> Any: ...
    async def patch(
        self, path: str, *, query: Mapping[str, Any] | None = None, body: Any = None, content_type: str | None = None
    ) -> Any: ...
    async def delete(
        self, path: str, *, query: Mapping[str, Any] | None = None, body: Any = None, content_type: str | None = None
    ) -> Any: ...
    @property
    def tokens(self) -> AsyncTokens:
        """Least-privilege API tokens, awaitable (see ``Cloudflare.tokens``)."""
    async def whoami(self) -> Any:
        """Which credential is in use (see ``Cloudflare.whoami``)."""
    async def close(self) -> None: ...
    async def __aenter__(self) -> Self: ...
    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None: ...
