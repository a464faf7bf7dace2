"""flarekit: a Cloudflare API v4 client with one Rust core.

::

    from flarekit import Cloudflare

    cf = Cloudflare()  # CLOUDFLARE_API_TOKEN, or Cloudflare(api_token=...)
    for zone in cf.zones.list():
        print(zone.id, zone.name)

``Cloudflare`` blocks (releasing the GIL while it waits); ``AsyncCloudflare`` returns asyncio awaitables.
Every operation of the API is ``cf.<resource>.<method>(...)``; results are ``Model`` objects (attribute and item
access, ``to_dict()``, ``to_json()``); list calls return pages that iterate every item lazily. Errors are the
classes of ``flarekit._exceptions``, all importable from here.
"""

from ._client import APIResponse, AsyncCloudflare, Cloudflare
from ._exceptions import (
    APIConnectionError,
    APIError,
    APIStatusError,
    APITimeoutError,
    APIUserAbortError,
    AuthenticationError,
    BadRequestError,
    CloudflareError,
    ConfigurationError,
    ConflictError,
    InternalServerError,
    InvalidArgumentError,
    MissingCredentialsError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    UnprocessableEntityError,
)
from ._native import Model, __version__
from ._pagination import AsyncPage, AsyncPaginator, SyncPage
from ._tokens import AsyncTokens, CreatedToken, Secret, Tokens

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIResponse",
    "APIStatusError",
    "APITimeoutError",
    "APIUserAbortError",
    "AsyncCloudflare",
    "AsyncPage",
    "AsyncPaginator",
    "AsyncTokens",
    "AuthenticationError",
    "BadRequestError",
    "Cloudflare",
    "CloudflareError",
    "ConfigurationError",
    "ConflictError",
    "CreatedToken",
    "InternalServerError",
    "InvalidArgumentError",
    "MissingCredentialsError",
    "Model",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "Secret",
    "SyncPage",
    "Tokens",
    "UnprocessableEntityError",
    "__version__",
]
