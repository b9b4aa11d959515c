"""Versioning in moto_server as S3 does it, for the local AWS (imported by moto-server.py).

- Versioning suspended: moto treats a suspended bucket as one that never had versioning, so a PUT or
  a DELETE without a version id replaces or removes every version of the key. S3 keeps the versions
  and touches only the null version: a PUT replaces the null version (if any) with the new object,
  version id `null`; a DELETE replaces it with a delete marker whose version id is `null`
  (x-amz-delete-marker: true, x-amz-version-id: null). Versions stay readable by id (HeadObject
  with versionId included: moto answered 400 in a suspended bucket).
- An Object Lock bucket cannot have its versioning suspended: 409 InvalidBucketState (moto allowed
  it, after which locked versions could be deleted).
- ListObjectVersions pages on from its markers by position: after the KeyMarker key (KeyMarker
  alone), or after that version of it (with VersionIdMarker). moto looked for the marker version
  itself and answered nothing when it had been deleted meanwhile, and with a KeyMarker alone skipped
  only the key's first version. Versions are listed newest first as stored (not by a timestamp that
  two writes in one millisecond share), without copying each version's bytes as moto did.
- Deleting a delete marker by its version id answers DeleteMarker true (x-amz-delete-marker, and in
  DeleteObjects DeleteMarker and DeleteMarkerVersionId), as S3 does.
"""
import threading

from moto.s3.models import FakeKey

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
        marker = isinstance(bucket, FakeBucket) and _is_delete_marker(bucket, key_name, version_id)
        success, headers = _delete_object(self, bucket_name, key_name, version_id=version_id, bypass=bypass)
        if marker:
            headers["delete-marker"] = "true"
        return success, headers
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


def _is_delete_marker(bucket: FakeBucket, key_name: str, version_id: str | None) -> bool:
    return version_id is not None and any(
        isinstance(version, FakeDeleteMarker) and str(version.version_id) == str(version_id) for version in bucket.keys.getlist(key_name, [])
    )


def delete_objects(self: S3Backend, bucket_name: str, objects: list, bypass_retention: bool = False):
    from moto.s3.exceptions import AccessDeniedByLock

    bucket = self.get_bucket(bucket_name)
    deleted, errors = [], []
    for entry in objects:
        key_name, version_id = entry["Key"], entry.get("VersionId")
        try:
            _success, headers = self.delete_object(bucket_name, key_name, version_id=version_id, bypass=bypass_retention)
        except AccessDeniedByLock:
            errors.append(key_name)
            continue
        # (key, version id, delete marker version id): the marker made, or the marker deleted.
        marker = headers.get("version-id") if headers.get("delete-marker") == "true" else None
        deleted.append((key_name, version_id, marker))
    return deleted, errors


def list_object_versions(
    self: S3Backend,
    bucket_name: str,
    delimiter: str | None = None,
    key_marker: str | None = None,
    max_keys: int | None = 1000,
    prefix: str = "",
    version_id_marker: str | None = None,
):
    bucket = self.get_bucket(bucket_name)
    prefix = prefix or ""
    common_prefixes: list[str] = []
    versions: list = []
    markers: list = []
    next_key_marker = next_version_id_marker = None
    count = 0
    for name in sorted(bucket.keys.keys()):
        if not name.startswith(prefix) or (key_marker is not None and name < key_marker):
            continue
        stored = list(reversed(bucket.keys.getlist(name, [])))
        for position, version in enumerate(stored):
            version.is_latest = position == 0
        if key_marker is not None and name == key_marker:
            ids = [str(version.version_id) for version in stored]
            if not version_id_marker or version_id_marker not in ids:
                continue
            stored = stored[ids.index(version_id_marker) + 1 :]
        rest = name[len(prefix) :]
        if delimiter and delimiter in rest:
            common = prefix + rest[: rest.index(delimiter) + len(delimiter)]
            if common in common_prefixes or (key_marker is not None and common <= key_marker):
                continue
            if max_keys is not None and count >= max_keys:
                break
            common_prefixes.append(common)
            count += 1
            next_key_marker = common
            continue
        for version in stored:
            if max_keys is not None and count >= max_keys:
                break
            (versions if isinstance(version, FakeKey) else markers).append(version)
            count += 1
            next_key_marker, next_version_id_marker = name, version.version_id
        else:
            continue
        break
    else:
        next_key_marker = next_version_id_marker = None
    if next_key_marker is not None and next_key_marker in common_prefixes:
        next_version_id_marker = None
    return versions, common_prefixes, markers, next_key_marker, next_version_id_marker


S3Backend.put_object = put_object
S3Backend.delete_objects = delete_objects
S3Backend.list_object_versions = list_object_versions
S3Backend.delete_object = delete_object
S3Backend.put_bucket_versioning = put_bucket_versioning
FakeBucket.is_versioned = property(_is_versioned)
S3Response.head_object = head_object
