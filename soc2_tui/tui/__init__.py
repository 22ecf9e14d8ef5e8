"""The Textual front end (imported only when the app starts)."""
