"""Each baked project passes its own test suite, with the template's dev tools installed.

Every combination is baked and linted by test_matrix.py; the AppTest suites and mypy run here on a
covering set (every pair of option values together in at least one bake, see covering_set); the browser
suite (tests/e2e, Chromium) runs on the default bake (its whole suite, in one process, as its README's
command runs it) and on the bake with every feature on, and must run there: a missing browser fails
instead of skipping.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from .conftest import ALL_FEATURES, MYPY_CACHE, combination_id, covering_set

CASES = [pytest.param(options, id=combination_id(options)) for options in covering_set()]


def run_suite(project, *selection: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist", *selection],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=900,
        # The storage suites must run against PostgreSQL here too: a missing server fails them.
        env={**os.environ, "CHATBOT_POSTGRES_REQUIRED": "1", **(env or {})},
    )


def passed_count(result: subprocess.CompletedProcess) -> int:
    summary = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-2000:]
    assert "failed" not in summary and "error" not in summary and "skipped" not in summary, summary
    passed = re.search(r"(\d+) passed", summary)
    assert passed, summary
    return int(passed.group(1))


@pytest.mark.parametrize("options", CASES)
def test_the_generated_suite_passes_and_type_checks(bake, options: dict) -> None:
    project = bake(**options)
    assert passed_count(run_suite(project, "-m", "not e2e")) >= 40
    # mypy as the bake's CI runs it (its settings are in the bake's pyproject.toml).
    checked = subprocess.run(
        [sys.executable, "-m", "mypy", "--cache-dir", str(MYPY_CACHE)], cwd=project, capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stdout[-5000:] + checked.stderr[-2000:]


# Browser tests whose path does not change with the feature options run in one of the two bakes
# only, to keep CI under its time limit: logging in and two app processes on one database (they
# start servers of their own) in the default bake; with every feature on, ten sessions at once,
# the hostile content (drawn by the same code in both, and with every feature on also in drafts,
# titles and details), attachments, Edit and Regenerate, and a server killed mid-reply (the same
# upload, edit and storage code in both; AppTest covers them in every bake of the covering set);
# a long session outgrowing the page's fragment (the same history code) in the default bake.
ONCE_IN_ALL_FEATURES = " and ".join(
    f"not {name}"
    for name in (
        "test_ten_sessions_each_see_only_their_own_messages",
        "test_hostile_content_in_browser",
        "test_attachments_in_browser",
        "test_edit_in_browser",
        "test_a_killed_server_loses_no_accepted_message",
    )
)
ONCE_IN_DEFAULTS = " and ".join(
    f"not {name}"
    for name in (
        "test_each_user_sees_only_their_own_conversations",
        "test_two_app_processes",
        "test_a_long_session_draws_the_whole_page_again_once_then_only_the_newest",
    )
)


# The default bake's whole suite runs in one process, as its README's command runs it: the browser
# tests' Playwright keeps an event loop on the main thread that the tests after them must live with.
@pytest.mark.parametrize(
    ("options", "selection", "at_least"),
    [
        ({}, ("-k", ONCE_IN_ALL_FEATURES), 200),
        (ALL_FEATURES, ("-m", "e2e", "-k", ONCE_IN_DEFAULTS), 30),
    ],
    ids=["defaults", "all-features"],
)
def test_the_generated_browser_suite_passes_in_chromium(
    bake, options: dict, selection: tuple[str, ...], at_least: int
) -> None:
    result = run_suite(bake(**options), *selection, env={"CHATBOT_E2E_REQUIRED": "1"})
    assert passed_count(result) >= at_least
