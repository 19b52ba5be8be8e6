"""One prepared view of a plan -> terminal, Markdown, HTML and JSON; the templates live in
templates/ beside the package. The only package (with cli) that imports rich."""
