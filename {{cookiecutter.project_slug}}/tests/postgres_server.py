"""A throwaway PostgreSQL server on 127.0.0.1, for the storage tests.

Uses the server programs of an installed PostgreSQL (Debian: apt-get install
postgresql). When run as root, the server runs as the ``postgres`` user, since
PostgreSQL refuses to run as root. Set CHATBOT_TEST_POSTGRES_URL to use a
server of your own instead.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path
from types import TracebackType

URL_ENV = "CHATBOT_TEST_POSTGRES_URL"
#: Set to 1 where the PostgreSQL tests must run (CI): a missing server fails instead of skipping.
REQUIRED_ENV = "CHATBOT_POSTGRES_REQUIRED"
USER = "chatbot"


def server_programs() -> Path | None:
    """The folder holding initdb and pg_ctl, or None if PostgreSQL is not installed."""
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(found).parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    return Path(candidates[0]).parent if candidates else None


def unavailable_reason() -> str | None:
    """Why no PostgreSQL server can be used here, or None if one can."""
    if os.environ.get(URL_ENV):
        return None
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return 'psycopg is not installed: pip install "psycopg[binary]".'
    if server_programs() is None:
        return f"PostgreSQL is not installed (apt-get install postgresql), and {URL_ENV} is not set."
    return None


class PostgresServer:
    """initdb + pg_ctl in a temporary folder, listening on a free 127.0.0.1 port only."""

    def __init__(self) -> None:
        # Not under pytest's temporary folders: those are private to the user running the tests,
        # and the server may run as another user.
        self.folder = Path(tempfile.mkdtemp(prefix="chatbot-postgres-"))
        self.data = self.folder / "data"
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        # initdb makes the database "postgres"; the tests use it.
        self.url = f"postgresql+psycopg://{USER}@127.0.0.1:{self.port}/postgres"
        self._as_user: list[str] = []

    def _run(self, *command: str) -> None:
        subprocess.run([*self._as_user, *command], check=True, capture_output=True, timeout=120)

    def start(self) -> None:
        bin_dir = server_programs()
        assert bin_dir is not None, unavailable_reason()
        if os.geteuid() == 0:  # PostgreSQL will not run as root
            shutil.chown(self.folder, "postgres")
            self._as_user = ["runuser", "-u", "postgres", "--"]
        self._run(str(bin_dir / "initdb"), "-D", str(self.data), "-U", USER, "--auth=trust", "-E", "UTF8")
        options = f"-h 127.0.0.1 -p {self.port} -k {self.folder} -F"
        log = str(self.folder / "server.log")
        self._run(str(bin_dir / "pg_ctl"), "-D", str(self.data), "-o", options, "-l", log, "-w", "start")

    def stop(self) -> None:
        bin_dir = server_programs()
        if bin_dir is not None and self.data.exists():
            subprocess.run(
                [*self._as_user, str(bin_dir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"],
                capture_output=True,
                timeout=60,
            )
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> PostgresServer:
        self.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.stop()
