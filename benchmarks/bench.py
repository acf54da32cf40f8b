"""Browser benchmark: the baked chatbot against the seed document's Pattern 1, in Chromium, side by side.

Bakes the default project and the one with every feature on, writes a baseline app that
follows the seed's Pattern 1 exactly (draw every message, answer, ``st.rerun()``), seeds
each with the same history, and drives them in Chromium against real ``streamlit run``
servers on 127.0.0.1, visiting the apps in turn (``Bench.history_metrics``). Nothing here is
a test: it prints figures and writes them as JSON.

Where a bake stores conversations (``persistence`` other than ``none``), its history is
written to its database beforehand and the browser carries that owner's cookie, so a load
is what a returning user's reload costs: the conversation read from storage and drawn.

Each visit's browser has a profile of its own on disk (``DiskProfiles``), as a returning
visitor's browser has, and has opened the page twice before: Chrome keeps the compiled
scripts (V8's code cache) beside its disk cache, and a context held in memory has none.

Times are taken in the page (``PAGE_CLOCK``): a first load from the start of navigation until
the newest messages are on screen, the chat box is there and the first script run has ended; a
reply from the Enter key's event until the newest message shows the answer. Requests for hosts
other than 127.0.0.1 are sent to a closed local port (``chromium_flags``) rather than
intercepted, so the app's own requests are neither paused nor kept out of the HTTP cache.

    .venv/bin/python benchmarks/bench.py --sizes 10,1000,5000 --json bench.json

Each JSON record is ``{"app": "default" | "all" | "baseline", "messages": N, "metric":
"reply_visible_ms" | "first_load_ms" | "layout_shift" | "chunks_per_s", "median", "min",
"max"}``; ``chunks_per_s`` is measured once per app with ``messages`` 0.

The table has one more column, ``floor`` (not in the JSON): the least Streamlit page that shows
the same newest page of messages and answers in a fragment, with nothing else on it. What it
takes is what Streamlit and Chromium cost on this machine, below which no bake can go.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from cookiecutter.main import cookiecutter

TEMPLATE = Path(__file__).resolve().parent.parent
ALL_ON = {"approval_workflow": True, "message_metadata": True, "multiple_conversations": True}
APPS = ("baseline", "default", "all")
#: A reference column of the table, not one of the apps the JSON describes.
FLOOR = "floor"
METRICS = ("reply_visible_ms", "first_load_ms", "layout_shift", "chunks_per_s")
FINAL_WORD = "THE-END"
#: The seed's pattern draws every message before its chat box: at 5,000 messages a load takes ~30 s.
PAGE_TIMEOUT_MS = 600_000

# The same history for every app: size // 2 exchanges of typical length, read from the URL.
SEED_HISTORY = """
def seeded_history(size):
    history = []
    for n in range(size // 2):
        history.append(("user", f"Question {n}: what should I know about topic {n}?"))
        history.append(("assistant", f"Answer {n}: " + "a sentence of a typical reply. " * 6))
    return history


SIZE = int(st.query_params.get("bench_size", "0"))
"""

# What a stored bake's database holds: one owner per history size, each with that history.
STORE_SEEDER = """
import sys

import sqlalchemy as sa

from {package}.messages import Conversation, Message
from {package}.storage import OwnerStore, create_schema

url, owner, size = sys.argv[1], sys.argv[2], int(sys.argv[3])
engine = sa.create_engine(url)
create_schema(engine)
OwnerStore(engine, owner).add_conversation(
    Conversation(messages=[Message(role=role, content=content) for role, content in seeded_history(size)])
)
"""

# The generated app, with its history seeded through the state module before its first run.
SEEDED_APP = (
    "import streamlit as st\n"
    + SEED_HISTORY
    + """
from {package} import state
from {package}.messages import Message

if "bench.seeded" not in st.session_state:
    st.session_state["bench.seeded"] = True
    for role, content in seeded_history(SIZE):
        state.add_message(Message(role=role, content=content))

exec(compile(open({app}).read(), {app}, "exec"))
"""
)

# The seed document's Pattern 1, word for word, answering with the same offline demo model.
BASELINE_APP = (
    "import streamlit as st\n"
    + SEED_HISTORY
    + """
from {package}.messages import Message
from {package}.providers.demo import DemoProvider
from {package}.settings import Settings


def generate_response(prompt):
    history = [Message(role=m["role"], content=m["content"]) for m in st.session_state.messages]
    return "".join(DemoProvider("set a key.", word_delay=0).stream(history, Settings()))


# Initialize
if "messages" not in st.session_state:
    st.session_state.messages = [{"role": r, "content": c} for r, c in seeded_history(SIZE)]

# Display history
for message in st.session_state.messages:
    with st.chat_message(message["role"]):
        st.write(message["content"])

# Accept new message
if prompt := st.chat_input("Your message"):
    # Add user message
    st.session_state.messages.append({"role": "user", "content": prompt})

    # Generate response
    response = generate_response(prompt)

    # Add assistant message
    st.session_state.messages.append({"role": "assistant", "content": response})

    # Rerun to display new messages
    st.rerun()
"""
)

# Timed in the page, so that what Playwright's round trips add (200-300 ms to a load here) is
# not counted: from the start of navigation, or from the Enter key's event, to the first
# animation frame in which the page shows what was awaited.
PAGE_CLOCK = """
window.__clock = { loadedAt: null, enterAt: null, shownAt: null, awaited: null };
(() => {
  const clock = window.__clock;
  const seeded = Number(new URLSearchParams(location.search).get("bench_size") || 0) >= 2;
  const newest = () => {
    const messages = document.querySelectorAll("[data-testid=stChatMessage]");
    return messages.length > 0 ? messages[messages.length - 1] : null;
  };
  // innerText leaves out what is hidden, so text counts once it can be seen; it also makes the
  // browser lay the page out, so it is asked only once the cheaper textContent has the text.
  const newestShows = (text) => {
    const message = newest();
    return message !== null && message.textContent.includes(text) && message.innerText.includes(text);
  };
  // The first run draws the whole page, so once it has ended the newest message stands for the history.
  const loaded = () =>
    window.__runsFinished > 0 &&
    document.querySelector("[data-testid=stApp]")?.getAttribute("data-test-script-state") === "notRunning" &&
    document.querySelector("[data-testid=stChatInputTextArea]") !== null &&
    (!seeded || (newest()?.innerText.trim() ?? "") !== "");
  const everyFrame = () => {
    if (clock.loadedAt === null && loaded()) clock.loadedAt = performance.now();
    if (clock.awaited !== null && clock.enterAt !== null && clock.shownAt === null && newestShows(clock.awaited)) {
      clock.shownAt = performance.now();
    }
    requestAnimationFrame(everyFrame);
  };
  requestAnimationFrame(everyFrame);
  addEventListener("keydown", (event) => {
    if (event.key === "Enter" && clock.awaited !== null && clock.enterAt === null) clock.enterAt = event.timeStamp;
  }, true);
})();
"""

# A bake's newest page of messages and a fragment that answers, with nothing else: the machine's floor.
FLOOR_APP = (
    "import streamlit as st\n"
    + SEED_HISTORY
    + """
import gc

from {package}.history import FIRST_PAGE

# As the bakes do (page.py; the floor is served with the default bake's config.toml too): a full
# garbage collection would otherwise walk every object Streamlit loaded, 25-50 ms here.
if not gc.get_freeze_count():
    gc.collect()
    gc.freeze()

for role, content in seeded_history(SIZE)[-FIRST_PAGE:]:
    with st.chat_message(role):
        st.markdown(content)


@st.fragment
def newest_exchange():
    with st.bottom:
        prompt = st.chat_input("Your message")
    if prompt:
        with st.chat_message("user"):
            st.markdown(prompt)
        with st.chat_message("assistant"):
            st.markdown(f'You said: "{prompt}"')


newest_exchange()
"""
)

# Plain st.write_stream over the same SDK stream: what streaming costs with nothing around it.
BASELINE_STREAM_APP = """
import openai
import streamlit as st

if prompt := st.chat_input("Your message"):
    stream = openai.OpenAI().chat.completions.create(
        model="m", messages=[{"role": "user", "content": prompt}], stream=True
    )
    with st.chat_message("assistant"):
        st.write_stream(chunk.choices[0].delta.content or "" for chunk in stream if chunk.choices)
"""


def bake(output: Path, **options: Any) -> Path:
    return Path(cookiecutter(str(TEMPLATE), no_input=True, output_dir=str(output), extra_context=options))


class Bench:
    def __init__(self, scratch: Path, repeats: int) -> None:
        self.scratch = scratch
        self.repeats = repeats
        self.projects = {"default": bake(scratch / "default"), "all": bake(scratch / "all", **ALL_ON)}
        e2e = self.projects["default"] / "tests" / "e2e"
        sys.path[:0] = [str(e2e)]
        from chat_page import CHROMIUM_FLAGS, BrowserGuard, ChatPage
        from server import StreamlitServer

        self.flags = CHROMIUM_FLAGS
        self.BrowserGuard, self.ChatPage, self.StreamlitServer = BrowserGuard, ChatPage, StreamlitServer
        self.apps = {name: self._seeded_app(name) for name in ("default", "all")}
        # The baselines as their readers would run them: in a folder of their own, so with
        # Streamlit's default settings rather than the bake's .streamlit/config.toml (which turns
        # off Streamlit's garbage collection after every run; see docs/decisions.md).
        self.baseline_folder = scratch / "baseline"
        self.baseline_folder.mkdir()
        self.apps["baseline"] = self._write(
            self.projects["default"], "bench_baseline.py", BASELINE_APP, folder=self.baseline_folder
        )
        self.apps[FLOOR] = self._write(self.projects["default"], "bench_floor.py", FLOOR_APP)
        self.records: list[dict[str, Any]] = []

    def _write(self, project: Path, name: str, source: str, *, folder: Path | None = None) -> Path:
        """``source`` for ``project`` written as ``name``, in the project or in ``folder``."""
        path = (folder or project) / name
        package = project.name.replace("-", "_")
        path.write_text(source.replace("{package}", package).replace("{app}", repr(str(project / "app.py"))))
        return path

    def stores(self, name: str) -> bool:
        return name in self.projects and (self.projects[name] / self.package(name) / "storage.py").exists()

    def package(self, name: str) -> str:
        return self.projects[name].name.replace("-", "_")

    def database_url(self, name: str) -> str:
        return f"sqlite:///{self.scratch / (name + '.db')}"

    def browser_id(self, size: int) -> str:
        """The owner cookie (32 hex digits) of the browser whose stored conversation has ``size`` messages."""
        return f"{size:032x}"

    def seed_store(self, name: str, sizes: list[int]) -> None:
        """Write each size's history to the bake's database, in its own interpreter (it imports the bake)."""
        seeder = self._write(
            self.projects[name],
            "bench_store_seed.py",
            SEED_HISTORY.replace('SIZE = int(st.query_params.get("bench_size", "0"))', "") + STORE_SEEDER,
        )
        for size in sizes:
            subprocess.run(
                [sys.executable, str(seeder), self.database_url(name), f"browser:{self.browser_id(size)}", str(size)],
                cwd=self.projects[name],
                check=True,
                capture_output=True,
            )

    def _seeded_app(self, name: str) -> Path:
        """A stored bake is served as it ships; otherwise its own serve.py serves a page seeded in memory."""
        project = self.projects[name]
        if self.stores(name):
            return project / "serve.py"
        self._write(project, "bench_seeded.py", SEEDED_APP)
        serve = (project / "serve.py").read_text()
        assert 'st.App("app.py"' in serve, "serve.py no longer names app.py the way the benchmark expects"
        return self._write(project, "bench_serve.py", serve.replace('st.App("app.py"', 'st.App("bench_seeded.py"'))

    def record(self, app: str, messages: int, metric: str, values: list[float]) -> None:
        self.records.append(
            {
                "app": app,
                "messages": messages,
                "metric": metric,
                "median": round(statistics.median(values), 3),
                "min": round(min(values), 3),
                "max": round(max(values), 3),
            }
        )

    def guard(self, browser: Any) -> Any:
        """A browser context to measure in: outside hosts recorded (not routed), and the page clock."""
        guard = record_outside_requests(self.BrowserGuard(browser))
        guard.context.add_init_script(PAGE_CLOCK)
        return guard

    def server(self, app: Path, env: dict[str, str] | None = None) -> Any:
        workdir = Path(tempfile.mkdtemp(dir=self.scratch))
        return self.StreamlitServer(app, workdir, word_delay=0.0, env=env)

    def history_metrics(self, browser: Any, sizes: list[int], apps: tuple[str, ...] = APPS) -> None:
        """Load and reply figures of every app at every size, the apps visited in turn.

        All servers run at once and each round visits every app once, in alternating order.
        Taken one app after another, the figures of two apps would come from different minutes
        of a machine whose speed drifts (the floor's reply took 49 ms in one run here and 72 ms
        in the next), and their ratio would carry that drift: the seed's reply at 1,000 messages
        took 2,540 ms that way, and 2,100 and 2,320 ms in turn with the others.
        """
        with contextlib.ExitStack() as servers:
            urls = {name: servers.enter_context(self.seeded_server(name, sizes)).url for name in apps}
            for size in sizes:
                with contextlib.ExitStack() as browsers:
                    guards = {
                        name: browsers.enter_context(self.returning(browser, urls[name], size, name)) for name in apps
                    }
                    visits: dict[str, list[tuple[float, float, float]]] = {name: [] for name in apps}
                    for round_ in range(self.repeats):
                        for name in apps if round_ % 2 == 0 else apps[::-1]:
                            visits[name].append(self.visit(guards[name], urls[name], size, name))
                for name in apps:
                    loads, shifts, replies = zip(*visits[name], strict=True)
                    self.record(name, size, "first_load_ms", list(loads))
                    self.record(name, size, "layout_shift", list(shifts))
                    self.record(name, size, "reply_visible_ms", list(replies))

    @contextlib.contextmanager
    def seeded_server(self, name: str, sizes: list[int]) -> Iterator[Any]:
        env = None
        if self.stores(name):
            self.seed_store(name, [2, *sizes])
            env = {"CHATBOT_DATABASE_URL": self.database_url(name)}
        elif name == "baseline":  # served from its own folder; it imports the default bake's demo model
            env = {"PYTHONPATH": str(self.projects["default"])}
        with self.server(self.apps[name], env) as server:
            yield server

    @contextlib.contextmanager
    def returning(self, browser: Any, url: str, size: int, name: str) -> Iterator[Any]:
        """A returning user's browser for a seeded session, to visit it measured.

        It has visited twice unmeasured, so the app's scripts come from the HTTP cache as they
        do for anyone who has opened the app before. Twice, because Chrome stores a script's
        compiled code on its second load and uses it from the third. The first visit also
        warms the server (imports, first run).
        """
        guard = self.guard(browser)
        if self.stores(name):
            guard.context.add_cookies([{"name": "chatbot_owner", "value": self.browser_id(size), "url": url}])
        try:
            for _ in range(2):
                page = guard.new_page()
                self.ChatPage(page, url).open("?bench_size=2")
                page.close()
            yield guard
        finally:
            guard.close()

    def visit(self, guard: Any, url: str, size: int, name: str) -> tuple[float, float, float]:
        page = guard.new_page()
        try:
            chat = self.ChatPage(page, url)
            page.set_default_timeout(PAGE_TIMEOUT_MS)
            chat.open(f"?bench_size={size}")
            page.wait_for_function("window.__clock.loadedAt !== null", polling=50)
            load_ms = page.evaluate("window.__clock.loadedAt")
            page.wait_for_timeout(500)  # late shifts count too
            shift = chat.layout_shift()
            prompt = f"Benchmark prompt {time.monotonic_ns()}"
            reply_ms = send_and_time(chat, prompt, until_shown=chat_marker(name, prompt)) * 1000
            chat.wait_idle()
            if name == "all":
                chat.click("Accept")  # a stored draft would lock the next visit's input
            guard.assert_clean()
            return load_ms, shift, reply_ms
        finally:
            page.close()

    def streaming_metrics(
        self, browser: Any, chunks: int, apps: tuple[str, ...] = APPS
    ) -> dict[str, tuple[float, float]]:
        """Chunks per second of a long streamed reply: (first reply after start, median of the rest)."""
        sys.path.insert(0, str(self.projects["default"] / "tests"))
        from openai_wire import OpenAIWire
        from wire_server import WireServer

        reply = " ".join(f"w{n}" for n in range(chunks - 1)) + " " + FINAL_WORD
        wire = WireServer(OpenAIWire(), reply=reply).start()
        env = {"OPENAI_API_KEY": "sk-bench-0000000000000000", "OPENAI_BASE_URL": wire.url + "/v1"}
        stream_app = self._write(
            self.projects["default"], "bench_stream.py", BASELINE_STREAM_APP, folder=self.baseline_folder
        )
        targets = {
            "baseline": stream_app,
            "default": self.projects["default"] / "serve.py",
            "all": self.projects["all"] / "serve.py",
        }
        results = {}
        try:
            for name, app in targets.items():
                if name not in apps:
                    continue
                with self.server(app, env) as server:
                    rates = [self.stream_once(browser, server.url, chunks) for _ in range(self.repeats + 1)]
                self.record(name, 0, "chunks_per_s", rates[1:])
                results[name] = (rates[0], statistics.median(rates[1:]))
        finally:
            wire.stop()
        return results

    def stream_once(self, browser: Any, url: str, chunks: int) -> float:
        guard = self.guard(browser)
        try:
            chat = self.ChatPage(guard.new_page(), url).open()
            return chunks / send_and_time(chat, "stream please", until_shown=FINAL_WORD)
        finally:
            guard.close()


class DiskProfiles:
    """Stands in for a Playwright browser: each context it opens is a Chromium with a new profile on disk.

    ``browser.new_context()`` keeps everything in memory, and there Chrome stores no compiled
    code: every load compiles Streamlit's scripts again. On this machine the least Streamlit
    page took 1.5 s to load that way and 0.96 s in a disk profile (median of 8 each).
    """

    def __init__(self, playwright: Any, chromium: str, flags: list[str], scratch: Path) -> None:
        self.playwright, self.chromium, self.flags, self.scratch = playwright, chromium, flags, scratch

    def new_context(self, **options: Any) -> Any:
        profile = tempfile.mkdtemp(prefix="profile-", dir=self.scratch)
        return self.playwright.chromium.launch_persistent_context(
            profile, executable_path=self.chromium, args=self.flags, **options
        )


def closed_local_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (the system's pick of a free one, released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def chromium_flags(flags: list[str]) -> list[str]:
    """``flags``, and every request for a host other than 127.0.0.1 sent to a closed local port.

    Chromium then fails such a request at the proxy step, so nothing leaves the machine, and
    nothing pauses the app's own requests: intercepting them (Playwright's routing, or the
    DevTools protocol's Fetch domain) adds 300-400 ms to a first load here.
    """
    return [*flags, f"--proxy-server=http://127.0.0.1:{closed_local_port()}", "--proxy-bypass-list=127.0.0.1"]


def record_outside_requests(guard: Any) -> Any:
    """``guard`` with its request routing off and every request for another host recorded.

    The browser's proxy flag (chromium_flags) makes those requests fail; this lists them, so
    that ``guard.assert_clean()`` still fails a run whose page asked for one. Routing is off
    because it pauses every request and turns the HTTP cache off.
    """
    guard.context.unroute("**/*")

    def seen(request: Any) -> None:
        # data: and blob: URLs never reach the network, so only network schemes are counted.
        address = urlsplit(request.url)
        if address.scheme in {"http", "https", "ws", "wss"} and address.hostname != "127.0.0.1":
            guard.outside_requests.append(request.url)

    guard.context.on("request", seen)
    return guard


def send_and_time(chat: Any, prompt: str, *, until_shown: str) -> float:
    """Seconds from the Enter key's event until the newest message on screen contains ``until_shown``.

    Both ends are taken in the page (PAGE_CLOCK); polling from here only learns when it is done.
    """
    chat.type(prompt)
    chat.page.evaluate(
        "(text) => Object.assign(window.__clock, { awaited: text, enterAt: null, shownAt: null })", until_shown
    )
    chat.input.press("Enter")
    chat.page.wait_for_function("window.__clock.shownAt !== null", polling=50, timeout=PAGE_TIMEOUT_MS)
    return chat.page.evaluate("(window.__clock.shownAt - window.__clock.enterAt) / 1000")


def chat_marker(app: str, prompt: str) -> str:
    """Text that shows once the reply to ``prompt`` is on screen (the review card, with every feature on)."""
    return "Accept" if app == "all" else f'You said: "{prompt}"'


def table(
    records: list[dict[str, Any]], sizes: list[int], streaming: dict[str, tuple[float, float]], apps: tuple[str, ...]
) -> str:
    def cell(app: str, size: int, metric: str) -> dict[str, Any] | None:
        return next((r for r in records if (r["app"], r["messages"], r["metric"]) == (app, size, metric)), None)

    lines = [
        f"{'metric':<18}{'messages':>9} " + "".join(f"{app + ' (min-max)':>28}" for app in apps) + "  median / baseline"
    ]
    for metric in METRICS[:3]:
        for size in sizes:
            row = [cell(app, size, metric) for app in apps]
            shown = "".join(
                f"{r['median']:>12.3g} ({r['min']:.3g}-{r['max']:.3g})".rjust(28) if r else " " * 28 for r in row
            )
            base = row[0]["median"] if row[0] else None
            ratios = ", ".join(
                f"{app} {r['median'] / base:.2f}x" for app, r in zip(apps[1:], row[1:], strict=True) if r and base
            )
            lines.append(f"{metric:<18}{size:>9} {shown}  {ratios if base else ''}")
    for app, (first, steady) in streaming.items():
        lines.append(f"chunks_per_s {app:<9} steady {steady:,.0f}/s; first reply after start {first:,.0f}/s")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,1000,5000", help="comma-separated history sizes (messages)")
    parser.add_argument("--json", type=Path, help="write the records here")
    # Seven: medians of three moved the every-feature reply's ratio to the seed from 15.7x to 20.3x
    # between runs of the same code on this machine.
    parser.add_argument("--repeats", type=int, default=7, help="measurements per figure")
    parser.add_argument("--chunks", type=int, default=3000, help="chunks in the streamed reply")
    parser.add_argument("--apps", default=",".join(APPS), help="comma-separated apps to measure (baseline always)")
    parser.add_argument("--chromium", default=os.environ.get("CHATBOT_E2E_CHROMIUM", "/usr/bin/chromium"))
    args = parser.parse_args(argv)
    sizes = [int(size) for size in args.sizes.split(",")]
    apps = tuple(app for app in APPS if app in args.apps.split(","))
    if apps[:1] != ("baseline",):
        parser.error(f"--apps must include baseline (the figures are given beside it); choose from {', '.join(APPS)}")

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as scratch, sync_playwright() as playwright:
        bench = Bench(Path(scratch), args.repeats)
        browser = DiskProfiles(playwright, args.chromium, chromium_flags(bench.flags), Path(scratch))
        bench.history_metrics(browser, sizes, (*apps, FLOOR))
        streaming = bench.streaming_metrics(browser, args.chunks, apps)
    print(table(bench.records, sizes, streaming, (*apps, FLOOR)))
    if args.json:
        described = [record for record in bench.records if record["app"] in APPS]
        args.json.write_text(json.dumps(described, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
