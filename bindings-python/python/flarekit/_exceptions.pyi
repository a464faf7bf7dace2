from typing import Any

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

class CloudflareError(Exception):
    """Base class of every error flarekit raises."""

    message: str
    status_code: int | None
    errors: list[Any]
    messages: list[Any]
    body: Any
    headers: dict[str, str]
    ray_id: str | None
    codes: list[int]
    retry_after: float | None
    attempts: int
    def __init__(
        self,
        message: str = "",
        *,
        status_code: int | None = None,
        errors: list[Any] | None = None,
        messages: list[Any] | None = None,
        body: Any = None,
        headers: dict[str, str] | None = None,
        ray_id: str | None = None,
        codes: list[int] | None = None,
        retry_after: float | None = None,
        attempts: int = 0,
    ) -> None: ...

class APIError(CloudflareError): ...
class APIStatusError(APIError): ...
class BadRequestError(APIStatusError): ...
class AuthenticationError(APIStatusError): ...
class MissingCredentialsError(AuthenticationError): ...
class PermissionDeniedError(APIStatusError): ...
class NotFoundError(APIStatusError): ...
class ConflictError(APIStatusError): ...
class UnprocessableEntityError(APIStatusError): ...
class RateLimitError(APIStatusError): ...
class InternalServerError(APIStatusError): ...
class APIConnectionError(CloudflareError): ...
class APITimeoutError(APIConnectionError): ...
class APIUserAbortError(CloudflareError): ...
class ConfigurationError(CloudflareError, ValueError): ...
class InvalidArgumentError(CloudflareError, TypeError): ...
