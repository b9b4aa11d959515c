"""UploadPartCopy in moto_server as S3 does it, for the local AWS (imported by moto-server.py).

moto 5 reads the whole source object for every part it copies, under the object's lock, and then
slices the range: a 100 MiB object copied in 13 parts reads 1.3 GiB, one part at a time whatever the
client's concurrency. This reads only the part's range. It also refuses, as S3 does, a range
that does not lie within the source object (InvalidArgument), where moto copied whatever the
slice held.
"""
from moto.s3.exceptions import InvalidArgumentError
from moto.s3.models import S3Backend


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
        return multipart.set_part(part_id, source.value)
    size = source.size
    if start_byte < 0 or end_byte < start_byte or end_byte >= size:
        raise InvalidArgumentError(
            f"Range specified is not valid for source object of size: {size}",
            "x-amz-copy-source-range",
            f"bytes={start_byte}-{end_byte}",
        )
    with source.lock:
        source._value_buffer.seek(start_byte)
        value = source._value_buffer.read(end_byte - start_byte + 1)
    return multipart.set_part(part_id, value)


S3Backend.upload_part_copy = upload_part_copy
