"""How many cores a matching run uses, and booting the solver's workers at start-up."""

from __future__ import annotations

import pytest

from marketplace.dispatch import runner
from marketplace.settings import Settings


def test_matching_threads_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LIANXIN_MATCHING_THREADS", "2")
    assert Settings.from_env().matching_threads == 2
    monkeypatch.delenv("LIANXIN_MATCHING_THREADS")
    assert Settings.from_env().matching_threads == 1


def test_the_solver_boots_only_for_several_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    booted: list[int] = []
    monkeypatch.setattr(runner, "boot", booted.append)
    runner.boot_solver(Settings(matching_threads=1))
    assert booted == []
    runner.boot_solver(Settings(matching_threads=2))
    assert booted == [2]
