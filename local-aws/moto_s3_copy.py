"""CopyObject and UploadPartCopy in moto_server as S3 does them, for the local AWS (imported by
moto-server.py).

- Copy-source conditions: moto 5 checks only x-amz-copy-source-if-none-match on CopyObject, and
  none on UploadPartCopy. This checks all four on both, on the very source object the copy reads,
  with S3's documented precedence: if-match true wins over if-unmodified-since false, and
  if-none-match false with if-modified-since true still fails (412 PreconditionFailed).
- Destination conditions (conditional writes): S3 takes `If-None-Match: *` (copy only if the key
  does not exist) and `If-Match: <ETag>` (only over that very object) on CopyObject as on PutObject;
  moto checks them on PutObject only. They are checked here the way moto checks PutObject's.
- The copy's ETag: moto computes the MD5 of every copied object again. A copy of an object whose
  ETag is the MD5 of its bytes (not a multipart ETag, `...-N`) has the same bytes, so the same ETag:
  it is taken from the source, as S3 reports it.
"""
import calendar
import threading
from email.utils import parsedate_to_datetime
from urllib.parse import parse_qs, unquote, urlparse

from moto.s3.exceptions import MissingKey, PreconditionFailed
from moto.s3.models import FakeKey, S3Backend
from moto.s3.responses import S3Response


def _etags(value: str) -> set[str]:
    return {tag.strip().strip('"') for tag in value.split(",")}


def _seconds(value: str) -> int | None:
    """An HTTP date in whole seconds; None when it is not one (then the condition is ignored, as HTTP says)."""
    try:
        return int(parsedate_to_datetime(value).timestamp())
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def copy_source_conditions_hold(headers, etag: str, last_modified_seconds: int) -> bool:
    """Do the x-amz-copy-source-if-* headers hold for a source with this ETag and Last-Modified?"""
    etag = etag.strip('"')
    if_match = headers.get("x-amz-copy-source-if-match")
    if if_match is not None:
        tags = _etags(if_match)
        if "*" not in tags and etag not in tags:
            return False
    else:
        since = headers.get("x-amz-copy-source-if-unmodified-since")
        seconds = _seconds(since) if since is not None else None
        if seconds is not None and last_modified_seconds > seconds:
            return False
    if_none_match = headers.get("x-amz-copy-source-if-none-match")
    if if_none_match is not None:
        tags = _etags(if_none_match)
        if "*" in tags or etag in tags:
            return False
    else:
        since = headers.get("x-amz-copy-source-if-modified-since")
        seconds = _seconds(since) if since is not None else None
        if seconds is not None and last_modified_seconds <= seconds:
            return False
    return True


CONDITIONS = (
    "x-amz-copy-source-if-match",
    "x-amz-copy-source-if-none-match",
    "x-amz-copy-source-if-modified-since",
    "x-amz-copy-source-if-unmodified-since",
)


def _copy_source(response: S3Response) -> FakeKey | None:
    """The object named by x-amz-copy-source, parsed as moto parses it; None when there is none
    (moto then answers its own error)."""
    copy_source = response.headers.get("x-amz-copy-source")
    if isinstance(copy_source, bytes):
        copy_source = copy_source.decode("utf-8")
    parsed = urlparse(copy_source)
    try:
        bucket, key = unquote(parsed.path).lstrip("/").split("/", 1)
        version_id = parse_qs(parsed.query).get("versionId", [None])[0]
        source = response.backend.get_object(bucket, key, version_id=version_id)
    except Exception:  # noqa: BLE001  (moto's own handler raises the right S3 error)
        return None
    return source if isinstance(source, FakeKey) else None


def checking_copy_conditions(handler):
    def handle(self: S3Response):
        if any(name in self.headers for name in CONDITIONS):
            source = _copy_source(self)
            if source is not None:
                modified = calendar.timegm(source.last_modified.utctimetuple())
                if not copy_source_conditions_hold(self.headers, source.etag, modified):
                    raise PreconditionFailed("x-amz-copy-source-If-*")
        return handler(self)

    return handle


def checking_destination_conditions(handler):
    def handle(self: S3Response):
        if_match = self.headers.get("If-Match")
        if_none_match = self.headers.get("If-None-Match")
        if if_match is not None or if_none_match is not None:
            existing = self.backend.get_object(self.bucket_name, self.parse_key_name())
            if if_match is not None:
                if existing is None:
                    raise MissingKey
                if if_match.replace('"', "") != existing.etag.replace('"', ""):
                    raise PreconditionFailed("If-Match")
            if if_none_match == "*" and existing is not None:
                raise PreconditionFailed("If-None-Match")
        return handler(self)

    return handle


S3Response.copy_object = checking_destination_conditions(checking_copy_conditions(S3Response.copy_object))
S3Response.upload_part_copy = checking_copy_conditions(S3Response.upload_part_copy)

# The ETag of the object being copied, for put_object to give the copy (per thread: moto serves
# requests on many threads).
_copying = threading.local()
_copy_object = S3Backend.copy_object
_put_object = S3Backend.put_object


def copy_object(self: S3Backend, src_key: FakeKey, *args, **kwargs):
    etag = src_key.etag
    _copying.etag = etag if "-" not in etag else None
    try:
        return _copy_object(self, src_key, *args, **kwargs)
    finally:
        _copying.etag = None


def put_object(self: S3Backend, *args, **kwargs):
    etag = getattr(_copying, "etag", None)
    if etag is not None and kwargs.get("etag") is None:
        # Within copy_object: the copy is put once, with the source's bytes.
        _copying.etag = None
        kwargs["etag"] = etag.strip('"')
    return _put_object(self, *args, **kwargs)


S3Backend.copy_object = copy_object
S3Backend.put_object = put_object
