"""Timestamps in moto's responses without dateutil, for the local AWS (imported by moto-server.py).

moto's response serializer turns each timestamp (LastModified, ...) into an ISO 8601 string and
then parses that string again with botocore's parse_to_aware_datetime, which tries dateutil's
general parser: a good part of a small response's cost (CopyObject, UploadPartCopy, listings).
ISO 8601 strings are parsed here by datetime.fromisoformat, to the same aware UTC datetime; any
other value goes to botocore's parser as before.
"""
from datetime import datetime

from botocore.utils import parse_to_aware_datetime
from dateutil.tz import tzutc
from moto.core import serialize

UTC = tzutc()


def parse_iso8601_to_aware_datetime(value):
    if isinstance(value, str) and len(value) >= 19 and value[10:11] == "T":
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            return parse_to_aware_datetime(value)
        return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
    return parse_to_aware_datetime(value)


serialize.parse_to_aware_datetime = parse_iso8601_to_aware_datetime
