"""The .xlsx uploads (rosters, places): one file in a multipart form.

The handlers take the whole form, not `UploadFile`: Litestar answers a multipart form without a
file part with a 500 there (it looks for the first file and finds none). Here such a form is
refused with a 400 naming `file`, the field the OpenAPI document gives the upload.
"""

from __future__ import annotations

from typing import Annotated, Any

from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body

from marketplace.errors import InvalidInput

Form = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.MULTI_PART)]


def one_file(form: dict[str, Any]) -> UploadFile:
    """The form's file, whatever its part is called; 400 naming `file` when there is none."""
    for value in form.values():
        for part in value if isinstance(value, list) else [value]:
            if isinstance(part, UploadFile):
                return part
    raise InvalidInput("Choose a file to upload.", code="upload_missing", field="file")
