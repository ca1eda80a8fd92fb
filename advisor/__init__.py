"""concept-advisor: a concept graph, a "which should I use?" advisor and a generated site, from one YAML knowledge base."""

__version__ = "0.1.0"
