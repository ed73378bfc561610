"""`spx demo`: the real Claude Code CLI, this plugin's hooks and a scripted disciplined agent, on an example project.

Modules: `example` (the example project's specs, tests and code, as data), `project` (creates it with
`git`, `spx init` and `spx spec create`), `refusals` (reading a hook's refusal for the step it names),
`agent` (the scripted model's scenario), `transcript` (the live, readable account of a run),
`installer` (finds or installs the pinned CLI), `runner` (the whole demo, scripted or real model).
"""
