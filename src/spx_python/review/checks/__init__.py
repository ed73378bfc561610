"""The review gate's own static checks: pure functions of a file's name and text, or of parsed configs."""
