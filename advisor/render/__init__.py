"""Renderers: pure functions from the concept graph to Markdown, HTML, CSV and JSON text."""
