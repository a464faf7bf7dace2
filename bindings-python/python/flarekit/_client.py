"""``Cloudflare`` and ``AsyncCloudflare``: thin Python shells over the native client.

Resources are built lazily from the native operation table on first attribute access (``cf.dns.records``) and
cached on the object, so importing flarekit and constructing a client never walks the 2,589 operations.
Typed in ``_client.pyi`` (with the generated ``_resources.pyi``); this module stays free of ``typing`` and
``asyncio`` so ``import flarekit`` stays fast.
"""

from __future__ import annotations

from . import _native
from ._pagination import AsyncPage, AsyncPaginator, SyncPage
from ._tokens import AsyncTokens, Tokens

__all__ = ["AsyncCloudflare", "Cloudflare"]

_PageState = _native.PageState


def _no_member(path, name):
    children, methods = _native.members(path)
    where = path or "the client"
    if not children and not methods:
        return "%s has no attribute %r" % (where, name)
    parts = []
    if children:
        parts.append("resources: " + ", ".join(children))
    if methods:
        parts.append("methods: " + ", ".join(methods))
    return "%s has no attribute %r (%s)" % (where, name, "; ".join(parts))


def _member(owner, client, path, name):
    if name.startswith("_"):
        raise AttributeError(name)
    found = _native.resolve(path, name)
    if found is None:
        raise AttributeError(_no_member(path, name))
    kind, value = found
    obj = Resource(client, value) if kind == "resource" else Method(client, value, name)
    owner.__dict__[name] = obj
    return obj


class Resource:
    """A group of API operations, e.g. ``cf.dns.records``. Its attributes are sub-resources and methods."""

    __slots__ = ("__dict__", "_client", "_path")

    def __init__(self, client, path):
        self._client = client
        self._path = path

    def __getattr__(self, name):
        return _member(self, self._client, self._path, name)

    def __dir__(self):
        children, methods = _native.members(self._path)
        return sorted(set(children) | set(methods))

    def __repr__(self) -> str:
        return "<flarekit resource %s>" % self._path


class Method:
    """One API operation bound to a client: ``cf.dns.records.create(zone_id=..., type="A", ...)``.

    Positional arguments are the operation's trailing path ids (``cf.dns.records.get(record_id, zone_id=z)``);
    keywords are path, query and body parameters alike (the core sorts them out). A Python keyword is spelled
    with a trailing underscore (``from_=...``). Unknown keywords raise ``InvalidArgumentError`` naming the valid
    ones. List operations return pages.
    """

    __slots__ = ("__name__", "_client", "_op")

    def __init__(self, client, op, name):
        self._client = client
        self._op = op
        self.__name__ = name

    def __call__(self, *args, **kwargs):
        return self._client._invoke(self._op, args, kwargs)

    @property
    def info(self):
        """The operation's table entry: verb, path, positional and query parameters, body kinds, pagination."""
        return _native.operation_info(self._op)

    def __repr__(self) -> str:
        i = _native.operation_info(self._op)
        return "<flarekit method %s: %s %s>" % (i["attr_path"], i["verb"], i["path"])


class APIResponse:
    """A whole decoded response from ``cf.request(...)``: ``status_code``, ``result``, ``result_info`` (list
    calls), ``messages`` and ``headers`` (lower-case names)."""

    __slots__ = ("headers", "messages", "result", "result_info", "status_code")

    def __init__(self, status_code, result, result_info, messages, headers):
        self.status_code = status_code
        self.result = result
        self.result_info = result_info
        self.messages = messages
        self.headers = headers

    def __repr__(self) -> str:
        return "APIResponse(status_code=%r, result=%r, result_info=%r)" % (
            self.status_code,
            self.result,
            self.result_info,
        )


