"""Running the project's tests: the one pytest runner, JUnit reports, run integrity, the test/verify/fresh commands."""
