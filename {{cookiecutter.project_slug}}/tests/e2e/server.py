"""A real `streamlit run` of the app on a free 127.0.0.1 port, for browser tests and benchmarks."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from types import TracebackType

STARTUP_SECONDS = 60


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class StreamlitServer:
    """Runs ``app`` from ``workdir``, so no secrets file or database of the developer's is seen."""

    def __init__(self, app: Path, workdir: Path, *, word_delay: float = 0.0, env: dict[str, str] | None = None) -> None:
        self.app = app
        self.workdir = workdir
        workdir.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.log_path = workdir / "streamlit.log"
        config = app.parent / ".streamlit" / "config.toml"
        if config.exists():
            (workdir / ".streamlit").mkdir(exist_ok=True)
            shutil.copy(config, workdir / ".streamlit" / "config.toml")
        self.env = {
            name: value
            for name, value in os.environ.items()
            if not (name.startswith("CHATBOT_") or name.endswith(("_API_KEY", "_BASE_URL")))
        }
        self.env |= {"CHATBOT_DEMO_WORD_DELAY": str(word_delay), **(env or {})}
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        command = [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(self.app),
            "--server.address=127.0.0.1",
            f"--server.port={self.port}",
            "--server.headless=true",
            "--browser.gatherUsageStats=false",
            "--server.fileWatcherType=none",
        ]
        with self.log_path.open("wb") as log:
            self._process = subprocess.Popen(command, cwd=self.workdir, env=self.env, stdout=log, stderr=log)
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"streamlit exited at start:\n{self.log()}")
            try:
                with urllib.request.urlopen(self.url + "_stcore/health", timeout=2) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"streamlit did not answer on {self.url} within {STARTUP_SECONDS} s:\n{self.log()}")

    def stop(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()

    def kill(self) -> None:
        """End the server at once (SIGKILL), as a crash or an out-of-memory kill would."""
        if self._process is not None:
            self._process.kill()
            self._process.wait()

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def assert_no_exceptions(self) -> None:
        log = self.log()
        assert "Traceback" not in log and "Exception" not in log, log[-5000:]

    def __enter__(self) -> StreamlitServer:
        self.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.stop()
