"""UploadPartCopy and CompleteMultipartUpload in moto_server as S3 does them, for the local AWS
(imported by moto-server.py).

- UploadPartCopy: moto 5 reads the whole source object for every part it copies, under the object's
  lock, and then slices the range: a 100 MiB object copied in 13 parts reads 1.3 GiB, one part at a
  time whatever the client's concurrency. This reads only the part's range (from a source held in a
  file, without the lock: parallel part copies read at once), and hashes the part's ETag from the
  bytes in hand. It also refuses, as S3 does, a range that does not lie within the source object
  (InvalidArgument), where moto copied whatever the slice held, and a range that is not of the form
  `bytes=first-last` (`0-2`, `bytes=0`, `bytes=hello-`, `bytes=5-`, two ranges: 400 InvalidArgument),
  where moto copied the whole source.
- CompleteMultipartUpload: moto copies the whole object five times over (each part read twice, two
  concatenations, two conversions to bytes) before storing it. This reads each part once, straight
  into its place in the object, and computes the full-object checksum on that (same algorithm, same
  value).
- Storing a value larger than a key's in-memory buffer (MOTO_S3_DEFAULT_KEY_BUFFER_SIZE, 5 MiB by
  default): moto's spooled file takes it in memory first and then copies it to its file; this
  writes it to the file at once.
"""
import os
import re

from moto.s3 import models
from moto.s3.exceptions import EntityTooSmall, InvalidArgumentError, InvalidPart, MalformedXML
from moto.s3.models import FakeKey, FakeMultipart, MultipartChecksumBuilder, S3Backend, compute_checksum
from moto.s3.responses import S3Response
from moto.utilities.utils import md5_hash


COPY_SOURCE_RANGE = re.compile(r"bytes=([0-9]+)-([0-9]+)")


def checking_copy_source_range(handler):
    def handle(self: S3Response):
        value = self.headers.get("x-amz-copy-source-range")
        if value is not None and not COPY_SOURCE_RANGE.fullmatch(value.strip()):
            raise InvalidArgumentError(
                "The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy",
                "x-amz-copy-source-range",
                value,
            )
        return handler(self)

    return handle


def read_range(source, start: int, length: int) -> bytes:
    """`length` bytes of a key's value from `start`."""
    buffer = source._value_buffer
    if getattr(buffer, "_rolled", False):
        # In a file: positioned reads need no shared file position, so no lock (once written out).
        with source.lock:
            buffer.flush()
        return os.pread(buffer.fileno(), length, start)
    with source.lock:
        buffer.seek(start)
        return buffer.read(length)


def upload_part_copy(
    self,
    dest_bucket_name,
    multipart_id,
    part_id,
    src_bucket_name,
    src_key_name,
    src_version_id,
    start_byte,
    end_byte,
):
    multipart = self.get_bucket(dest_bucket_name).multiparts[multipart_id]
    source = self.get_object(src_bucket_name, src_key_name, version_id=src_version_id)
    if start_byte is None:
        value = source.value
    else:
        size = source.size
        if start_byte < 0 or end_byte < start_byte or end_byte >= size:
            raise InvalidArgumentError(
                f"Range specified is not valid for source object of size: {size}",
                "x-amz-copy-source-range",
                f"bytes={start_byte}-{end_byte}",
            )
        value = read_range(source, start_byte, end_byte - start_byte + 1)
    etag = md5_hash(value).hexdigest()
    part = multipart.set_part(part_id, value)
    part._etag = etag
    return part


def read_value_into(view: memoryview, key) -> None:
    """Reads a key's value into `view` (exactly its size), with no intermediate copy."""
    with key.lock:
        buffer = key._value_buffer
        buffer.seek(0)
        if getattr(buffer, "_rolled", True):
            # The spooled file's own readinto: one copy, from the file to `view`.
            filled = 0
            while filled < len(view):
                count = buffer.readinto(view[filled:])
                if not count:
                    raise EOFError(f"part {key.name} is shorter than its size")
                filled += count
        else:
            view[:] = buffer._file.getbuffer()


def complete(self, body):
    builder = MultipartChecksumBuilder(self.metadata.get("x-amz-checksum-algorithm"), self.metadata.get("x-amz-checksum-type"))
    composite = builder.checksum_type == "COMPOSITE"
    parts = []
    md5s = bytearray()
    last = None
    for number, etag in body:
        part = self.parts.get(number)
        if part is None or part.etag.replace('"', "") != etag.replace('"', ""):
            raise InvalidPart()
        if last is not None and last.contentsize < models.S3_UPLOAD_PART_MIN_SIZE:
            raise EntityTooSmall()
        md5s.extend(bytes.fromhex(part.etag.replace('"', "")))
        parts.append(part)
        last = part
    if not parts:
        raise MalformedXML
    # The object, filled part by part in place: one copy of each byte.
    total = bytearray(sum(part.contentsize for part in parts))
    view = memoryview(total)
    offset = 0
    for part in parts:
        read_value_into(view[offset : offset + part.contentsize], part)
        if composite:
            builder.addPart(view[offset : offset + part.contentsize])
        offset += part.contentsize
    view.release()
    if composite:
        checksum = builder.build()
    else:
        checksum = (builder.checksum_type, compute_checksum(total, builder.checksum_algorithm).decode(), 1)
    return total, f"{md5_hash(bytes(md5s)).hexdigest()}-{len(parts)}", checksum


_set_value = FakeKey.value.fset


def set_value(self, new_value) -> None:
    buffer = self._value_buffer
    if not getattr(buffer, "_rolled", True) and len(new_value) > self._max_buffer_size:
        buffer.rollover()
    _set_value(self, new_value)


S3Backend.upload_part_copy = upload_part_copy
S3Response.upload_part_copy = checking_copy_source_range(S3Response.upload_part_copy)
FakeKey.value = FakeKey.value.setter(set_value)
FakeMultipart.complete = complete
