"""An example shop in Python's standard library alone (no framework, no pip): a checkout and a
sign-in that Kount 360 may challenge, finished in the browser by <verification-flow> through the
standalone relay.

    RELAY_ADMIN_URL=http://127.0.0.1:8789 RELAY_ADMIN_API_KEY=... SHOP_PUBLIC_ORIGIN=https://shop.example.com \\
      PORT=8000 python3 shop.py

The shop talks to the relay's admin API (server to server, never through the proxy); the page talks
to the shop and, for the challenge, to the relay's browser API under /verify on the same origin
(see examples/nginx). `http.server` is fine behind nginx for an example; a production shop would
put the same handlers in its WSGI or ASGI framework.
"""

import hashlib
import hmac
import ipaddress
import json
import os
import re
import secrets
import sys
import urllib.error
import urllib.request
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

# Every account of the example has this password; anything else is a wrong password, reported to Kount.
EXAMPLE_PASSWORD = "northwind"
# The MFA template a tenant sets up in the Kount portal (the sandbox takes any name).
LOGIN_MFA_TEMPLATE = "ExampleLoginMfa"
# Which inquiry the open order or sign-in is. A real shop keeps it in its order table or session;
# this one has neither, so it keeps it in a cookie of its own, beside the relay's.
INQUIRY_COOKIES = {"checkout": "__Host-shop-order", "sign-in": "__Host-shop-sign-in"}
# The proxy in front (nginx on this machine): only its X-Forwarded-For is believed.
TRUSTED_PROXIES = {"127.0.0.1", "::1"}
PAGES = {"/": "checkout.html", "/sign-in": "sign-in.html", "/shop.js": "shop.js", "/shop.css": "shop.css"}
CONTENT_TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}
PAGE_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; "
    "require-trusted-types-for 'script'; trusted-types lit-html"
)
PHONE = re.compile(r"^\+?[0-9 ().-]{7,24}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
INQUIRY_ID = re.compile(r"^[A-Za-z0-9-]{1,64}$")


def setting(name):
    value = os.environ.get(name, "").strip()
    if not value:
        sys.exit(f"shop: {name} is not set")
    return value


RELAY_ADMIN_URL = setting("RELAY_ADMIN_URL").rstrip("/")
RELAY_ADMIN_API_KEY = setting("RELAY_ADMIN_API_KEY")
SHOP_PUBLIC_ORIGIN = setting("SHOP_PUBLIC_ORIGIN")
PAGES_DIR = Path(os.environ.get("PAGES_DIR") or Path(__file__).resolve().parent.parent / "pages")


class ShopError(Exception):
    """An answer for the page: status, error code and a message a shopper can read."""

    def __init__(self, status, code, message, headers=()):
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, list(headers)


def relay_post(path, body):
    """POSTs to the relay's admin API: (status, decoded body, Retry-After). Never sends an Origin header."""
    request = urllib.request.Request(
        RELAY_ADMIN_URL + path,
        data=json.dumps(body).encode(),
        method="POST",
        headers={"Authorization": f"Bearer {RELAY_ADMIN_API_KEY}", "Content-Type": "application/json", "Accept": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=15) as response:
            status, text, retry_after = response.status, response.read(), None
    except urllib.error.HTTPError as error:
        status, text, retry_after = error.code, error.read(), error.headers.get("Retry-After")
    except (urllib.error.URLError, TimeoutError) as error:
        print(f"shop: the relay did not answer {path}: {error}", file=sys.stderr)
        raise ShopError(502, "relay_unavailable", "The verification service is unavailable. Try again later.") from None
    try:
        answer = json.loads(text) if text else {}
    except ValueError:
        answer = {}
    return status, answer if isinstance(answer, dict) else {}, retry_after


def relay_failed(path, status, answer, retry_after):
    """What the page is told when the relay refused or failed: the shopper never sees the relay's internals."""
    if status == 429:
        raise ShopError(429, "send_limited", "Too many codes were sent. Try again later.", [("Retry-After", retry_after)] if retry_after else [])
    code = (answer.get("error") or {}).get("code", "no error code")
    print(f"shop: the relay answered {status} to {path}: {code}", file=sys.stderr)
    raise ShopError(502, "relay_error", "The verification service is unavailable. Try again later.")


def email_of(body):
    email = body.get("email")
    if not isinstance(email, str) or len(email) > 254 or not EMAIL.match(email.strip()):
        return None
    return email.strip().lower()


def phone_of(body):
    """`+1 555 010 4567` -> `+15550104567`; None when empty; raises when it is not a phone number."""
    phone = body.get("phone")
    if phone is None or (isinstance(phone, str) and phone.strip() == ""):
        return None
    if not isinstance(phone, str) or not PHONE.match(phone.strip()):
        raise ShopError(400, "invalid_body", "Enter a phone number like +1 555 010 4567.")
    return re.sub(r"[^0-9+]", "", phone)


def hex_id():
    return secrets.token_hex(16)


def account_id(email):
    """The shop's own account id: a hash, so the e-mail address does not travel as an id."""
    return hashlib.sha256(f"example-shop-account:{email}".encode()).hexdigest()[:32]


def start_answer(journey, answer):
    """A start's answer: on CHALLENGE the browser gets the relay's cookie and the shop's inquiry cookie."""
    decision = answer.get("decision", "REVIEW")
    set_cookie = (answer.get("challenge") or {}).get("setCookie")
    if decision != "CHALLENGE":
        return 200, {"outcome": decision}, []
    if not set_cookie:
        # Kount asked for a challenge the page cannot finish (no MFA started): hold it for review.
        return 200, {"outcome": "REVIEW"}, []
    inquiry_cookie = f"{INQUIRY_COOKIES[journey]}={answer['inquiryId']}; Path=/; Secure; HttpOnly; SameSite=Strict"
    return 200, {"outcome": "CHALLENGE"}, [("Set-Cookie", set_cookie), ("Set-Cookie", inquiry_cookie)]


class Shop(BaseHTTPRequestHandler):
    server_version = "ExampleShop"
    sys_version = ""

    def do_GET(self):
        path = self.path.split("?", 1)[0]
        if path == "/api/health":
            self.send_json(200, {"shop": "python"})
        elif path in PAGES:
            self.send_page(PAGES[path])
        elif path in self.routes():
            self.send_error_json(ShopError(405, "method_not_allowed", "Use POST.", [("Allow", "POST")]))
        else:
            self.send_error_json(ShopError(404, "not_found", "There is no such page."))

    def do_POST(self):
        route = self.routes().get(self.path.split("?", 1)[0])
        try:
            if route is None:
                raise ShopError(404, "not_found", "There is no such page.")
            self.refuse_cross_site()
            status, body, headers = route()
            self.send_json(status, body, headers)
        except ShopError as error:
            self.send_error_json(error)

    def routes(self):
        return {
            "/api/checkout": self.start_checkout,
            "/api/checkout/confirm": lambda: self.confirm("checkout"),
            "/api/sign-in": self.start_sign_in,
            "/api/sign-in/confirm": lambda: self.confirm("sign-in"),
        }

    def refuse_cross_site(self):
        """The shop's CSRF guard: the page's header (a form on another site cannot send it) and, when named, this origin."""
        if self.headers.get("x-k360-verify") != "1":
            raise ShopError(403, "csrf_rejected", "This request needs the x-k360-verify header.")
        origin = self.headers.get("Origin")
        if origin is not None and origin != SHOP_PUBLIC_ORIGIN:
            raise ShopError(403, "origin_rejected", "Requests from this origin are not accepted.")

    def posted_object(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length > 16_384:
            raise ShopError(413, "body_too_large", "The request body is too large.")
        try:
            body = json.loads(self.rfile.read(length) or b"null")
        except ValueError:
            body = None
        if not isinstance(body, dict):
            raise ShopError(400, "invalid_body", "The request body must be a JSON object.")
        return body

    def client_ip(self):
        """The shopper's address: behind the proxy, the one it saw (it overwrites X-Forwarded-For with it)."""
        peer = self.client_address[0]
        forwarded = self.headers.get("X-Forwarded-For", "")
        candidate = forwarded.split(",")[-1].strip() if peer in TRUSTED_PROXIES and forwarded else peer
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            return None

    def with_client_ip(self, request):
        ip = self.client_ip()
        return {**request, "clientIp": ip} if ip else request

    def start_checkout(self):
        body = self.posted_object()
        email, phone = email_of(body), phone_of(body)
        if email is None:
            raise ShopError(400, "invalid_body", "Enter an e-mail address and a phone number.")
        contact = {"email": email, **({"phoneNumber": phone} if phone else {})}
        request = self.with_client_ip({
            "contact": contact,
            "assessment": {
                "strategy": "CheckoutStepUp",
                "inquiryId": str(uuid.uuid4()),
                "channel": "WEB",
                # A real page passes the id it gave Kount's device data collector.
                "deviceSessionId": hex_id(),
                "applicant": contact,
            },
        })
        status, answer, retry_after = relay_post("/admin/v1/assessments", request)
        if status != 200:
            relay_failed("/admin/v1/assessments", status, answer, retry_after)
        return start_answer("checkout", answer)

    def start_sign_in(self):
        body = self.posted_object()
        email, phone, password = email_of(body), phone_of(body), body.get("password")
        if email is None or not isinstance(password, str) or not 0 < len(password) <= 128:
            raise ShopError(400, "invalid_body", "Enter your e-mail address and password.")
        login_url = f"{SHOP_PUBLIC_ORIGIN}/sign-in"
        account = {"id": account_id(email), "username": email}
        if not hmac.compare_digest(password.encode(), EXAMPLE_PASSWORD.encode()):
            # The shop checks the password itself; Kount counts the failure against the account.
            attempt = {"inquiryId": hex_id(), "channel": "WEB", "deviceSessionId": hex_id(), "loginUrl": login_url, "account": account}
            status, answer, retry_after = relay_post("/admin/v1/failed-attempts", attempt)
            if status != 204:
                relay_failed("/admin/v1/failed-attempts", status, answer, retry_after)
            raise ShopError(401, "wrong_password", "That e-mail and password do not match.")
        contact = {"email": email, **({"phoneNumber": phone} if phone else {})}
        request = self.with_client_ip({
            "contact": contact,
            "login": {
                # Login v2 refuses hyphens in inquiryId.
                "inquiryId": hex_id(),
                "channel": "WEB",
                "deviceSessionId": hex_id(),
                "loginUrl": login_url,
                "account": account,
                "person": {"emailAddress": email, **({"phoneNumber": phone} if phone else {})},
                "strategy": {"mfaTemplateName": LOGIN_MFA_TEMPLATE},
            },
        })
        status, answer, retry_after = relay_post("/admin/v1/logins", request)
        if status != 200:
            relay_failed("/admin/v1/logins", status, answer, retry_after)
        return start_answer("sign-in", answer)

    def confirm(self, journey):
        """The decision that counts, read from the relay once: a second confirmation is refused (409 outcome_consumed)."""
        cookie_header = self.headers.get("Cookie", "")
        cookies = dict(pair.strip().split("=", 1) for pair in cookie_header.split(";") if "=" in pair)
        inquiry_id = cookies.get(INQUIRY_COOKIES[journey], "")
        if not INQUIRY_ID.match(inquiry_id):
            raise ShopError(409, "no_verification", "There is no verification to confirm. Start again.")
        status, answer, retry_after = relay_post("/admin/v1/confirmations", {"cookie": cookie_header, "inquiryId": inquiry_id})
        if status == 200:
            # Here a real shop takes the payment (ALLOW) or signs the shopper in, exactly once.
            return 200, {"state": answer.get("state", "decided"), "decision": answer.get("decision", "REVIEW")}, []
        if status in (404, 409):
            error = answer.get("error") or {}
            raise ShopError(status, error.get("code", "not_confirmed"), error.get("message", "This verification cannot be confirmed."))
        relay_failed("/admin/v1/confirmations", status, answer, retry_after)

    def send_page(self, name):
        """The page itself, with the policy the elements are built for: no inline script or style, Trusted Types on."""
        try:
            content = (PAGES_DIR / name).read_bytes()
        except OSError:
            return self.send_error_json(ShopError(404, "not_found", "There is no such page."))
        self.send_response(200)
        self.send_header("Content-Type", CONTENT_TYPES[Path(name).suffix])
        self.send_header("Content-Security-Policy", PAGE_POLICY)
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        self.wfile.write(content)

    def send_json(self, status, body, headers=()):
        content = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Cache-Control", "no-store")
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        self.wfile.write(content)

    def send_error_json(self, error):
        self.send_json(error.status, {"error": {"code": error.code, "message": error.message}}, error.headers)

    def log_message(self, format, *args):
        # Request lines name paths only, but a shop's logs are no place for shoppers' details: errors alone go to stderr.
        pass


if __name__ == "__main__":
    host, port = os.environ.get("HOST", "127.0.0.1"), int(os.environ.get("PORT", "8000"))
    server = ThreadingHTTPServer((host, port), Shop)
    print(json.dumps({"event": "shop.listening", "shop": "python", "url": f"http://{host}:{server.server_address[1]}"}), flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
