"""Deciding cheaply, before any libcst parse, which rules can fire on a file."""
