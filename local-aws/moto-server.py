"""moto_server for the local AWS, bound to 127.0.0.1, that stops by itself when its parent dies.

Usage: python3 moto-server.py PORT PARENT_PID
"""
import os
import sys
import threading
import time

import moto_lambda_aliases  # noqa: F401  (versions and aliases in CloudFormation, for the rehearsal; see the module)
import moto_cloudformation_sub  # noqa: F401  (Fn::Sub variables of any name, as CloudFormation takes them; see the module)
import moto_s3_copy  # noqa: F401  (copy-source conditions, the copy's ETag; see the module)
import moto_s3_part_copy  # noqa: F401  (UploadPartCopy reads only its range, a cheaper Complete; see the module)
import moto_timestamps  # noqa: F401  (timestamps in responses without dateutil; see the module)
import moto_s3_multipart  # noqa: F401  (CompleteMultipartUpload's checks, lock settings kept; see the module)
import moto_s3_objects  # noqa: F401  (metadata, checksums, GetObjectAttributes, GetObjectRetention; see the module)
import moto_s3_parts  # noqa: F401  (GetObject/HeadObject partNumber answer that part; see the module)
import moto_s3_versioning  # noqa: F401  (a suspended bucket keeps its versions; Object Lock keeps versioning on; see the module)
from moto_http_server import MotoHttpServer  # (keep-alive; see the module)

port = int(sys.argv[1])
parent = int(sys.argv[2])
server = MotoHttpServer("127.0.0.1", port)
threading.Thread(target=server.serve_forever, daemon=True).start()
print(f"moto listening on 127.0.0.1:{port}", flush=True)
try:
    while os.getppid() == parent:
        time.sleep(0.5)
finally:
    # The state is in memory only: exit at once. server.stop() was seen to hang after the parent
    # died, leaving moto on its port (it now serves S3 too, so an orphan holds two services' data).
    os._exit(0)
