"""`spx doctor`: is everything spx needs in place for this project? `gather` reads the facts once (one
toolchain probe, one pytest collection); `checks` turns them into one verdict per check, purely."""
