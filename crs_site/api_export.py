"""Lists of the API downloaded as a file: `?format=csv` or `?format=xlsx` on a list endpoint.

The renderers only declare the formats, so that content negotiation accepts them and the schema
lists their media types; the view answers such a request itself with `api_table_download`, the
whole filtered list in one file (no pages), through the same table writer as the pages'
downloads (`crs_site.lib.spreadsheet.table_download`: CSV in UTF-8 with a BOM, cells that a
spreadsheet would run as formulas escaped; Excel with real numbers and dates).
"""

from collections.abc import Iterable, Sequence

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.renderers import BaseRenderer

from crs_site.lib.spreadsheet import EXPORT_FORMATS, table_download


class _FileRenderer(BaseRenderer):
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        # Never reached for a list (the view writes the file) nor for an error (always JSON).
        return b""


class CsvFileRenderer(_FileRenderer):
    media_type = "text/csv"
    format = "csv"


class XlsxFileRenderer(_FileRenderer):
    media_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    format = "xlsx"


FILE_RENDERERS = [CsvFileRenderer, XlsxFileRenderer]

FILE_FORMAT_PARAMETER = OpenApiParameter(
    "format",
    OpenApiTypes.STR,
    enum=["json", *EXPORT_FORMATS],
    description=(
        "csv or xlsx: the whole filtered list in one file, without pages (page_size and cursor "
        "do not apply); one header line of column names."
    ),
)


def wants_file(request) -> bool:
    """Tell whether the request asked for the list as a CSV or Excel file."""
    renderer = getattr(request, "accepted_renderer", None)
    return renderer is not None and renderer.format in EXPORT_FORMATS


def api_table_download(*, request, filename: str, columns: Sequence[str], rows: Iterable[Sequence]):
    """Return the rows as the file the request asked for, with the column names as headers."""
    return table_download(
        file_format=request.accepted_renderer.format,
        filename=filename,
        title=filename,
        headers=columns,
        rows=rows,
    )
