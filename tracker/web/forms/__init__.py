"""The web forms: one module per area of the web app, named as the area's view module
(``forms/claims.py`` holds the forms of ``web/claims.py``). Views bind these forms, call the
services and render; the forms only check their input."""
