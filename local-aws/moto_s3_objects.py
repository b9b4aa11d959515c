"""Object answers in moto_server as S3 gives them, for the local AWS (imported by moto-server.py).

- User metadata (x-amz-meta-*) with characters outside US-ASCII: S3 takes the header's bytes as
  UTF-8 and returns such a value RFC 2047-encoded (`=?UTF-8?B?<base64>?=`); moto read the bytes as
  Latin-1 and returned them so (`é` came back `Ã©`).
- `aws-chunked` (the transfer framing of streamed uploads) is never stored in Content-Encoding:
  moto removed it only when written exactly so and without a space after the comma (`gzip,
  aws-chunked` and `AWS-CHUNKED` were stored and answered as the object's encoding).
- x-amz-checksum-crc32 / -sha1 / -sha256 (header or aws-chunked trailer) are checked against the
  body: a mismatch is 400 BadDigest and nothing is written (moto stored any value). CRC32C and
  CRC64NVME cannot be computed here (no crc32c / awscrt module; moto computed a CRC32 in their place
  and answered it under their name): a write that names them is refused, 501 NotImplemented.
- An object put whole with a checksum has the checksum type FULL_OBJECT (HeadObject with
  ChecksumMode, GetObjectAttributes), as S3 documents for PutObject; moto answered none, and its
  HeadObject never answered x-amz-checksum-type.
- GetObjectAttributes answers Last-Modified as an HTTP date (moto's ISO 8601 failed the SDK's
  parsing, so the call failed) and ObjectParts (TotalPartsCount) of a multipart object.
- GetObjectRetention (moto had none: 500): the object's retention; 404
  NoSuchObjectLockConfiguration when it has none; 400 InvalidRequest in a bucket without Object Lock.
- A bucket's Lambda notification configuration is stored and answered, but moto does not invoke
  anything for it: the local AWS delivers S3 events to its functions itself (s3-notifications.ts),
  and moto's own attempt (through its empty Lambda backend) was work on every write for nothing.
"""
import base64
import re

from moto.s3 import notifications as moto_notifications
from moto.s3 import responses as moto_responses
from moto.s3.models import FakeKey, S3Backend
from moto.s3.responses import S3Response
from moto.s3.utils import compute_checksum
from moto.core.common_types import TYPE_RESPONSE
from moto.core.responses import ActionResult

from moto_s3_errors import NotImplementedHere, S3Error

# --- user metadata -------------------------------------------------------------------------------

_metadata_from_headers = moto_responses.metadata_from_headers


def mail_safe(value: str) -> str:
    """A metadata value as S3 returns it: as is in US-ASCII, else RFC 2047 (B encoding, UTF-8)."""
    if value.isascii():
        return value
    try:
        # The header's bytes, which werkzeug decoded as Latin-1, are UTF-8 text.
        text = value.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        text = value
    return f"=?UTF-8?B?{base64.b64encode(text.encode('utf-8')).decode('ascii')}?="


def metadata_from_headers(headers):
    metadata = _metadata_from_headers(headers)
    for name in list(metadata.keys()):
        value = metadata[name]
        if isinstance(name, str) and name.lower().startswith("x-amz-meta-") and isinstance(value, str):
            metadata[name] = mail_safe(value)
    return metadata


moto_responses.metadata_from_headers = metadata_from_headers

# --- Content-Encoding without aws-chunked --------------------------------------------------------

_set_metadata = FakeKey.set_metadata


def set_metadata(self: FakeKey, metadata, replace: bool = False) -> None:
    encoding = metadata.get("Content-Encoding") if metadata is not None else None
    if isinstance(encoding, str):
        codings = [coding.strip() for coding in encoding.split(",")]
        if any(coding.lower() == "aws-chunked" for coding in codings):
            kept = [coding for coding in codings if coding and coding.lower() != "aws-chunked"]
            if kept:
                metadata["Content-Encoding"] = ", ".join(kept)
            else:
                metadata.pop("Content-Encoding")
    _set_metadata(self, metadata, replace=replace)


FakeKey.set_metadata = set_metadata

# --- checksums -----------------------------------------------------------------------------------

CHECKED = ("CRC32", "SHA1", "SHA256")
TRAILER = re.compile(rb"x-amz-checksum-(\w+):(\S+)")

_get_checksum = S3Response._get_checksum


def _given_checksums(self: S3Response) -> dict[str, str]:
    given = {}
    for algorithm in CHECKED:
        value = self.headers.get(f"x-amz-checksum-{algorithm.lower()}")
        if value:
            given[algorithm] = value
    if not given and self.headers.get("x-amz-trailer", "").lower().startswith("x-amz-checksum-"):
        for name, value in TRAILER.findall(self.raw_body or b""):
            algorithm = name.decode().upper()
            if algorithm in CHECKED:
                given[algorithm] = value.decode()
    return given


def get_checksum(self: S3Response, response_headers):
    if "x-amz-copy-source" not in self.headers:
        for algorithm, value in _given_checksums(self).items():
            actual = compute_checksum(self.body or b"", algorithm=algorithm).decode()
            if value.strip() != actual:
                raise S3Error("BadDigest", f"The {algorithm} you specified did not match the calculated checksum.")
    return _get_checksum(self, response_headers)


