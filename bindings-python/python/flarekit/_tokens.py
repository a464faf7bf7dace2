"""``cf.tokens`` and ``cf.whoami()``: least-privilege API tokens in one call.

Every rule (name resolution, scopes, CIDR and time checks, the verify fallback for account-owned tokens) is the
core's (``flarekit::tokens``); these classes only pass arguments and shape results. A created or rolled token value
comes back as a :class:`Secret`: ``repr()`` and ``str()`` never show it, ``reveal()`` does.
"""

from __future__ import annotations

from . import _native
from ._native import Secret

__all__ = ["AsyncTokens", "CreatedToken", "Secret", "Tokens"]


def _seconds(v):
    # A timedelta (duck-typed: importing datetime here would cost every `import flarekit`).
    total = getattr(v, "total_seconds", None)
    return total() if callable(total) else v


def _spec(
    name,
    allow,
    ip_allow,
    ip_deny,
    not_before,
    expires_on,
    ttl,
):
    return {
        "name": name,
        "allow": [allow] if isinstance(allow, str) else allow,
        "ip_allow": [ip_allow] if isinstance(ip_allow, str) else ip_allow,
        "ip_deny": [ip_deny] if isinstance(ip_deny, str) else ip_deny,
        "not_before": not_before,
        "expires_on": expires_on,
        "ttl": _seconds(ttl),
    }


class CreatedToken:
    """A token just created: ``id``, ``name``, ``status``, ``not_before``, ``expires_on``, ``policies`` (as stored,
    with group names), ``owner`` (``"user"`` or ``"account"``), ``account_id``, and ``value``, a :class:`Secret`
    shown only by ``value.reveal()``."""

    __slots__ = ("account_id", "expires_on", "id", "name", "not_before", "owner", "policies", "status", "value")

    def __init__(self, data, value):
        for key in ("id", "name", "status", "not_before", "expires_on", "policies", "owner", "account_id"):
            object.__setattr__(self, key, data[key])
        object.__setattr__(self, "value", value)

    def to_dict(self):
        """Everything but the value."""
        return {k: getattr(self, k) for k in self.__slots__ if k != "value"}

    def __repr__(self):
        return "CreatedToken(id=%r, name=%r, owner=%r, expires_on=%r, value=Secret('**********'))" % (
            self.id,
            self.name,
            self.owner,
            self.expires_on,
        )

    def __setattr__(self, name, value):
        raise AttributeError("a CreatedToken is read-only")

    def __reduce__(self):
        raise TypeError("a CreatedToken cannot be pickled: it holds a token value")


def _created(out, dry_run):
    value, secret = out
    if dry_run or secret is None:
        return value
    return CreatedToken(value, secret)


def _rolled(out):
    if out[1] is None:  # the core always hands a rolled value over
        raise RuntimeError("roll gave no value")
    return out[1]


class Tokens:
    """Token operations of a blocking client (``cf.tokens``)."""

    __slots__ = ("_client",)

    def __init__(self, client):
        self._client = client

    def _call(self, op, **args):
        return _native.tokens_call(self._client._native, op, args)

    def create(
        self,
        *,
        name,
        allow,
        ip_allow=None,
        ip_deny=None,
        not_before=None,
        expires_on=None,
        ttl=None,
        account_id=None,
        dry_run=False,
    ):
        """Create a least-privilege token: ``allow`` is a list of ``"GROUP@SCOPE"`` (``"DNS Write@zone:example.com"``;
        scopes ``zone:NAME_OR_ID``, ``zones:ACCOUNT`` for every zone of an account, ``account:NAME_OR_ID``, ``user``)
        or ``{"permission", "scope"}``; ``ttl`` a duration (``"1h"``, seconds, a ``timedelta``) or ``expires_on`` an
        RFC 3339 time. ``account_id`` makes it account-owned. ``dry_run=True`` returns the exact request instead."""
        spec = _spec(name, allow, ip_allow, ip_deny, not_before, expires_on, ttl)
        out = self._call("create", spec=spec, account_id=account_id, dry_run=dry_run)
        return _created(out, dry_run)

    def verify(self):
        """The client's token: ``id``, ``status``, ``not_before``, ``expires_on``, ``owner``, ``account_id``."""
        return self._call("verify")[0]

    def whoami(self):
        """Which scheme and where it came from (``auth``, ``scheme``, ``source``); ``token`` (with ``policies`` when it
        may read itself) or ``user`` for the global key."""
        return self._call("whoami")[0]

    def roll(self, id, *, account_id=None):
        """A new value for token ``id`` (a :class:`Secret`); the old one stops working at once."""
        return _rolled(self._call("roll", id=id, account_id=account_id))

    def revoke(self, id, *, account_id=None):
        """Delete token ``id``; returns the id."""
        return str(self._call("revoke", id=id, account_id=account_id)[0]["id"])

    def list(self, *, account_id=None):
        """Every token (never their values)."""
        return self._call("list", account_id=account_id)[0]

    def expiring(self, within, *, account_id=None):
        """Tokens whose ``expires_on`` falls within ``within`` (``"7d"``, seconds, a ``timedelta``), expired
        ones included."""
        return self._call("expiring", within=_seconds(within), account_id=account_id)[0]

    def permission_groups(self, *, scope=None, account_id=None):
        """The permission groups a token can be granted (``scope``: ``"zone"``, ``"account"`` or ``"user"``)."""
        return self._call("permission_groups", scope=scope, account_id=account_id)[0]


class AsyncTokens:
    """Token operations of an asyncio client: the same methods as :class:`Tokens`, each awaitable."""

    __slots__ = ("_client",)

    def __init__(self, client):
        self._client = client

    async def _call(self, op, **args):
        return await _native.tokens_call_async(self._client._native, op, args)

    async def create(
        self,
        *,
        name,
        allow,
        ip_allow=None,
        ip_deny=None,
        not_before=None,
        expires_on=None,
        ttl=None,
        account_id=None,
        dry_run=False,
    ):
        """See :meth:`Tokens.create`."""
        spec = _spec(name, allow, ip_allow, ip_deny, not_before, expires_on, ttl)
        out = await self._call("create", spec=spec, account_id=account_id, dry_run=dry_run)
        return _created(out, dry_run)

    async def verify(self):
        """See :meth:`Tokens.verify`."""
        return (await self._call("verify"))[0]

    async def whoami(self):
        """See :meth:`Tokens.whoami`."""
        return (await self._call("whoami"))[0]

    async def roll(self, id, *, account_id=None):
        """See :meth:`Tokens.roll`."""
        return _rolled(await self._call("roll", id=id, account_id=account_id))

    async def revoke(self, id, *, account_id=None):
        """See :meth:`Tokens.revoke`."""
        return str((await self._call("revoke", id=id, account_id=account_id))[0]["id"])

    async def list(self, *, account_id=None):
        """See :meth:`Tokens.list`."""
        return (await self._call("list", account_id=account_id))[0]

    async def expiring(self, within, *, account_id=None):
        """See :meth:`Tokens.expiring`."""
        return (await self._call("expiring", within=_seconds(within), account_id=account_id))[0]

    async def permission_groups(self, *, scope=None, account_id=None):
        """See :meth:`Tokens.permission_groups`."""
        return (await self._call("permission_groups", scope=scope, account_id=account_id))[0]
