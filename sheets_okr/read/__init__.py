"""From grids to the model: header rows and columns, cell values as people type them, rows, the
hierarchy, History."""
