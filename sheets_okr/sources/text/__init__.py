"""CSV and TSV files: decoded, split into one grid of text, and synced only into a new .xlsx
workbook, since a text file cannot hold the tool's columns and tabs."""
