"""The timeline laid out once, for SVG and PNG."""
