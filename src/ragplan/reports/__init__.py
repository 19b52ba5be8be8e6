"""Status, findings and plans as text, JSON, Markdown and terminal output."""
