"""Dates in and out: read from cells in any locale, and planned backward from the go-live by a template."""
