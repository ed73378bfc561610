"""Setting a project up for spx: `spx init`, the pytest settings edit, TOML/INI text edits, templates, permissions."""
