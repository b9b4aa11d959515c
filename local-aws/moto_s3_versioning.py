"""Versioning in moto_server as S3 does it, for the local AWS (imported by moto-server.py).

- Versioning suspended: moto treats a suspended bucket as one that never had versioning, so a PUT or
  a DELETE without a version id replaces or removes every version of the key. S3 keeps the versions
  and touches only the null version: a PUT replaces the null version (if any) with the new object,
  version id `null`; a DELETE replaces it with a delete marker whose version id is `null`
  (x-amz-delete-marker: true, x-amz-version-id: null). Versions stay readable by id (HeadObject
  with versionId included: moto answered 400 in a suspended bucket).
- An Object Lock bucket cannot have its versioning suspended: 409 InvalidBucketState (moto allowed
  it, after which locked versions could be deleted).
"""
import threading

from moto.s3.models import FakeBucket, FakeDeleteMarker, S3Backend
from moto.s3.responses import S3Response

from moto_s3_errors import S3Error

NULL = "null"
_reading_versions = threading.local()


def _suspended(bucket: FakeBucket) -> bool:
    return bucket.versioning_status == "Suspended"


def _without_null_version(versions: list) -> list:
    return [version for version in versions if str(version.version_id) != NULL]


_put_object = S3Backend.put_object


def put_object(self: S3Backend, bucket_name: str, key_name: str, *args, **kwargs):
    bucket = self.get_bucket(bucket_name)
    if not _suspended(bucket):
        return _put_object(self, bucket_name, key_name, *args, **kwargs)
    versions = bucket.keys.getlist(key_name, [])
    kept = _without_null_version(versions)
    if not kept:
        return _put_object(self, bucket_name, key_name, *args, **kwargs)
    # moto stores the new key (version id null) as the key's only version and disposes of the others:
    # it is shown only the null version (which it disposes of), and the others are put back after.
    dict.__setitem__(bucket.keys, key_name, [version for version in versions if version not in kept])
    try:
        new_key = _put_object(self, bucket_name, key_name, *args, **kwargs)
    except BaseException:
        dict.__setitem__(bucket.keys, key_name, versions)
        raise
    bucket.keys.setlist(key_name, kept + [new_key])
    return new_key


_delete_object = S3Backend.delete_object


def delete_object(self: S3Backend, bucket_name: str, key_name: str, version_id: str | None = None, bypass: bool = False):
    bucket = self.get_bucket(bucket_name)
    versions = bucket.keys.getlist(key_name, []) if isinstance(bucket, FakeBucket) else []
    if version_id is not None or not _suspended(bucket) or not versions:
        return _delete_object(self, bucket_name, key_name, version_id=version_id, bypass=bypass)
    marker = FakeDeleteMarker(key=versions[-1])
    marker._version_id = NULL
    bucket.keys.setlist(key_name, _without_null_version(versions) + [marker])
    return True, {"version-id": NULL, "delete-marker": "true"}


_put_bucket_versioning = S3Backend.put_bucket_versioning


def put_bucket_versioning(self: S3Backend, bucket_name: str, status: str) -> None:
    bucket = self.get_bucket(bucket_name)
    if bucket.object_lock_enabled and status != "Enabled":
        raise S3Error("InvalidBucketState", "An Object Lock configuration is present on this bucket, so the versioning state cannot be changed.")
    _put_bucket_versioning(self, bucket_name, status)


def _is_versioned(self: FakeBucket) -> bool:
    # While a request reads a version by id, a suspended bucket has versions too.
    return self.versioning_status == "Enabled" or (_suspended(self) and getattr(_reading_versions, "active", False))


_head_object = S3Response.head_object


def head_object(self: S3Response, *args, **kwargs):
    _reading_versions.active = True
    try:
        return _head_object(self, *args, **kwargs)
    finally:
        _reading_versions.active = False


S3Backend.put_object = put_object
S3Backend.delete_object = delete_object
S3Backend.put_bucket_versioning = put_bucket_versioning
FakeBucket.is_versioned = property(_is_versioned)
S3Response.head_object = head_object
