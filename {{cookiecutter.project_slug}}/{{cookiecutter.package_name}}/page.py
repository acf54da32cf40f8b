"""The page's frame: title, icon and the style rules that keep the chat usable."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

STYLE = Path(__file__).with_name("page.css")


def setup(title: str) -> None:
    """Call first: the page's configuration, then its style (which takes no space on the page)."""
    st.set_page_config(page_title=title, page_icon="💬", initial_sidebar_state="expanded")
    st.html(STYLE)
