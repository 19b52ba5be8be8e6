"""Spreadsheets in and out (CSV, XLSX): the only package that touches openpyxl."""
