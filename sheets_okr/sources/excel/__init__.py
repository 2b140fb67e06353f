"""sources/excel"""
