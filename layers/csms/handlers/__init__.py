"""Event-shaped entry logic behind the thin Lambda handlers in `functions/`."""
