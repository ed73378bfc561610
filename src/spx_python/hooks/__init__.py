"""Claude Code hook handlers: one module per event, dispatched by `hooks.io` (standard library only)."""
