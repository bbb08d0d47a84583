"""python -m mutualplan: the console script."""

from mutualplan.bootstrap.commands import run

run()
