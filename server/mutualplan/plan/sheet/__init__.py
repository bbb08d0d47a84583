"""What a sheet holds and how it is read and written: the grid and its cells, the contract's vocabulary,
the plan's model, parsing, its tabs, and the writes a workbook applies."""
