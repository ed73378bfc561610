"""Driving the real Claude Code CLI: the runner, stream-json parsing, the scripted model, loopback, the proxy, install."""
