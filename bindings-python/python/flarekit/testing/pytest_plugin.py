"""pytest fixtures for testing against flarekit's emulator; registered as the ``flarekit`` plugin (``pytest11``
entry point), so they are there as soon as flarekit is installed. Nothing runs unless a test asks for a fixture.

- ``cloudflare_emulator``: a fresh :class:`flarekit.testing.Emulator` for each test (starting one takes about a
  millisecond), stopped afterwards.
- ``cloudflare_emulator_session``: one emulator for the whole session, reset before each test that uses it (seeded
  state, no pending fault, empty request log), so tests do not see each other's changes. It suits a suite that does
  not run tests in parallel in one process.
- ``cloudflare_emulator_seed``: the seed both start from; ``None`` (the demo seed) unless overridden. Override it in
  a ``conftest.py`` with ``@pytest.fixture(scope="session")``, returning a dict, JSON text or a path.

::

    from flarekit.testing import Emulator

    def test_creates_record(cloudflare_emulator: Emulator) -> None:
        cf = cloudflare_emulator.client()
        ...
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from collections.abc import Iterator

    from . import Emulator

__all__ = ["cloudflare_emulator", "cloudflare_emulator_seed", "cloudflare_emulator_session"]


@pytest.fixture(scope="session")
def cloudflare_emulator_seed() -> Any:
    """The seed of the ``cloudflare_emulator`` fixtures: ``None``, the demo seed. Override it to use your own."""
    return None


@pytest.fixture
def cloudflare_emulator(cloudflare_emulator_seed: Any) -> Iterator[Emulator]:
    """A fresh emulator for this test, from ``cloudflare_emulator_seed``; stopped after it."""
    from . import Emulator

    with Emulator(seed=cloudflare_emulator_seed) as emu:
        yield emu


@pytest.fixture(scope="session")
def _flarekit_shared_emulator(cloudflare_emulator_seed: Any) -> Iterator[Emulator]:
    from . import Emulator

    with Emulator(seed=cloudflare_emulator_seed) as emu:
        yield emu


@pytest.fixture
def cloudflare_emulator_session(_flarekit_shared_emulator: Emulator) -> Emulator:
    """The session's shared emulator, reset to its seed (state, faults, request log) for this test."""
    _flarekit_shared_emulator.reset(state=True)
    return _flarekit_shared_emulator
