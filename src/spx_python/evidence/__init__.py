"""The test evidence: pass.csv, blob SHAs, container states, diagnosis, the stamp and the review verdicts it needs."""
