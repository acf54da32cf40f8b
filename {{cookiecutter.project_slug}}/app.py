"""The chatbot's page, top to bottom. Start it with `streamlit run app.py`."""

import streamlit as st

from {{ cookiecutter.package_name }} import chat, debug, settings{% if not cookiecutter.simple_history %}, state{% endif %}
{%- if cookiecutter.simple_history %}
from {{ cookiecutter.package_name }}.history import render_history
{%- endif %}
from {{ cookiecutter.package_name }}.providers import model_choices

TITLE = {{ cookiecutter.project_name | quoted }}

st.set_page_config(page_title=TITLE, page_icon="💬")
st.title(TITLE)

with st.sidebar:
    st.header("Settings")
    settings.render_settings(model_choices())
    chat.render_clear_button()

chat.render_model_notice()
prompt = chat.prompt_input()
{%- if cookiecutter.simple_history %}
render_history()
{%- else %}
if prompt:
    state.clear_messages()  # single-turn: each prompt is answered on its own
chat.render_messages(state.messages())
{%- endif %}
if prompt:
    chat.respond(prompt)
else:
    chat.retry_if_requested()
debug.render_debug_panel()
