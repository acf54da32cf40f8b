import pytest


def test_the_bake_helper_refuses_unknown_option_names(bake) -> None:
    with pytest.raises(ValueError, match="Unknown template options: simple_histroy"):
        bake(simple_histroy=False)


def test_the_bake_helper_bakes_with_the_defaults(bake) -> None:
    project = bake()
    assert project.name == "streamlit-chatbot"
    assert (project / "app.py").is_file()
