"""What a sync writes, decided before any workbook is touched; and the new workbook of `init`."""
