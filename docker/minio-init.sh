#!/bin/sh
# The `minio-init` job: the lake bucket (private) and a user that can reach that bucket only, which the
# pipeline uses instead of MinIO's root account. Every step is idempotent, so re-running `make up` is safe.
set -eu

mc alias set lake http://minio:9000 "$MINIO_ROOT_USER" "$MINIO_ROOT_PASSWORD" >/dev/null
mc mb --ignore-existing "lake/$LAKE_BUCKET"
mc anonymous set none "lake/$LAKE_BUCKET"

policy_file="${TMPDIR:-/tmp}/lake-readwrite.json"
cat > "$policy_file" <<POLICY
{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Action": ["s3:GetBucketLocation", "s3:ListBucket"], "Resource": ["arn:aws:s3:::$LAKE_BUCKET"]},
    {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"],
     "Resource": ["arn:aws:s3:::$LAKE_BUCKET/*"]}
  ]
}
POLICY
mc admin policy create lake lake-readwrite "$policy_file"
mc admin user add lake "$LAKE_ACCESS_KEY_ID" "$LAKE_SECRET_ACCESS_KEY"
mc admin policy attach lake lake-readwrite --user "$LAKE_ACCESS_KEY_ID" 2>/dev/null \
    || echo "policy lake-readwrite already attached to $LAKE_ACCESS_KEY_ID"
echo "bucket $LAKE_BUCKET ready; user $LAKE_ACCESS_KEY_ID can read and write it"