class _BaseClient:
    __slots__ = ("__dict__", "_native")

    def __init__(
        self,
        *,
        api_token=None,
        api_key=None,
        api_email=None,
        user_service_key=None,
        base_url=None,
        account_id=None,
        timeout=None,
        max_retries=None,
        default_headers=None,
        log_level=None,
        retry_delay_scale=None,
        max_response_bytes=None,
        ca_bundle=None,
        user_agent_suffix=None,
        proxy=None,
        env=None,
        **other,
    ):
        # Every value goes to the core as given: it decides defaults, ranges and messages (docs/options.md); an
        # unknown keyword is a ConfigurationError there too, with the closest option name.
        self._native = _native.Client(
            {
                **other,
                "api_token": api_token,
                "api_key": api_key,
                "api_email": api_email,
                "user_service_key": user_service_key,
                "base_url": base_url,
                "account_id": account_id,
                "timeout": timeout,
                "max_retries": max_retries,
                "default_headers": default_headers,
                "log_level": log_level,
                "retry_delay_scale": retry_delay_scale,
                "max_response_bytes": max_response_bytes,
                "ca_bundle": ca_bundle,
                "user_agent_suffix": user_agent_suffix,
                "proxy": proxy,
                "env": env,
            }
        )

    def __getattr__(self, name):
        return _member(self, self, "", name)

    def __dir__(self):
        children, _ = _native.members("")
        return sorted(set(object.__dir__(self)) | set(children))

    # -- configuration

    @property
    def auth(self) -> str:
        """Which auth scheme is used and where it came from (``api_token from CLOUDFLARE_API_TOKEN``); never the
        value."""
        return self._native.auth

    @property
    def base_url(self) -> str:
        """The effective base URL (no trailing slash)."""
        return self._native.base_url

    @property
    def account_id(self):
        """The default account id (option ``account_id`` or ``CLOUDFLARE_ACCOUNT_ID``), used by operations that
        need one and are not given one."""
        return self._native.account_id

    @property
    def timeout(self) -> float:
        """Seconds per attempt."""
        return self._native.timeout

    @property
    def max_retries(self) -> int:
        """Retries after the first attempt."""
        return self._native.max_retries

    @property
    def log_level(self) -> str:
        """``off``, ``error``, ``warn``, ``info`` or ``debug`` (option ``log_level`` or ``CLOUDFLARE_LOG``)."""
        return self._native.log_level

    @property
    def default_headers(self):
        """Headers sent with every request (a new dict; names lower-case)."""
        return self._native.effective_options()["default_headers"]

    @property
    def closed(self) -> bool:
        return bool(self._native.closed)

    def copy(self, **overrides):
        """A new client with some options changed; ``None`` keeps the current value. Credentials given here
        replace the client's credentials as a set (``copy(api_token=t)`` on a key+email client uses the token).
        ``default_headers`` are merged into the current ones by name (a ``None`` value removes a header);
        ``set_default_headers`` replaces them all. The environment is not read again."""
        new = object.__new__(type(self))
        new._native = self._native.copy(overrides)
        return new

    with_options = copy

    def __repr__(self) -> str:
        if self._native.closed:
            return "%s(closed)" % type(self).__name__
        return "%s(auth=%r, base_url=%r, account_id=%r, timeout=%r, max_retries=%r)" % (
            type(self).__name__,
            self._native.auth,
            self._native.base_url,
            self._native.account_id,
            self._native.timeout,
            self._native.max_retries,
        )

    def __reduce__(self):
        raise TypeError("%s objects cannot be pickled: they hold credentials" % type(self).__name__)


