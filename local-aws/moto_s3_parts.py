"""GetObject and HeadObject with `partNumber` in moto_server as S3 does them, for the local AWS
(imported by moto-server.py).

S3 answers that part of a multipart object: 206 Partial Content, the part's bytes, Content-Range,
x-amz-mp-parts-count; the ETag is the whole object's. moto's GET answered the whole object, and its
HEAD the part's own ETag and length. Parts are counted in the order the upload was completed with; an
object put whole has one part. A part number beyond the object's parts is 416 InvalidPartNumber;
partNumber with a Range header is 400 InvalidRequest.
"""
from moto.s3.models import FakeMultipart
from moto.s3.responses import S3Response

import moto_s3_part_copy
from moto_s3_errors import S3Error


def _part_ranges(key) -> list[tuple[int, int]]:
    """(first byte, size) of each part of the object, in order; one part for an object put whole."""
    sizes = getattr(key.multipart, "completed_sizes", None) if key.multipart is not None else None
    if not sizes:
        return [(0, key.size)]
    ranges, offset = [], 0
    for size in sizes:
        ranges.append((offset, size))
        offset += size
    return ranges


def _part_number(self: S3Response, query: dict) -> int | None:
    value = (query.get("partNumber") or [None])[0]
    if value is None:
        return None
    if self.headers.get("Range"):
        raise S3Error("InvalidRequest", "Cannot specify both Range header and partNumber query parameter")
    try:
        number = int(value)
    except ValueError:
        number = 0
    if not 1 <= number <= 10000:
        raise S3Error("InvalidArgument", "Part number must be an integer between 1 and 10000, inclusive")
    return number


def _answer_part(key, number: int, status: int, headers: dict) -> tuple[int, int]:
    """Sets the part's headers; answers (first byte, size)."""
    ranges = _part_ranges(key)
    if number > len(ranges):
        raise S3Error("InvalidPartNumber", "The requested partnumber is not satisfiable")
    start, size = ranges[number - 1]
    for name in list(headers):
        if name.lower() in ("content-length", "content-range", "x-amz-mp-parts-count"):
            del headers[name]
    headers["content-length"] = str(size)
    headers["content-range"] = f"bytes {start}-{start + size - 1}/{key.size}" if size else f"bytes */{key.size}"
    if key.multipart is not None:
        headers["x-amz-mp-parts-count"] = str(len(ranges))
    headers["ETag"] = key.etag
    return start, size


_get_object = S3Response.get_object


def get_object(self: S3Response):
    number = _part_number(self, self.querystring)
    if number is None:
        return _get_object(self)
    # moto's own part handling answers the whole object: the object is answered, then cut to the part.
    saved = self.querystring.pop("partNumber")
    try:
        status, headers, value = _get_object(self)
    finally:
        self.querystring["partNumber"] = saved
    if status != 200:
        return status, headers, value
    key = self.backend.get_object(self.bucket_name, self.parse_key_name(), version_id=self.querystring.get("versionId", [None])[0])
    start, size = _answer_part(key, number, status, headers)
    return 206, headers, bytes(memoryview(value)[start : start + size])


_head_object = S3Response.head_object


def head_object(self: S3Response, bucket_name: str, query: dict, key_name: str, headers: dict):
    number = _part_number(self, query)
    if number is None:
        return _head_object(self, bucket_name, query, key_name, headers)
    whole = {name: value for name, value in query.items() if name != "partNumber"}
    status, response_headers, answer = _head_object(self, bucket_name, whole, key_name, headers)
    if status != 200:
        return status, response_headers, answer
    key = self.backend.get_object(bucket_name, key_name, version_id=query.get("versionId", [None])[0])
    _answer_part(key, number, status, response_headers)
    return 206, response_headers, answer


# The sizes of the parts an upload was completed with, for partNumber reads (moto's `complete` is
# moto_s3_part_copy's).
_complete = FakeMultipart.complete


def complete(self: FakeMultipart, body):
    parts = list(body)
    result = _complete(self, iter(parts))
    self.completed_sizes = [self.parts[number].contentsize for number, _etag in parts]
    return result


assert FakeMultipart.complete is moto_s3_part_copy.complete
FakeMultipart.complete = complete
S3Response.get_object = get_object
S3Response.head_object = head_object
