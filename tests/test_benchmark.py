"""The benchmarks run end to end at a tiny size, so they cannot rot; their figures are not checked."""

from __future__ import annotations

import json
import subprocess
import sys

from .conftest import TEMPLATE


def test_the_benchmark_writes_a_record_for_every_app_and_metric(tmp_path) -> None:
    out = tmp_path / "bench.json"
    # The default bake's visit runs the same benchmark code as the all-features one, minus the Accept.
    command = [sys.executable, str(TEMPLATE / "benchmarks" / "bench.py"), "--sizes", "2", "--repeats", "1"]
    command += ["--apps", "baseline,all"]
    result = subprocess.run(
        [*command, "--chunks", "20", "--json", str(out)], capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    records = json.loads(out.read_text())
    seen = {(r["app"], r["messages"], r["metric"]) for r in records}
    for app in ("baseline", "all"):
        for metric in ("reply_visible_ms", "first_load_ms", "layout_shift"):
            assert (app, 2, metric) in seen
        assert (app, 0, "chunks_per_s") in seen
    assert all(set(r) == {"app", "messages", "metric", "median", "min", "max"} for r in records)
    assert all(r["min"] <= r["median"] <= r["max"] for r in records)
    assert "median / baseline" in result.stdout
    # The floor (a bare page of the same messages) is a column of the table, not an app of the JSON.
    assert "floor (min-max)" in result.stdout
    assert {r["app"] for r in records} == {"baseline", "all"}


def test_the_storage_benchmark_prints_every_database_beside_the_baseline() -> None:
    command = [sys.executable, str(TEMPLATE / "benchmarks" / "storage.py"), "--repeats", "1"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    header = next(line for line in result.stdout.splitlines() if line.startswith("| operation"))
    assert header.endswith("| in memory (baseline) | SQLite | PostgreSQL |"), result.stdout
    assert "| search a word in one message |" in result.stdout
