"""Adapters: the edges where files, Google and databases meet the domain."""
