"""The scoring engine: grouped reads, rows, the only hand-written SQL, runs and simulation."""
