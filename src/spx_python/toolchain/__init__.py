"""The project's environment and the tools that run in it: one rule for spec test, stamp, verify, status
--fresh and review (`detect` finds it, `probe` asks it, `lend` fills its gaps from spx's runtime,
`resolve` puts it together, `provenance` says what produced a result)."""
