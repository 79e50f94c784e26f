"""Benchmarks: each compares our code with a baseline on the same data in one run."""
