"""Driving the real Claude Code CLI: runner, stream-json parsing, scripted model, loopback, proxy, install."""
