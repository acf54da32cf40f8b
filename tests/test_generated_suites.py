"""Each baked project passes its own test suite, with the template's dev tools installed."""

from __future__ import annotations

import itertools
import re
import subprocess
import sys

import pytest

from hooks import manifest

FEATURE_SETS = [
    dict(zip(manifest.FEATURES, values, strict=True))
    for values in itertools.product([True, False], repeat=len(manifest.FEATURES))
]
VALID_FEATURE_SETS = [f for f in FEATURE_SETS if not (f["multiple_conversations"] and not f["simple_history"])]
CASES = [
    *(pytest.param(features, id="+".join(k for k, v in features.items() if v) or "none") for features in VALID_FEATURE_SETS),
    *(pytest.param({"llm_provider": provider}, id=provider) for provider in ("anthropic", "ollama")),
]


def run_suite(project) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.mark.parametrize("options", CASES)
def test_the_generated_suite_passes(bake, options: dict) -> None:
    result = run_suite(bake(**options))
    summary = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-2000:]
    passed = re.search(r"(\d+) passed", summary)
    assert passed and int(passed.group(1)) >= 40, summary
    assert "failed" not in summary and "error" not in summary
