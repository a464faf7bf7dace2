"""``cf.tokens`` and ``cf.whoami()``: least-privilege API tokens in one call."""

from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Any, NoReturn, Union

from ._client import AsyncCloudflare, Cloudflare
from ._native import Secret as Secret

__all__ = ["AsyncTokens", "CreatedToken", "Secret", "Tokens"]

_Duration = Union[str, int, float, timedelta]
"""A duration: ``"1h"``, ``"7d"``, ``"90m"``, seconds, or a ``timedelta``."""
_Grant = Union[str, Mapping[str, str]]
"""One grant: ``"GROUP@SCOPE"`` or ``{"permission": ..., "scope": ...}``."""
_Strings = Union[str, Sequence[str], None]

class CreatedToken:
    """A token just created; ``value`` is a :class:`Secret` shown only by ``value.reveal()``."""

    id: str
    name: str | None
    status: str | None
    not_before: str | None
    expires_on: str | None
    policies: Any
    owner: str
    account_id: str | None
    value: Secret
    def __init__(self, data: Mapping[str, Any], value: Secret) -> None: ...
    def to_dict(self) -> dict[str, Any]:
        """Everything but the value."""
    def __setattr__(self, name: str, value: Any) -> NoReturn: ...
    def __reduce__(self) -> NoReturn: ...

class Tokens:
    """Token operations of a blocking client (``cf.tokens``)."""

    def __init__(self, client: Cloudflare) -> None: ...
    def create(
        self,
        *,
        name: str,
        allow: _Grant | Sequence[_Grant],
        ip_allow: _Strings = None,
        ip_deny: _Strings = None,
        not_before: str | None = None,
        expires_on: str | None = None,
        ttl: _Duration | None = None,
        account_id: str | None = None,
        dry_run: bool = False,
    ) -> Any:
        """Create a least-privilege token (a :class:`CreatedToken`), or with ``dry_run=True`` the exact request."""
    def verify(self) -> Any: ...
    def whoami(self) -> Any: ...
    def roll(self, id: str, *, account_id: str | None = None) -> Secret: ...
    def revoke(self, id: str, *, account_id: str | None = None) -> str: ...
    def list(self, *, account_id: str | None = None) -> Any: ...
    def expiring(self, within: _Duration, *, account_id: str | None = None) -> Any: ...
    def permission_groups(self, *, scope: str | None = None, account_id: str | None = None) -> Any: ...

class AsyncTokens:
    """Token operations of an asyncio client (``cf.tokens``)."""

    def __init__(self, client: AsyncCloudflare) -> None: ...
    async def create(
        self,
        *,
        name: str,
        allow: _Grant | Sequence[_Grant],
        ip_allow: _Strings = None,
        ip_deny: _Strings = None,
        not_before: str | None = None,
        expires_on: str | None = None,
        ttl: _Duration | None = None,
        account_id: str | None = None,
        dry_run: bool = False,
    ) -> Any:
        """Create a least-privilege token (a :class:`CreatedToken`), or with ``dry_run=True`` the exact request."""
    async def verify(self) -> Any: ...
    async def whoami(self) -> Any: ...
    async def roll(self, id: str, *, account_id: str | None = None) -> Secret: ...
    async def revoke(self, id: str, *, account_id: str | None = None) -> str: ...
    async def list(self, *, account_id: str | None = None) -> Any: ...
    async def expiring(self, within: _Duration, *, account_id: str | None = None) -> Any: ...
    async def permission_groups(self, *, scope: str | None = None, account_id: str | None = None) -> Any: ...
