"""Types of the native extension (Rust). Most code uses the classes re-exported by ``flarekit``."""

from collections.abc import Awaitable, Iterator, Mapping
from typing import Any, final

from typing_extensions import disjoint_base

__all__ = [
    "Client",
    "Model",
    "NativeEmulator",
    "PageState",
    "Secret",
    "__version__",
    "_drain_at_exit",
    "cli_main",
    "find_operation",
    "is_paginated",
    "members",
    "operation_count",
    "operation_info",
    "resolve",
    "start_emulator",
    "tokens_call",
    "tokens_call_async",
]

__version__: str

@disjoint_base
class Model:
    """A JSON object returned by the API: fields as attributes (``zone.id``) or items (``zone["id"]``); a field
    named like a Python keyword also reads with a trailing underscore (``rule.from_``). Nested objects are
    Models, arrays lists. Equal to a Model or dict with the same content."""

    def __new__(cls, data: Mapping[str, Any] | None = None, **fields: Any) -> Model: ...
    # No __getattr__ here: results are typed (flarekit.types), so a misspelled field is a type error. Reading a
    # field of an untyped Model is `model["field"]` (or a cast).
    def __setattr__(self, name: str, value: Any, /) -> None: ...
    def __delattr__(self, name: str, /) -> None: ...
    def __getitem__(self, key: str, /) -> Any: ...
    def __setitem__(self, key: str, value: Any, /) -> None: ...
    def __delitem__(self, key: str, /) -> None: ...
    def __contains__(self, key: object, /) -> bool: ...
    def __len__(self) -> int: ...
    def __iter__(self) -> Iterator[str]: ...
    def __eq__(self, value: object, /) -> bool: ...
    def __ne__(self, value: object, /) -> bool: ...
    def __copy__(self) -> Model: ...
    def __deepcopy__(self, _memo: Any) -> Model: ...
    def to_dict(self) -> dict[str, Any]:
        """The object as plain dicts and lists (a deep copy)."""
    def to_json(self, indent: int | None = 2) -> str:
        """The object as JSON text, indented by ``indent`` spaces (``None`` for one line)."""

@final
class PageState:
    @property
    def items(self) -> list[Any]: ...
    @property
    def result_info(self) -> Model | None: ...
    @property
    def kind(self) -> str: ...
    def has_next(self) -> bool: ...
    def next_page(self) -> PageState | None: ...
    def next_page_async(self) -> Awaitable[PageState | None]: ...

@final
class Client:
    def __new__(cls, options: Mapping[str, Any]) -> Client: ...
    def copy(self, overrides: Mapping[str, Any]) -> Client: ...
    def effective_options(self) -> dict[str, Any]: ...
    @staticmethod
    def option_table() -> list[dict[str, Any]]: ...
    def close(self) -> None: ...
    @property
    def closed(self) -> bool: ...
    @property
    def auth(self) -> str: ...
    @property
    def auth_scheme(self) -> str: ...
    @property
    def base_url(self) -> str: ...
    @property
    def account_id(self) -> str | None: ...
    @property
    def max_retries(self) -> int: ...
    @property
    def timeout(self) -> float: ...
    @property
    def log_level(self) -> str: ...
    def call(self, op: int, args: tuple[Any, ...], kwargs: Mapping[str, Any] | None = None) -> Any: ...
    def call_async(self, op: int, args: tuple[Any, ...], kwargs: Mapping[str, Any] | None = None) -> Awaitable[Any]: ...
    def request(
        self,
        method: str,
        path: str,
        query: Mapping[str, Any] | None = None,
        body: Any = None,
        content_type: str | None = None,
        full: bool = False,
    ) -> Any: ...
    def request_async(
        self,
        method: str,
        path: str,
        query: Mapping[str, Any] | None = None,
        body: Any = None,
        content_type: str | None = None,
        full: bool = False,
    ) -> Awaitable[Any]: ...

def resolve(path: str, name: str) -> tuple[str, Any] | None: ...
def members(path: str) -> tuple[list[str], list[str]]: ...
def find_operation(resource: str, method: str) -> int: ...
def operation_info(i: int) -> dict[str, Any]: ...
def operation_count() -> int: ...
def is_paginated(i: int) -> bool: ...
def _drain_at_exit() -> None: ...

@final
class Secret:
    """A token value, shown once: ``repr()`` and ``str()`` never show it; ``reveal()`` does. It cannot be pickled."""

    def reveal(self) -> str:
        """The secret text. Hand it to a secret store; do not print or log it."""
    def __len__(self) -> int: ...
    def __reduce__(self) -> Any: ...

def tokens_call(client: Client, op: str, args: Mapping[str, Any] | None = None) -> tuple[Any, Secret | None]: ...
def tokens_call_async(
    client: Client, op: str, args: Mapping[str, Any] | None = None
) -> Awaitable[tuple[Any, Secret | None]]: ...
def cli_main(argv: list[str]) -> int: ...

@final
class NativeEmulator:
    """A running in-process emulator (``flarekit.testing.Emulator`` wraps it). Stops on ``stop()`` or when
    garbage-collected."""

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT/client/v4``."""
    @property
    def admin_url(self) -> str:
        """``http://127.0.0.1:PORT/__emulator``."""
    @property
    def seed_json(self) -> str:
        """The seed it started from (JSON text)."""
    @property
    def running(self) -> bool:
        """Whether it is serving."""
    @property
    def ca_pem(self) -> str | None:
        """With TLS, the CA (PEM) of the server's certificate."""
    @property
    def connections(self) -> int:
        """Connections accepted so far."""
    def stop(self) -> None:
        """Stops accepting, lets in-flight requests finish, and returns. Idempotent."""

def start_emulator(
    seed_json: str | None = None, host: str = "127.0.0.1", port: int = 0, latency: float = 0.0, tls: bool = False
) -> NativeEmulator:
    """Starts an emulator on ``host:port`` (port 0: a free one) with ``seed_json`` (the demo seed when ``None``)."""
