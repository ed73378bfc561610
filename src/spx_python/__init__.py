"""spx-python: a hook-enforced, test-first story workflow with a verifiable test-evidence ledger."""

__version__ = "0.1.0"
