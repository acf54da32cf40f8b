"""Start the chatbot with `streamlit run serve.py`; the page itself is app.py.

The ASGI app around the page adds what must be in place before the script runs.
"""

import streamlit as st
from starlette.middleware import Middleware

from {{ cookiecutter.package_name }}.first_paint import FirstPaintStyle
{%- if cookiecutter.persistence != "none" %}
from {{ cookiecutter.package_name }}.owner import OwnerCookie
{%- endif %}

app = st.App("app.py", middleware=[Middleware(FirstPaintStyle){% if cookiecutter.persistence != "none" %}, Middleware(OwnerCookie){% endif %}])
