"""sources/gsheets"""
