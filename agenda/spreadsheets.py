"""CSV for spreadsheets: what the secretariats download opens in Excel, LibreOffice or Google Sheets."""

# A cell starting with one of these is a formula to Excel, LibreOffice and Google Sheets.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_text(text: str) -> str:
    """`text` as a spreadsheet shows it, never run: a leading apostrophe keeps a formula inert (OWASP)."""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text
