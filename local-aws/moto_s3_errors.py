"""S3 error codes moto raises (or the local AWS's patches raise) with S3's HTTP status, for the local
AWS (imported by moto-server.py and the moto_s3_* patches).

moto answers an error with the status its service model gives the code, and 400 for a code the model
lacks (S3's model names almost none). S3 answers these with another status:
- InvalidBucketState: 409 Conflict (e.g. suspending versioning on an Object Lock bucket).
- InvalidPartNumber: 416 (GetObject or HeadObject partNumber beyond the parts).
- NoSuchObjectLockConfiguration: 404 (GetObjectRetention of an object without a retention).
- NotImplemented: 501 (what the local AWS refuses rather than answers wrongly).
"""
from moto.core import serialize
from moto.core.errors import ErrorShape
from moto.s3.exceptions import S3ClientError

STATUS = {"InvalidBucketState": 409, "InvalidPartNumber": 416, "NoSuchObjectLockConfiguration": 404, "NotImplemented": 501}

_get_error_model = serialize.get_error_model


def get_error_model(exception, service_model):
    code = getattr(exception, "code", None)
    if code in STATUS and getattr(service_model, "service_name", None) == "s3":
        return ErrorShape(
            shape_name=code,
            shape_model={"exception": True, "type": "structure", "members": {}, "error": {"code": code, "httpStatusCode": STATUS[code]}},
        )
    return _get_error_model(exception, service_model)


serialize.get_error_model = get_error_model


class S3Error(S3ClientError):
    """An S3 error by code and message (the status from STATUS, else moto's model, else 400)."""

    __module__ = "moto.s3.exceptions"  # moto finds the error's service by its module

    def __init__(self, code: str, message: str):
        super().__init__(code, message)


class NotImplementedHere(S3ClientError):
    """What the local AWS does not emulate: refused (501 NotImplemented) rather than answered wrongly."""

    __module__ = "moto.s3.exceptions"

    def __init__(self, what: str):
        super().__init__("NotImplemented", f"{what} is not implemented by the local AWS (moto).")
