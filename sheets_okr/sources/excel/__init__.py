"""Excel workbooks: read with python-calamine, written through openpyxl after the safety
checks."""
