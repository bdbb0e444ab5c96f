"""The Superset dashboard over the marts, as code: config, server control, and an idempotent provisioner."""
