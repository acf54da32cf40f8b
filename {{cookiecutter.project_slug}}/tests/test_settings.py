from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from {{ cookiecutter.package_name }}.settings import SLIDER_START, Settings, load_defaults


def test_defaults_come_from_one_place() -> None:
    settings, problems = load_defaults({}, {})
    assert settings == Settings()
    assert problems == []


def test_secrets_override_defaults_and_environment_overrides_secrets() -> None:
    secrets = {"chatbot": {"temperature": 0.2, "max_tokens": 300, "streaming": False}}
    settings, problems = load_defaults(secrets, {"CHATBOT_TEMPERATURE": "0.9", "CHATBOT_SYSTEM_PROMPT": "Be brief."})
    assert (settings.temperature, settings.max_tokens, settings.streaming) == (0.9, 300, False)
    assert settings.system_prompt == "Be brief."
    assert problems == []


@pytest.mark.parametrize(
    ("environ", "fragment"),
    [
        ({"CHATBOT_TEMPERATURE": "hot"}, "CHATBOT_TEMPERATURE is 'hot', but it must be a number from 0 to"),
        ({"CHATBOT_TEMPERATURE": "7"}, "must be a number from 0 to"),
        ({"CHATBOT_MAX_TOKENS": "0"}, "CHATBOT_MAX_TOKENS is '0', but it must be a whole number"),
        ({"CHATBOT_STREAMING": "maybe"}, "CHATBOT_STREAMING is 'maybe', but it must be true or false"),
        ({"CHATBOT_MODEL": "  "}, "CHATBOT_MODEL"),
        ({"CHATBOT_MAX_TOKENS": "1.5"}, "CHATBOT_MAX_TOKENS is '1.5', but it must be a whole number"),
    ],
)
def test_an_unusable_value_is_reported_and_the_default_kept(environ: dict[str, str], fragment: str) -> None:
    settings, problems = load_defaults({}, environ)
    assert settings == Settings()
    assert len(problems) == 1
    assert fragment in problems[0]
    assert "the default is used until you fix it" in problems[0]


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("max_tokens", 1.5),
        ("max_tokens", "many"),
        ("max_tokens", [512]),
        ("temperature", {"value": 1}),
        ("temperature", True),
        ("model", 42),
        ("model", ["a", "b"]),
        ("system_prompt", ["Be brief."]),
        ("streaming", 3),
    ],
)
def test_a_secrets_value_of_the_wrong_type_is_reported_and_the_default_kept(name: str, value: object) -> None:
    settings, problems = load_defaults({"chatbot": {name: value}}, {})
    assert settings == Settings()
    assert len(problems) == 1 and f"{name} in [chatbot]" in problems[0], problems


def test_a_whole_number_written_as_a_float_is_taken() -> None:
    assert load_defaults({"chatbot": {"max_tokens": 512.0}}, {})[0].max_tokens == 512


@pytest.mark.parametrize("models", [42, {"a": 1}, ["ok", 7], True])
def test_a_model_list_that_is_not_a_list_of_names_is_reported_not_fatal(unstarted_app: AppTest, models) -> None:
    unstarted_app.secrets["chatbot"] = {"models": models}
    app = unstarted_app.run()
    assert not app.exception
    assert any("must be a list of model names" in warning.value for warning in app.sidebar.warning)
    assert app.selectbox(key="settings.model").options  # the built-in list


def test_unknown_secrets_settings_are_named() -> None:
    _, problems = load_defaults({"chatbot": {"temprature": 1}}, {})
    assert "unknown settings temprature" in problems[0]


def test_sidebar_starts_from_the_configured_defaults(monkeypatch: pytest.MonkeyPatch, make_app) -> None:
    monkeypatch.setenv("CHATBOT_TEMPERATURE", "0.3")
    monkeypatch.setenv("CHATBOT_MAX_TOKENS", "512")
    app = make_app()
    assert app.toggle(key="settings.custom_temperature").value is True
    assert app.slider(key="settings.temperature").value == pytest.approx(0.3)
    assert app.number_input(key="settings.max_tokens").value == 512


