"""A tiny task list: the example project that `spx spec status` reports on."""
