"""Benchmarks and long reliability checks (see bench/README.md); run with `make bench`."""
