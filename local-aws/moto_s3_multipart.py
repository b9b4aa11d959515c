"""CompleteMultipartUpload and CreateMultipartUpload in moto_server as S3 does them, for the local
AWS (imported by moto-server.py).

- CompleteMultipartUpload checks `If-Match` (412 PreconditionFailed over another object, 404
  NoSuchKey when there is none) as it checks `If-None-Match: *`; moto ignored If-Match.
- CompleteMultipartUpload names the upload by bucket, key and upload id: an upload id of another key
  or of no upload is 404 NoSuchUpload (moto completed another key's upload under the key of the
  request, or failed with 500), a request without a body is 400 MalformedXML (moto stored an empty
  object). The answer carries no x-amz-version-id in a bucket without versioning (moto said `null`).
- Object Lock settings given at CreateMultipartUpload (x-amz-object-lock-mode,
  -retain-until-date, -legal-hold) are kept on the finished object; moto dropped them. On a bucket
  without Object Lock they are refused (400 InvalidRequest), as S3 does.
"""
import threading

from moto.s3.exceptions import MalformedXML, MissingKey, NoSuchUpload, PreconditionFailed
from moto.s3.models import FakeMultipart, S3Backend
from moto.s3.responses import S3Response

from moto_s3_errors import S3Error

_request = threading.local()
LOCK_HEADERS = ("x-amz-object-lock-mode", "x-amz-object-lock-retain-until-date", "x-amz-object-lock-legal-hold")


def _upload_of_request(self: S3Response, key_name: str, upload_id: str) -> FakeMultipart:
    multipart = self.backend.get_bucket(self.bucket_name).multiparts.get(upload_id)
    if multipart is None or multipart.key_name != key_name:
        raise NoSuchUpload(upload_id)
    return multipart


_key_response_post = S3Response._key_response_post


def key_response_post(self: S3Response, request, body: bytes, bucket_name: str, query: dict, key_name: str):
    upload_id = (query.get("uploadId") or [None])[0]
    if "uploads" in query and body == b"":
        lock = {name: request.headers.get(name) for name in LOCK_HEADERS if request.headers.get(name)}
        if lock and not self.backend.get_bucket(bucket_name).object_lock_enabled:
            raise S3Error("InvalidRequest", "Bucket is missing Object Lock Configuration")
        _request.lock = lock
        try:
            return _key_response_post(self, request, body, bucket_name, query, key_name)
        finally:
            _request.lock = None
    if upload_id is None:
        return _key_response_post(self, request, body, bucket_name, query, key_name)
    existing = self.backend.get_object(bucket_name, key_name)
    completed_before = existing is not None and existing.multipart is not None and existing.multipart.id == upload_id
    if not completed_before:
        _upload_of_request(self, key_name, upload_id)
        if not body.strip():
            raise MalformedXML()
        if_match = request.headers.get("If-Match")
        if if_match is not None:
            if existing is None:
                raise MissingKey(key=key_name)
            if if_match.replace('"', "").strip() != existing.etag.replace('"', ""):
                raise PreconditionFailed("If-Match")
    status, headers, answer = _key_response_post(self, request, body, bucket_name, query, key_name)
    if headers.get("x-amz-version-id") == "null":
        del headers["x-amz-version-id"]
    return status, headers, answer


_create_multipart_upload = S3Backend.create_multipart_upload


def create_multipart_upload(self: S3Backend, *args, **kwargs) -> FakeMultipart:
    multipart = _create_multipart_upload(self, *args, **kwargs)
    multipart.lock = getattr(_request, "lock", None) or {}
    return multipart


_complete_multipart_upload = S3Backend.complete_multipart_upload


def complete_multipart_upload(self: S3Backend, bucket_name: str, multipart_id: str, body):
    multipart = self.get_bucket(bucket_name).multiparts.get(multipart_id)
    key = _complete_multipart_upload(self, bucket_name, multipart_id, body)
    lock = getattr(multipart, "lock", None) or {}
    if key is not None and lock:
        key.lock_mode = lock.get("x-amz-object-lock-mode")
        key.lock_until = lock.get("x-amz-object-lock-retain-until-date")
        key.lock_legal_status = lock.get("x-amz-object-lock-legal-hold")
    return key


S3Response._key_response_post = key_response_post
S3Backend.create_multipart_upload = create_multipart_upload
S3Backend.complete_multipart_upload = complete_multipart_upload
