"""Widgets shared by the screens, and the marks and words they show (marks.py, item_text.py)."""
