"""How the conversation store performs at 10,000 messages, SQLite and PostgreSQL side by side.

Bakes the default project, fills each database with two owners' conversations (50 per owner,
200 messages each: 10,000 messages that one owner may search, 20,000 stored), and times the
operations the app does: search, listing the sidebar, opening a conversation, storing a message.
The baseline is what the app does without storage: a scan of the same messages in memory.

    python benchmarks/storage.py [--repeats 15]

PostgreSQL is a throwaway server on 127.0.0.1 (see the project's tests/postgres_server.py);
without PostgreSQL's programs that column is left out.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from cookiecutter.main import cookiecutter

TEMPLATE = Path(__file__).resolve().parent.parent
CONVERSATIONS, MESSAGES = 50, 200
NEEDLE = "the needle in the haystack"


def timed(action: Callable[[], object], repeats: int) -> float:
    """Median milliseconds of ``action``."""
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args(argv)

    scratch = Path(tempfile.mkdtemp(prefix="storage-bench-"))
    project = Path(cookiecutter(str(TEMPLATE), no_input=True, output_dir=str(scratch)))
    sys.path[:0] = [str(project), str(project / "tests")]
    import sqlalchemy as sa
    from postgres_server import PostgresServer, unavailable_reason

    package = __import__(project.name.replace("-", "_"), fromlist=["storage", "messages"])
    storage, messages = package.storage, package.messages

    def conversations() -> list:
        made = []
        for n in range(CONVERSATIONS):
            conversation = messages.Conversation(title=f"Topic {n}")
            conversation.messages = [
                messages.Message("user", f"Question {i} about item {i * 7}: " + "a typical sentence. " * 6)
                for i in range(MESSAGES)
            ]
            made.append(conversation)
        made[17].messages[123].content = NEEDLE
        return made

    def measure(url: str, sqlite: bool) -> dict[str, float]:
        engine = sa.create_engine(url)
        if sqlite:
            sa.event.listen(engine, "connect", storage._sqlite_pragmas)
        storage.schema.drop_all(engine)
        storage.create_schema(engine)
        owner, other = storage.OwnerStore(engine, "browser:owner"), storage.OwnerStore(engine, "browser:other")
        mine = conversations()
        for conversation in [*mine, *conversations()]:
            (owner if conversation in mine else other).add_conversation(conversation)
        fresh = messages.Conversation()
        return {
            "search a word in one message": timed(lambda: owner.search("needle"), args.repeats),
            "search a phrase in many": timed(lambda: owner.search("item 1393"), args.repeats),
            "list the sidebar": timed(owner.summaries, args.repeats),
            "open a 200-message conversation": timed(lambda: owner.load(mine[0].id), args.repeats),
            "store one message": timed(lambda: owner.add_message(fresh, messages.Message("user", "x")), args.repeats),
        }

    in_memory = conversations()

    def scan(text: str) -> list:
        needle = text.casefold()
        return [c for c in in_memory if any(needle in m.content.casefold() for m in c.messages)]

    columns = {
        "in memory (baseline)": {
            "search a word in one message": timed(lambda: scan("needle"), args.repeats),
            "search a phrase in many": timed(lambda: scan("item 1393"), args.repeats),
        },
        "SQLite": measure(f"sqlite:///{scratch / 'bench.db'}", sqlite=True),
    }
    if reason := unavailable_reason():
        print(f"PostgreSQL left out: {reason}")
    else:
        with PostgresServer() as server:
            columns["PostgreSQL"] = measure(server.url, sqlite=False)

    rows = list(columns["SQLite"])
    print(f"| operation (median ms of {args.repeats}) | " + " | ".join(columns) + " |")
    print("| --- |" + " ---: |" * len(columns))
    for row in rows:
        cells = [f"{column[row]:.1f}" if row in column else "" for column in columns.values()]
        print(f"| {row} | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
