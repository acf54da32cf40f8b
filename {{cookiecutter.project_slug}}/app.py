"""The chatbot's page, top to bottom. Start it with `streamlit run serve.py`."""

import streamlit as st

{%- set modules = ["chat", "debug", "page", "settings"] %}
{%- if cookiecutter.approval_workflow %}{% set _ = modules.append("approval") %}{% endif %}
{%- if cookiecutter.message_metadata %}{% set _ = modules.append("metadata") %}{% endif %}
{%- if cookiecutter.multiple_conversations %}{% set _ = modules.append("conversations") %}{% endif %}
{%- if not cookiecutter.simple_history %}{% set _ = modules.append("state") %}{% endif %}
{%- if cookiecutter.persistence != "none" %}{% set _ = modules.extend(["owner", "storage"]) %}{% endif %}

from {{ cookiecutter.package_name }} import {{ modules | sort | join(", ") }}
{%- if cookiecutter.simple_history %}
from {{ cookiecutter.package_name }}.history import render_history, render_newest, start_over_when_outgrown
{%- endif %}
from {{ cookiecutter.package_name }}.providers import model_choices

TITLE = {{ cookiecutter.project_name | python_string }}

page.setup(TITLE)
{%- if cookiecutter.persistence != "none" %}
storage.attach(TITLE)
{%- endif %}
{%- if cookiecutter.multiple_conversations %}
conversations.follow_url()
{%- endif %}

# The sidebar is drawn first, so the main column is laid out beside it from the start.
with st.sidebar:
{%- if cookiecutter.persistence != "none" %}
    owner.render_account()
{%- endif %}
{%- if cookiecutter.multiple_conversations %}
    page.heading("Conversations", level=2)
    conversation_list = conversations.render_sidebar()
{%- endif %}
    settings.render_settings(model_choices())
    chat.render_clear_button()
{%- if cookiecutter.message_metadata %}
    metadata.render_downloads(TITLE)
{%- endif %}

page.heading(TITLE)
chat.render_model_notice()
{%- if cookiecutter.simple_history %}
{%- if cookiecutter.approval_workflow %}
render_history(editable=approval.edits_allowed())
{%- else %}
render_history()
{%- endif %}
{%- endif %}

{%- if cookiecutter.multiple_conversations %}


def show_in_sidebar() -> None:
    """The conversation list, drawn by the fragment below, so that a new conversation's title shows."""
    with conversation_list:
        conversations.render_list()
{%- endif %}


# Sending, and the buttons on the newest exchange, rerun only this part; the rest of the page stays as drawn.
@st.fragment
def newest_exchange() -> None:
{%- if cookiecutter.simple_history %}
    start_over_when_outgrown()
{%- endif %}
    chat.show_notices()
    prompt = chat.take_prompt()
{%- if cookiecutter.approval_workflow %}
    # Nothing is retried, regenerated or edited while this run answers or a draft awaits review.
    changeable = not chat.answering(prompt) and not approval.awaiting_review()
    editable = changeable
{%- else %}
    chat.prompt_input()
    # Retry and Regenerate wait while this run answers; Edit shows once the run is over.
    changeable = not chat.answering(prompt)
    editable = True
{%- endif %}
{%- if cookiecutter.simple_history %}
    render_newest(retry_allowed=changeable, editable=editable)
{%- else %}
    if prompt is not None:
        state.clear_messages()  # single-turn: each prompt is answered on its own
    chat.render_messages(state.messages(), retry_allowed=changeable, editable=editable)
{%- endif %}
{%- if cookiecutter.multiple_conversations %}
{%- set respond_arguments = "prompt, before_reply=show_in_sidebar" %}
{%- else %}
{%- set respond_arguments = "prompt" %}
{%- endif %}
{%- if cookiecutter.approval_workflow %}
    approval.respond({{ respond_arguments }})
    # Drawn last, so it is locked when a draft is left waiting. A run stopped mid-draft never
    # gets here, and the page then shows no chat box until the draft is dealt with.
    chat.prompt_input(disabled=approval.awaiting_review())
{%- else %}
    chat.respond({{ respond_arguments }})
{%- endif %}
    chat.show_notices()  # what this run's own storage calls had to say
    debug.render_debug_panel()


newest_exchange()
