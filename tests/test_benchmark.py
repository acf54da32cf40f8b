"""The benchmarks run end to end at a tiny size, so they cannot rot; their figures are not checked."""

from __future__ import annotations

import http.server
import importlib.util
import json
import os
import subprocess
import sys
import threading
from types import ModuleType, SimpleNamespace

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


def load_benchmark() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench", TEMPLATE / "benchmarks" / "bench.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class PageWithOutsideImages(http.server.BaseHTTPRequestHandler):
    BODY = b'<p>local</p><img src="http://192.0.2.1/a.png"><img src="https://example.invalid/b.png">'

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        self.wfile.write(self.BODY)

    def log_message(self, *args: object) -> None:
        pass


def test_the_benchmark_browser_fails_and_records_requests_for_other_hosts() -> None:
    """They go to a closed port on 127.0.0.1, so nothing leaves the machine; each visit checks the list."""
    from playwright.sync_api import sync_playwright

    bench = load_benchmark()
    chromium = os.environ.get("CHATBOT_E2E_CHROMIUM", "/usr/bin/chromium")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), PageWithOutsideImages)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    failed: list[str] = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=bench.chromium_flags([]))
            context = browser.new_context()
            guard = bench.record_outside_requests(SimpleNamespace(context=context, outside_requests=[]))
            context.on("requestfailed", lambda request: failed.append(f"{request.url} {request.failure}"))
            page = context.new_page()
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/")
            page.wait_for_function("[...document.images].every((image) => image.complete)")
            browser.close()
    finally:
        server.shutdown()
    assert sorted(guard.outside_requests) == ["http://192.0.2.1/a.png", "https://example.invalid/b.png"]
    assert sorted(failed) == [
        "http://192.0.2.1/a.png net::ERR_PROXY_CONNECTION_FAILED",
        "https://example.invalid/b.png net::ERR_PROXY_CONNECTION_FAILED",
    ]