def test_a_bad_setting_shows_a_warning_in_the_sidebar(monkeypatch: pytest.MonkeyPatch, make_app) -> None:
    monkeypatch.setenv("CHATBOT_TEMPERATURE", "warm")
    app = make_app()
    assert not app.exception
    assert any("CHATBOT_TEMPERATURE is 'warm'" in warning.value for warning in app.sidebar.warning)
    assert app.toggle(key="settings.custom_temperature").value is False
    assert app.slider(key="settings.temperature").value == pytest.approx(SLIDER_START)


def test_the_temperature_is_left_to_the_model_unless_set(app: AppTest, send) -> None:
    assert app.slider(key="settings.temperature").disabled
    send(app, "hello")
    assert "the model's default temperature" in app.session_state["chat.conversation"].messages[-1].content
    app.toggle(key="settings.custom_temperature").set_value(True).run()
    assert "Temperature: your choice." in [toast.value for toast in app.toast]
    assert not app.slider(key="settings.temperature").disabled


def test_a_temperature_of_default_in_the_configuration_means_the_models_own() -> None:
    settings, problems = load_defaults({"chatbot": {"temperature": 0.5}}, {"CHATBOT_TEMPERATURE": "default"})
    assert settings.temperature is None
    assert problems == []


def test_changing_a_setting_says_so_and_the_next_reply_uses_it(app: AppTest, send) -> None:
    app.toggle(key="settings.custom_temperature").set_value(True).run()
    app.slider(key="settings.temperature").set_value(0.6).run()
    assert "Temperature set to 0.6." in [toast.value for toast in app.toast]
    send(app, "hello")
    assert "temperature 0.6" in app.session_state["chat.conversation"].messages[-1].content


def test_reset_restores_the_defaults_and_says_so(app: AppTest) -> None:
    app.toggle(key="settings.custom_temperature").set_value(True).run()
    app.slider(key="settings.temperature").set_value(0.2).run()
    app.number_input(key="settings.max_tokens").set_value(64).run()
    app.text_area(key="settings.system_prompt").input("Talk like a pirate.").run()
    next(button for button in app.sidebar.button if button.label == "Reset to defaults").click().run()
    defaults = Settings()
    assert app.toggle(key="settings.custom_temperature").value is False
    assert app.slider(key="settings.temperature").value == pytest.approx(SLIDER_START)
    assert app.number_input(key="settings.max_tokens").value == defaults.max_tokens
    assert app.text_area(key="settings.system_prompt").value == defaults.system_prompt
    assert "Settings reset to their defaults." in [toast.value for toast in app.toast]


def test_a_configured_model_outside_the_list_is_offered_and_chosen(monkeypatch: pytest.MonkeyPatch, make_app) -> None:
    monkeypatch.setenv("CHATBOT_MODEL", "my-fine-tune")
    app = make_app()
    model = app.selectbox(key="settings.model")
    assert model.value == "my-fine-tune"
    assert "my-fine-tune" in model.options


def test_the_offered_models_can_be_configured(monkeypatch: pytest.MonkeyPatch, make_app) -> None:
    monkeypatch.setenv("CHATBOT_MODELS", "team-model-a, team-model-b")
    app = make_app()
    assert app.selectbox(key="settings.model").options[:2] == ["team-model-a", "team-model-b"]


def test_models_in_secrets_replace_the_providers_list(unstarted_app: AppTest) -> None:
    app = unstarted_app
    app.secrets["chatbot"] = {"models": ["only-this-one"]}
    app.run()
    assert app.selectbox(key="settings.model").options[0] == "only-this-one"


def test_a_chatbot_entry_that_is_not_a_table_is_reported_not_fatal(unstarted_app: AppTest) -> None:
    unstarted_app.secrets["chatbot"] = "temperature = 0.5"
    app = unstarted_app.run()
    assert not app.exception
    assert any("must be a table of settings" in warning.value for warning in app.sidebar.warning)


def test_the_secrets_example_copied_unchanged_keeps_the_demo_model_and_warns_of_nothing(
    unstarted_app: AppTest,
) -> None:
    example = Path(__file__).resolve().parent.parent / ".streamlit" / "secrets.toml.example"
    unstarted_app.secrets.update(tomllib.loads(example.read_text()))
    app = unstarted_app.run()
    assert any("offline demo model" in info.value for info in app.info)
    assert [warning.value for warning in app.sidebar.warning] == []
