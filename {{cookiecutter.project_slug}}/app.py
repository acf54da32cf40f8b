"""The chatbot's page, top to bottom. Start it with `streamlit run app.py`."""

import streamlit as st

{%- set modules = ["chat", "debug", "settings"] %}
{%- if cookiecutter.approval_workflow %}{% set _ = modules.append("approval") %}{% endif %}
{%- if cookiecutter.message_metadata %}{% set _ = modules.append("metadata") %}{% endif %}
{%- if cookiecutter.multiple_conversations %}{% set _ = modules.append("conversations") %}{% endif %}
{%- if not cookiecutter.simple_history %}{% set _ = modules.append("state") %}{% endif %}

from {{ cookiecutter.package_name }} import {{ modules | sort | join(", ") }}
{%- if cookiecutter.simple_history %}
from {{ cookiecutter.package_name }}.history import render_history
{%- endif %}
from {{ cookiecutter.package_name }}.providers import model_choices

TITLE = {{ cookiecutter.project_name | quoted }}

st.set_page_config(page_title=TITLE, page_icon="💬")
{%- if cookiecutter.multiple_conversations %}
conversations.follow_url()
{%- endif %}
st.title(TITLE)

with st.sidebar:
{%- if cookiecutter.multiple_conversations %}
    st.header("Conversations")
    conversations.render_sidebar()
{%- endif %}
    st.header("Settings")
    settings.render_settings(model_choices())
    chat.render_clear_button()
{%- if cookiecutter.message_metadata %}
    metadata.render_downloads(TITLE)
{%- endif %}

chat.render_model_notice()
{%- if cookiecutter.approval_workflow %}
prompt = chat.prompt_input(disabled=approval.awaiting_review())
{%- else %}
prompt = chat.prompt_input()
{%- endif %}
{%- if cookiecutter.simple_history %}
render_history()
{%- else %}
if prompt:
    state.clear_messages()  # single-turn: each prompt is answered on its own
chat.render_messages(state.messages())
{%- endif %}
{%- if cookiecutter.approval_workflow %}
if prompt:
    approval.submit(prompt)
else:
    approval.resume()
approval.render_review()
{%- else %}
if prompt:
    chat.respond(prompt)
else:
    chat.retry_if_requested()
{%- endif %}
debug.render_debug_panel()
