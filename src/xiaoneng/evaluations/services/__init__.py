"""Writes of the evaluations app (surveys, democratic evaluation, ethics files)."""
