from __future__ import annotations

import gc
import tomllib
from pathlib import Path

from streamlit import config
from streamlit.testing.v1 import AppTest

from {{ cookiecutter.package_name }} import providers

STREAMLIT_CONFIG = Path(__file__).parents[1] / ".streamlit" / "config.toml"


def test_what_the_first_run_loaded_is_left_out_of_full_collections(app: AppTest) -> None:
    # A full collection walks every object it tracks; the modules (the SDKs' among them) are
    # frozen by the end of the first run, so no full pass walks them again.
    collectable = {id(obj) for obj in gc.get_objects()}
    assert id(vars(providers)) not in collectable
    assert id(vars(providers.service)) not in collectable
    assert not app.exception


def test_streamlit_does_not_collect_garbage_after_every_run() -> None:
    # That pass walks every session's messages while holding the interpreter lock, and a reply's
    # last updates wait for it (see the comment in config.toml).
    project_config = tomllib.loads(STREAMLIT_CONFIG.read_text())
    option = "runner.postScriptGC"
    assert option in config.get_config_options(), f"Streamlit no longer has {option}"
    assert project_config["runner"]["postScriptGC"] is False
