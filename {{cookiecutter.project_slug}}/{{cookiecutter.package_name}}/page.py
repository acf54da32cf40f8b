"""The page's frame: title, icon and the style rules that keep the chat usable."""

from __future__ import annotations

import functools
import gc
from pathlib import Path

import streamlit as st

STYLE = Path(__file__).with_name("page.css")


def setup(title: str) -> None:
    """Call first: the page's configuration, then its style (which takes no space on the page)."""
    _freeze_loaded_modules()
    st.set_page_config(page_title=title, page_icon="💬", initial_sidebar_state="expanded")
    st.html(STYLE)


def heading(text: str, *, level: int = 1) -> None:
    """A heading, drawn as Markdown.

    Streamlit's frontend draws its title and header elements again at every update of the page (they
    are not memoised), and Markdown only when its text changes. With every feature on, the page's
    title alone took about 3 ms of each reply at 1,000 messages (docs/decisions.md).
    """
    st.markdown(f"{'#' * level} {text}")


@functools.cache
def _freeze_loaded_modules() -> None:
    # A full garbage collection walks every object the process holds, with the GIL held. With
    # Streamlit, the SDKs and SQLAlchemy loaded that is about 240,000 objects: about 240 ms on a
    # 2-core machine. Streamlit's pass after every run is off (.streamlit/config.toml), but
    # Python's own full passes still come as the heap grows. By the first call here app.py has
    # imported everything, so what exists now lives as long as the process: freezing it leaves
    # any full pass only the sessions' own objects.
    gc.collect()
    gc.freeze()
