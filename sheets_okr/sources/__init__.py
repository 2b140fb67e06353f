"""Where workbooks live (an Excel file, a Google Sheet): grids of values in, a write plan out.
Knows nothing of OKRs."""
