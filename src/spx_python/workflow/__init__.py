"""The per-story workflow: the journal, its events, the state machine (fold) and the gate's decision."""
