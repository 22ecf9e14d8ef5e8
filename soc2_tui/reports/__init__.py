"""Reports and data interchange: Markdown, JSON, CSV (no UI imports)."""
