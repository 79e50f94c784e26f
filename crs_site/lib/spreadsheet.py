"""Cells of the CSV files people open in a spreadsheet: one rule against formula injection."""

# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str:
    """Return a value as a CSV cell that no spreadsheet will run as a formula.

    Numbers are written as numbers (so -3.5 stays a number); only text is escaped, with a
    leading apostrophe, which spreadsheets hide.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        # 75, as a spreadsheet writes it, rather than 75.0.
        return str(int(value))
    text = str(value)
    if isinstance(value, str) and text.startswith(FORMULA_STARTS):
        return "'" + text
    return text
