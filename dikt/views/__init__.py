"""Views: each analysis result turned once into a format-neutral document.

One module per analysis area; none knows any output format. A writer
(:mod:`dikt.writers`) then turns the document into text, Markdown, CSV or
docutils nodes.
"""
