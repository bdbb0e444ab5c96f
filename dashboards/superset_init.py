"""Superset's set-up in one process: migrate the metadata DB, sync roles and permissions, ensure the admin.

The same steps as `superset db upgrade`, `superset init` and `superset fab create-admin`, which load the
whole app three times; here once. Runs inside Superset's own venv (`server.initialise` calls it), so
it may import Superset; the admin's name and password come from the environment, never the command line.
"""

import os

from flask_migrate import upgrade
from superset.app import create_app


def main() -> None:
    app = create_app()
    with app.app_context():
        upgrade()
        from superset.extensions import appbuilder, security_manager

        appbuilder.add_permissions(update_perms=True)
        security_manager.sync_role_definitions()
        name, password = os.environ["SUPERSET_ADMIN_USER"], os.environ["SUPERSET_ADMIN_PASSWORD"]
        admin = security_manager.find_user(username=name)
        if admin is None:
            role = security_manager.find_role(security_manager.auth_role_admin)
            if not security_manager.add_user(name, "Admin", "User", f"{name}@localhost", role, password=password):
                raise SystemExit(f"could not create the admin user {name!r}")
        else:
            # Keep the password in step with SUPERSET_ADMIN_PASSWORD.
            security_manager.reset_password(admin.id, password)
        print(f"metadata DB migrated, roles synced, admin {name!r} ready")


if __name__ == "__main__":
    main()
