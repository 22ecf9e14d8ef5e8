"""One screen per module; each loads its own .tcss next to it when it needs styles."""
