"""How long one rerun of the chat page takes as the conversation grows, against the seed's pattern.

The seed document draws every message on every rerun (its "Pattern 1"); the generated app draws
the newest page only. Both are timed as server-side script runs under AppTest (the time before
the browser gets anything to draw), in one run, side by side:

    .venv/bin/python benchmarks/history_render.py
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from cookiecutter.main import cookiecutter
from streamlit.testing.v1 import AppTest

TEMPLATE = Path(__file__).resolve().parent.parent
SIZES = (100, 1_000, 5_000)
REPEATS = 5


def seed_pattern() -> None:
    """Pattern 1 of the seed document: every message, every rerun."""
    import streamlit as st

    for message in st.session_state.messages:
        with st.chat_message(message["role"]):
            st.write(message["content"])


def timed_runs(app: AppTest) -> float:
    app.run()  # warm-up: imports and first-run initialisation
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        app.run()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        project = Path(cookiecutter(str(TEMPLATE), no_input=True, output_dir=scratch))
        os.environ["CHATBOT_DATABASE_URL"] = f"sqlite:///{scratch}/conversations.db"  # not in the working directory
        sys.path.insert(0, str(project))
        from streamlit_chatbot.messages import Conversation, Message

        print(f"{'messages':>9} | {'seed: draw all (ms)':>20} | {'template: newest page (ms)':>27} | {'ratio':>6}")
        for size in SIZES:
            texts = [f"Message {i}: " + "some words of a typical reply " * 4 for i in range(size)]
            roles = ["user" if i % 2 == 0 else "assistant" for i in range(size)]

            baseline = AppTest.from_function(seed_pattern, default_timeout=600)
            baseline.session_state["messages"] = [{"role": r, "content": t} for r, t in zip(roles, texts, strict=True)]
            seed_ms = timed_runs(baseline)

            app = AppTest.from_file(str(project / "app.py"), default_timeout=600)
            app.session_state["chat.conversation"] = Conversation(
                messages=[Message(role=r, content=t) for r, t in zip(roles, texts, strict=True)]
            )
            windowed_ms = timed_runs(app)
            print(f"{size:>9} | {seed_ms:>20.1f} | {windowed_ms:>27.1f} | {seed_ms / windowed_ms:>5.1f}x")


if __name__ == "__main__":
    main()
