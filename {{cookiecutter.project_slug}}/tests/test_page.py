from __future__ import annotations

import gc

from streamlit.testing.v1 import AppTest

from {{ cookiecutter.package_name }} import providers


def test_what_the_first_run_loaded_is_left_out_of_the_collection_after_every_run(app: AppTest) -> None:
    # Streamlit collects garbage in full after each run; the modules (the SDKs' among them) are
    # frozen by then, so that pass does not walk them again and again.
    collectable = {id(obj) for obj in gc.get_objects()}
    assert id(vars(providers)) not in collectable
    assert id(vars(providers.service)) not in collectable
    assert not app.exception
