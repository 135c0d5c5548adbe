"""Renderers: the terminal (rich), HTML pages and Markdown.

All go through one jinja2 template environment (``grader.render.templates``); the UI
labels come in two languages.

May import: ``grader.models``, ``grader.errors``, ``grader.progress`` (the data it shows).
"""