S3Response._get_checksum = get_checksum

_put_object = S3Backend.put_object


def put_object(self: S3Backend, *args, **kwargs):
    key = _put_object(self, *args, **kwargs)
    # A multipart completion sets its own type (COMPOSITE or FULL_OBJECT) after this.
    if key.checksum_value and not key.checksum_type and kwargs.get("multipart") is None:
        key.checksum_type = "FULL_OBJECT"
    return key


S3Backend.put_object = put_object

_head_object = S3Response.head_object


def head_object(self: S3Response, bucket_name: str, query: dict, key_name: str, headers: dict):
    status, response_headers, body = _head_object(self, bucket_name, query, key_name, headers)
    if status in (200, 206) and headers.get("x-amz-checksum-mode") == "ENABLED":
        key = self.backend.get_object(bucket_name, key_name, version_id=query.get("versionId", [None])[0])
        if key is not None and key.checksum_type:
            response_headers["x-amz-checksum-type"] = key.checksum_type
    return status, response_headers, body


S3Response.head_object = head_object

NOT_COMPUTED = ("CRC32C", "CRC64NVME")


def _refusing_uncomputed_checksums(handler):
    def handle(self: S3Response, *args, **kwargs):
        named = [self.headers.get("x-amz-sdk-checksum-algorithm", ""), self.headers.get("x-amz-checksum-algorithm", ""), self.headers.get("x-amz-trailer", "")]
        named += [name[len("x-amz-checksum-") :] for name in self.headers.keys() if isinstance(name, str) and name.lower().startswith("x-amz-checksum-")]
        for algorithm in NOT_COMPUTED:
            if any(algorithm.lower() in value.lower() for value in named if value):
                raise NotImplementedHere(f"The {algorithm} checksum")
        return handler(self, *args, **kwargs)

    return handle


S3Response._key_response_put = _refusing_uncomputed_checksums(S3Response._key_response_put)
S3Response._key_response_post = _refusing_uncomputed_checksums(S3Response._key_response_post)

# --- GetObjectAttributes -------------------------------------------------------------------------


def get_object_attributes(self: S3Response) -> TYPE_RESPONSE:
    key, not_modified = self._get_key(validate_storage_class=False)
    response_headers = self._get_cors_headers_other()
    if not_modified:
        return 304, response_headers, "Not Modified"
    if key.version_id != "null":
        response_headers["x-amz-version-id"] = key.version_id
    wanted = [name.strip() for name in self.headers.get("x-amz-object-attributes", "").split(",")]
    found = self.backend.get_object_attributes(key, wanted)
    result = {"ETag": found["etag"], "ObjectSize": found["size"], "StorageClass": found["storage_class"]}
    checksum = found["checksum"]
    if checksum:
        kind = checksum.pop("type", None)
        result["Checksum"] = {f"Checksum{algorithm}": value for algorithm, value in checksum.items()}
        if kind:
            result["Checksum"]["ChecksumType"] = kind
    sizes = getattr(key.multipart, "completed_sizes", None) if key.multipart is not None else None
    if "ObjectParts" in wanted and sizes:
        result["ObjectParts"] = {"TotalPartsCount": len(sizes)}
    response_headers["Last-Modified"] = key.last_modified_RFC1123
    self.data["Action"] = "GetObjectAttributes"
    status, headers, body = self.serialized(ActionResult(result))
    headers.update(response_headers)
    return status, headers, body


S3Response.get_object_attributes = get_object_attributes

# --- GetObjectRetention --------------------------------------------------------------------------


def get_object_retention(self: S3Response) -> TYPE_RESPONSE:
    bucket = self.backend.get_bucket(self.bucket_name)
    if not bucket.object_lock_enabled:
        raise S3Error("InvalidRequest", "Bucket is missing Object Lock Configuration")
    key, _not_modified = self._get_key(validate_storage_class=False)
    if not (isinstance(key, FakeKey) and key.lock_mode and key.lock_until):
        raise S3Error("NoSuchObjectLockConfiguration", "The specified object does not have a ObjectLock configuration")
    self.data["Action"] = "GetObjectRetention"
    return self.serialized(ActionResult({"Retention": {"Mode": key.lock_mode, "RetainUntilDate": key.lock_until}}))


_key_response_get = S3Response._key_response_get


def key_response_get(self: S3Response, query, key_name: str) -> TYPE_RESPONSE:
    if "retention" in query and not query.get("uploadId"):
        self._set_action("KEY", "GET", query)
        self._authenticate_and_authorize_s3_action(bucket_name=self.bucket_name, key_name=key_name)
        return get_object_retention(self)
    return _key_response_get(self, query, key_name)


S3Response._key_response_get = key_response_get

# --- notifications -------------------------------------------------------------------------------


def _not_invoked(account_id, event_body, fn_arn, region_name) -> None:
    """The local AWS invokes the bucket's functions itself (s3-notifications.ts)."""


moto_notifications._invoke_awslambda = _not_invoked
