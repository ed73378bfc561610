"""The plugin's own runtime: where it lives (location), how it is built (build) and provisioned (provision)."""
