"""Keep one copy of each inline script on every page.

sphinx-thebe 0.3.1 (pulled in by jupyter-book 1.0.4) registers its inline
configuration script twice under Sphinx 7.4, so every page declared
``const THEBE_JS_URL`` twice and the browser logged a SyntaxError. The book does
not use thebe, but a clean console is how the browser tests spot real errors.
"""


def _drop_duplicate_scripts(app, pagename, templatename, context, doctree):
    seen, unique = set(), []
    for script in context.get("script_files", []):
        # Sphinx records an inline script's filename as None or "" depending on how
        # it was added, so the duplicates differ only there.
        filename = script.filename if hasattr(script, "filename") else str(script)
        key = (filename or "", getattr(script, "attributes", {}).get("body"))
        if key not in seen:
            seen.add(key)
            unique.append(script)
    context["script_files"] = unique


def setup(app):
    app.connect("html-page-context", _drop_duplicate_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
