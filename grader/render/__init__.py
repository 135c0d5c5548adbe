"""Renderers: the terminal (rich), HTML pages and Markdown through one jinja2
template environment (``grader.render.templates``), and the UI labels in two languages.

May import: ``grader.models``, ``grader.errors``, ``grader.progress`` (the data it shows).
"""
