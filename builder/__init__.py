"""The practice portal builder: Markdown practices in, a static searchable portal out."""

__version__ = "0.1.0"