class Cloudflare(_BaseClient):
    """A blocking Cloudflare API v4 client. Calls release the GIL while they wait, so threads run in parallel.

    Options (all optional; credentials fall back to the environment as a set):
    ``api_token`` (``CLOUDFLARE_API_TOKEN``), or ``api_key`` + ``api_email`` (``CLOUDFLARE_API_KEY`` +
    ``CLOUDFLARE_EMAIL``), or ``user_service_key`` (``CLOUDFLARE_API_USER_SERVICE_KEY``); ``base_url``
    (``CLOUDFLARE_BASE_URL``), ``account_id`` (``CLOUDFLARE_ACCOUNT_ID``), ``timeout`` (seconds per attempt,
    60), ``max_retries`` (2), ``default_headers``, ``log_level`` (``CLOUDFLARE_LOG``: debug, info, warn, error,
    off; logs go to the ``logging`` logger ``flarekit``), ``ca_bundle`` (a PEM file of CA certificates to trust
    besides the system roots, for a private CA; certificates are always verified). ``env``: a mapping read instead
    of ``os.environ``
    (read once, at construction; tests pass one so they never touch the process environment).

    Every operation is ``cf.<resource>.<method>(...)``; anything else is reachable with ``cf.get(path)`` and
    friends. Use as a context manager, or call ``close()``, to release connections promptly.
    """

    __slots__ = ()

    def _invoke(self, op, args, kwargs):
        out = self._native.call(op, args, kwargs)
        if type(out) is _PageState:
            return SyncPage(out)
        return out

    def request(self, method, path, *, query=None, body=None, content_type=None):
        """Any request under the base URL; returns an ``APIResponse`` (``result``, ``result_info``, ``messages``,
        ``headers``, ``status_code``). ``body`` is sent as JSON, or raw when it is bytes (or str with a
        ``content_type``). ``get``/``post``/``put``/``patch``/``delete`` return just the ``result``."""
        return APIResponse(*self._native.request(method, path, query, body, content_type, True))

    def get(self, path, *, query=None):
        """``GET path``; nested query objects become dotted keys (``{"account": {"id": a}}`` → ``account.id=a``)."""
        return self._native.request("GET", path, query, None, None)

    def post(self, path, *, query=None, body=None, content_type=None):
        """``POST path`` with a JSON (or raw) body."""
        return self._native.request("POST", path, query, body, content_type)

    def put(self, path, *, query=None, body=None, content_type=None):
        """``PUT path`` with a JSON (or raw) body."""
        return self._native.request("PUT", path, query, body, content_type)

    def patch(self, path, *, query=None, body=None, content_type=None):
        """``PATCH path`` with a JSON (or raw) body."""
        return self._native.request("PATCH", path, query, body, content_type)

    def delete(self, path, *, query=None, body=None, content_type=None):
        """``DELETE path``."""
        return self._native.request("DELETE", path, query, body, content_type)

    @property
    def tokens(self):
        """Least-privilege API tokens: ``create`` (by permission and zone/account names, IP-filtered, expiring;
        ``dry_run``), ``verify``, ``whoami``, ``roll``, ``revoke``, ``list``, ``expiring``, ``permission_groups``."""
        return Tokens(self)

    def whoami(self):
        """Which credential is in use and where it came from; for a token its id, status, validity and owner (user or
        account), for the global key the user. Never a secret."""
        return Tokens(self).whoami()

    def close(self) -> None:
        """Release the connection pool. Later calls raise ``APIConnectionError``."""
        self._native.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class AsyncCloudflare(_BaseClient):
    """The asyncio Cloudflare API v4 client: the same options and methods as ``Cloudflare``, each returning an
    awaitable. List calls return an ``AsyncPaginator``: ``await`` it for the first page or ``async for`` over it
    for every item. Use ``async with``, or ``await close()``.
    """

    __slots__ = ()

    def _invoke(self, op, args, kwargs):
        native = self._native
        if _native.is_paginated(op):
            return AsyncPaginator(lambda: native.call_async(op, args, kwargs))
        return _await_native(native.call_async, op, args, kwargs)

    def request(self, method, path, *, query=None, body=None, content_type=None):
        """Any request under the base URL; resolves to an ``APIResponse``."""
        return _await_response(self._native.request_async, method, path, query, body, content_type, True)

    def get(self, path, *, query=None):
        """``GET path``."""
        return _await_native(self._native.request_async, "GET", path, query, None, None)

    def post(self, path, *, query=None, body=None, content_type=None):
        """``POST path`` with a JSON (or raw) body."""
        return _await_native(self._native.request_async, "POST", path, query, body, content_type)

    def put(self, path, *, query=None, body=None, content_type=None):
        """``PUT path`` with a JSON (or raw) body."""
        return _await_native(self._native.request_async, "PUT", path, query, body, content_type)

    def patch(self, path, *, query=None, body=None, content_type=None):
        """``PATCH path`` with a JSON (or raw) body."""
        return _await_native(self._native.request_async, "PATCH", path, query, body, content_type)

    def delete(self, path, *, query=None, body=None, content_type=None):
        """``DELETE path``."""
        return _await_native(self._native.request_async, "DELETE", path, query, body, content_type)

    @property
    def tokens(self):
        """Least-privilege API tokens, awaitable (see ``Cloudflare.tokens``)."""
        return AsyncTokens(self)

    async def whoami(self):
        """Which credential is in use (see ``Cloudflare.whoami``)."""
        return await AsyncTokens(self).whoami()

    async def close(self) -> None:
        """Release the connection pool. Later calls raise ``APIConnectionError``."""
        self._native.close()

    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc):
        self._native.close()


async def _await_response(fn, *args):
    return APIResponse(*await fn(*args))


async def _await_native(fn, *args):
    # The request starts when the coroutine is awaited (as a coroutine from the official SDK would), not when
    # the method is called; argument errors surface at the same point.
    return await fn(*args)


__all__ += ["APIResponse", "AsyncPage", "AsyncPaginator", "Method", "Resource", "SyncPage"]
