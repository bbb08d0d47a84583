"""mutualplan: Mutual Action Plans that live in a shared Google Sheet."""

__version__ = "0.1.0"
