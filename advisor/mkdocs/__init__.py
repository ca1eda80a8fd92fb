"""The MkDocs plugin `concept-advisor`, in parts: options ([`config`][advisor.mkdocs.config]),
build events ([`plugin`][advisor.mkdocs.plugin]), navigation ([`nav`][advisor.mkdocs.nav]),
the API reference generator ([`reference`][advisor.mkdocs.reference]) and the site's static
files ([`assets`][advisor.mkdocs.assets], shipped as files in `advisor/mkdocs/assets/`).

Importing this package imports nothing of MkDocs; MkDocs loads
[`ConceptAdvisorPlugin`][advisor.mkdocs.plugin.ConceptAdvisorPlugin] through the entry point.
"""
