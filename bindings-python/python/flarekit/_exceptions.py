"""The flarekit error tree. The core classifies every failure; these are the classes it is raised as.

::

    CloudflareError
    ├── APIError
    │   └── APIStatusError                    the API answered with an error
    │       ├── BadRequestError               400
    │       ├── AuthenticationError           401, or an auth-rejection code (9106, 9103, 9109, 10000, 6003/61xx...)
    │       │   └── MissingCredentialsError   no credentials at all, raised at construction
    │       ├── PermissionDeniedError         403
    │       ├── NotFoundError                 404
    │       ├── ConflictError                 409
    │       ├── UnprocessableEntityError      422
    │       ├── RateLimitError                429 (``retry_after``)
    │       └── InternalServerError           >= 500
    ├── APIConnectionError                    the request could not be sent or the answer not received
    │   └── APITimeoutError
    ├── APIUserAbortError                     the call was cancelled
    ├── ConfigurationError (also ValueError)  bad client options
    └── InvalidArgumentError (also TypeError) bad call arguments, detected before any request

Every exception pickles and unpickles with all its fields.
"""

from __future__ import annotations

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIStatusError",
    "APITimeoutError",
    "APIUserAbortError",
    "AuthenticationError",
    "BadRequestError",
    "CloudflareError",
    "ConfigurationError",
    "ConflictError",
    "InternalServerError",
    "InvalidArgumentError",
    "MissingCredentialsError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "UnprocessableEntityError",
]

_FIELDS = ("status_code", "errors", "messages", "body", "headers", "ray_id", "codes", "retry_after", "attempts")


class CloudflareError(Exception):
    """Base class of every error flarekit raises.

    Attributes (``None`` or empty when they do not apply):

    - ``message``: the full message, as ``str(error)`` shows it.
    - ``status_code``: the HTTP status, when the API answered.
    - ``errors``: the envelope's ``errors`` (each with ``code``, ``message``, maybe ``error_chain``).
    - ``messages``: the envelope's ``messages``.
    - ``body``: the response body (decoded JSON, or the start of a non-JSON body).
    - ``headers``: the response headers (lower-case names).
    - ``ray_id``: the ``cf-ray`` id of the response, to quote to Cloudflare support.
    - ``codes``: every error code, chained ones included, in order.
    - ``retry_after``: seconds the server asked to wait (rate limits).
    - ``attempts``: how many requests were made (0 when the error arose before any request).
    """

    message: str
    status_code: int | None
    errors: list
    messages: list
    body: object
    headers: dict
    ray_id: str | None
    codes: list
    retry_after: float | None
    attempts: int

    def __init__(
        self,
        message: str = "",
        *,
        status_code: int | None = None,
        errors: list | None = None,
        messages: list | None = None,
        body: object = None,
        headers: dict | None = None,
        ray_id: str | None = None,
        codes: list | None = None,
        retry_after: float | None = None,
        attempts: int = 0,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status_code = status_code
        self.errors = list(errors) if errors is not None else []
        self.messages = list(messages) if messages is not None else []
        self.body = body
        self.headers = dict(headers) if headers is not None else {}
        self.ray_id = ray_id
        self.codes = list(codes) if codes is not None else []
        self.retry_after = retry_after
        self.attempts = attempts

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        extra = ""
        if self.status_code is not None:
            extra = ", status_code=%r" % self.status_code
        return "%s(%r%s)" % (type(self).__name__, self.message, extra)

    def __reduce__(self):
        return (_rebuild, (type(self), self.message, {f: getattr(self, f) for f in _FIELDS}))


def _rebuild(cls, message, fields):
    return cls(message, **fields)


class APIError(CloudflareError):
    """An error about an API call: the API answered with an error (``APIStatusError``)."""


class APIStatusError(APIError):
    """The API answered with an error status, ``success: false``, or a body that is not an envelope.

    Also raised for statuses without a class of their own (3xx: redirects are never followed, other 4xx).
    """


class BadRequestError(APIStatusError):
    """400: the request was malformed or a parameter is invalid. ``errors`` says which."""


class AuthenticationError(APIStatusError):
    """The credentials were rejected (401, or an auth-rejection code under any status: 9106, 9103, 9109, 10000,
    6003 with a 61xx chain, 6100-6199, or 1000 from ``user.tokens.verify``). Check the token or key and how it is
    passed (``api_token`` for tokens, ``api_key`` + ``api_email`` for the global key)."""


class MissingCredentialsError(AuthenticationError):
    """No credentials at all: pass ``api_token`` (or ``api_key`` + ``api_email``, or ``user_service_key``), or set
    ``CLOUDFLARE_API_TOKEN`` (or ``CLOUDFLARE_API_KEY`` + ``CLOUDFLARE_EMAIL``, or
    ``CLOUDFLARE_API_USER_SERVICE_KEY``). Raised at construction, before any request."""


class PermissionDeniedError(APIStatusError):
    """403: the credentials are valid but lack a permission for this resource (check the token's policies)."""


class NotFoundError(APIStatusError):
    """404: the resource (or the route) does not exist, or the credentials cannot see it."""


class ConflictError(APIStatusError):
    """409: the request conflicts with the current state (e.g. a record that already exists)."""


class UnprocessableEntityError(APIStatusError):
    """422: the request was well formed but its content is invalid."""


class RateLimitError(APIStatusError):
    """429: too many requests. ``retry_after`` holds the seconds the server asked to wait, when it said."""


class InternalServerError(APIStatusError):
    """A status of 500 or more: the API failed. Safe calls were retried ``max_retries`` times first."""


class APIConnectionError(CloudflareError):
    """The request could not be sent or its answer not received (DNS, connect, TLS, reset). Retried first."""


class APITimeoutError(APIConnectionError):
    """An attempt took longer than the ``timeout`` option (seconds per attempt). Retried first."""


class APIUserAbortError(CloudflareError):
    """The call was cancelled before it completed."""


class ConfigurationError(CloudflareError, ValueError):
    """A client option is invalid: base URL, header value, credential characters, log level, timeout."""


class InvalidArgumentError(CloudflareError, TypeError):
    """A call's arguments are wrong (unknown parameter, missing path parameter, a value with no JSON form).
    Detected before any request; also a ``TypeError``."""
