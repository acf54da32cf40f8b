"""The chatbot's code; app.py at the project root puts it on the page."""
