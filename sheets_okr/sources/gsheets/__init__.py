"""Google Sheets through the Sheets API v4: one read, at most one structural and one value
write per sync."""
