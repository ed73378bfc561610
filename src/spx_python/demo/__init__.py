"""`spx demo`: the real Claude Code CLI, this plugin's hooks and a scripted disciplined agent, on an example project.

Modules: `example` (the example project's specs), `example_code` (its tests and code, which the agent
writes), `project` (creates the project with `git`, `spx init` and `spx spec create`), `refusals`
(reading a hook's refusal for the step it names), `agent` (the scripted model's scenario), `transcript`
(the live, readable account of a run), `installer` (finds or installs the pinned CLI, finds the plugin),
`runner` (the whole demo, scripted or real model).
"""
