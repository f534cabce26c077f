"""
A minimal Django project around Django OAuth Toolkit (Debian's python3-django-oauth-toolkit), the
second, independent authorization server our tests run against (the first is oidc-provider).

Run with Debian's interpreter: /usr/bin/python3 server.py DB_PATH
It migrates a fresh SQLite database, creates the clients and the user below, listens on a free
127.0.0.1 port and prints one JSON line ({"port": …, "issuer": …, "clients": …}) on stdout.

Glue for tests only, never part of a real deployment:
- /accounts/login/ signs the user "alice" in at once and goes on to ?next= (no password page).
- POST /test/age-codes makes every issued authorization code expired now, so the server's own
  expiry check refuses it (an expired code without a real wait).
"""

import json
import os
import sys
import threading

DB_PATH = sys.argv[1]
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import django  # noqa: E402
from django.conf import settings  # noqa: E402


def rsa_key_pem():
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


settings.configure(
    DEBUG=False,
    SECRET_KEY="dot-test-server-not-secret",
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    ROOT_URLCONF="urls",
    # APPEND_SLASH (CommonMiddleware) is on, as in every default Django project: it is what answers
    # /o/.well-known/openid-configuration with a 301 to the same path plus "/".
    MIDDLEWARE=[
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.middleware.common.CommonMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
    ],
    INSTALLED_APPS=[
        "django.contrib.auth",
        "django.contrib.contenttypes",
        "django.contrib.sessions",
        "oauth2_provider",
    ],
    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": DB_PATH}},
    TEMPLATES=[{"BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True}],
    USE_TZ=True,
    LOGIN_URL="/accounts/login/",
    OAUTH2_PROVIDER={
        "OIDC_ENABLED": True,
        "OIDC_RSA_PRIVATE_KEY": rsa_key_pem(),
        "PKCE_REQUIRED": True,
        "ROTATE_REFRESH_TOKEN": True,
        "SCOPES": {"openid": "OpenID Connect", "read": "Read", "write": "Write"},
        "DEFAULT_SCOPES": ["read"],
    },
    LOGGING={"version": 1, "disable_existing_loggers": True},
)
django.setup()

from django.core.management import call_command  # noqa: E402

call_command("migrate", verbosity=0, interactive=False)

from django.contrib.auth import get_user_model  # noqa: E402
from oauth2_provider.models import get_application_model  # noqa: E402

Application = get_application_model()
user = get_user_model().objects.create_user("alice", password="alice-password")

# Loopback redirect URIs without a port: DOT allows any port on them (RFC 8252 §7.3).
REDIRECTS = "http://127.0.0.1/callback http://127.0.0.1/cb"
CLIENTS = [
    dict(client_id="dot-public", client_type=Application.CLIENT_PUBLIC, grant=Application.GRANT_AUTHORIZATION_CODE, secret=""),
    dict(client_id="dot-confidential", client_type=Application.CLIENT_CONFIDENTIAL, grant=Application.GRANT_AUTHORIZATION_CODE, secret="dot-confidential-secret"),
    dict(client_id="dot-service", client_type=Application.CLIENT_CONFIDENTIAL, grant=Application.GRANT_CLIENT_CREDENTIALS, secret="dot-service-secret"),
]
for c in CLIENTS:
    Application.objects.create(
        client_id=c["client_id"],
        client_secret=c["secret"],
        client_type=c["client_type"],
        authorization_grant_type=c["grant"],
        redirect_uris=REDIRECTS if c["grant"] == Application.GRANT_AUTHORIZATION_CODE else "",
        name=c["client_id"],
        user=user,
        # No consent page: the tests sign in and come straight back with a code.
        skip_authorization=True,
        algorithm=Application.RS256_ALGORITHM,
    )

from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


httpd = ThreadedWSGIServer(("127.0.0.1", 0), QuietHandler)
httpd.daemon_threads = True
httpd.set_app(get_wsgi_application())
port = httpd.server_address[1]
print(
    json.dumps(
        {
            "port": port,
            "issuer": f"http://127.0.0.1:{port}/o",
            "clients": [{"client_id": c["client_id"], "client_secret": c["secret"] or None} for c in CLIENTS],
        }
    ),
    flush=True,
)


def stop_when_parent_goes():
    # The test runner closes our stdin when it stops (or dies): no orphaned server.
    sys.stdin.read()
    httpd.shutdown()


threading.Thread(target=stop_when_parent_goes, daemon=True).start()
httpd.serve_forever()
