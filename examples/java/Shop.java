/*
 * An example shop in Java 17 with the JDK alone (no framework, no build tool, no JSON library): a
 * checkout and a sign-in that Kount 360 may challenge, finished in the browser by
 * <verification-flow> through the standalone relay. Run from this folder:
 *
 *   RELAY_ADMIN_URL=http://127.0.0.1:8789 RELAY_ADMIN_API_KEY=... SHOP_PUBLIC_ORIGIN=https://shop.example.com \
 *     PORT=8000 java Shop.java
 *
 * The shop talks to the relay's admin API (server to server, never through the proxy); the page
 * talks to the shop and, for the challenge, to the relay's browser API under /verify on the same
 * origin (see examples/nginx). A production shop would put the same handlers in its framework and
 * use its JSON library instead of the small one at the end of this file.
 */

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;

public final class Shop {
    /** Every account of the example has this password; anything else is a wrong password, reported to Kount. */
    static final String EXAMPLE_PASSWORD = "northwind";
    /** The MFA template a tenant sets up in the Kount portal (the sandbox takes any name). */
    static final String LOGIN_MFA_TEMPLATE = "ExampleLoginMfa";
    /**
     * Which inquiry the open order or sign-in is. A real shop keeps it in its order table or session;
     * this one has neither, so it keeps it in a cookie of its own, beside the relay's.
     */
    static final Map<String, String> INQUIRY_COOKIES = Map.of("checkout", "__Host-shop-order", "sign-in", "__Host-shop-sign-in");
    static final Map<String, String> PAGES = Map.of("/", "checkout.html", "/sign-in", "sign-in.html", "/shop.js", "shop.js", "/shop.css", "shop.css");
    static final Map<String, String> CONTENT_TYPES = Map.of("html", "text/html; charset=utf-8", "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8");
    static final String PAGE_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
            + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; require-trusted-types-for 'script'; trusted-types lit-html";
    static final Pattern PHONE = Pattern.compile("^\\+?[0-9 ().-]{7,24}$");
    static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");
    static final Pattern INQUIRY_ID = Pattern.compile("^[A-Za-z0-9-]{1,64}$");
    static final Pattern IPV4 = Pattern.compile("^\\d{1,3}(\\.\\d{1,3}){3}$");
    static final int MAX_BODY_BYTES = 16_384;

    static final SecureRandom RANDOM = new SecureRandom();
    static final HttpClient RELAY_CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    static String relayAdminUrl;
    static String relayAdminApiKey;
    static String shopPublicOrigin;
    static Path pagesDir;

    /** An answer for the page: status, JSON body and extra headers (Set-Cookie, Retry-After). */
    record Answer(int status, Object body, List<String[]> headers) {
        Answer(int status, Object body) {
            this(status, body, List.of());
        }
    }

    /** A refusal for the page, with an error code and a message a shopper can read. */
    static final class ShopError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;
        final String code;
        final List<String[]> headers;

        ShopError(int status, String code, String message, List<String[]> headers) {
            super(message);
            this.status = status;
            this.code = code;
            this.headers = headers;
        }

        ShopError(int status, String code, String message) {
            this(status, code, message, List.of());
        }

        Answer answer() {
            return new Answer(status, Map.of("error", Map.of("code", code, "message", getMessage())), headers);
        }
    }

    /** What the relay's admin API answered. */
    record RelayAnswer(int status, Map<String, Object> body, String retryAfter) {}

    public static void main(String[] args) throws IOException {
        relayAdminUrl = setting("RELAY_ADMIN_URL").replaceAll("/+$", "");
        relayAdminApiKey = setting("RELAY_ADMIN_API_KEY");
        shopPublicOrigin = setting("SHOP_PUBLIC_ORIGIN");
        String pages = System.getenv("PAGES_DIR");
        pagesDir = Path.of(pages == null || pages.isBlank() ? "../pages" : pages).toAbsolutePath().normalize();
        String host = System.getenv().getOrDefault("HOST", "127.0.0.1");
        int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "8000"));

        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 0);
        server.createContext("/", Shop::handle);
        server.setExecutor(Executors.newFixedThreadPool(16));
        server.start();
        System.out.println(Json.write(Map.of("event", "shop.listening", "shop", "java", "url", "http://" + host + ":" + server.getAddress().getPort())));
    }

    static String setting(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            System.err.println("shop: " + name + " is not set");
            System.exit(1);
        }
        return value.trim();
    }

    static void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            if (method.equals("GET") && path.equals("/api/health")) {
                send(exchange, new Answer(200, Map.of("shop", "java")));
            } else if (method.equals("GET") && PAGES.containsKey(path)) {
                sendPage(exchange, PAGES.get(path));
            } else {
                send(exchange, route(exchange, method, path));
            }
        } catch (RuntimeException error) {
            error.printStackTrace();
        }
    }

    static Answer route(HttpExchange exchange, String method, String path) {
        try {
            boolean known = switch (path) {
                case "/api/checkout", "/api/checkout/confirm", "/api/sign-in", "/api/sign-in/confirm" -> true;
                default -> false;
            };
            if (!known) throw new ShopError(404, "not_found", "There is no such page.");
            if (!method.equals("POST")) throw new ShopError(405, "method_not_allowed", "Use POST.", List.<String[]>of(new String[] {"Allow", "POST"}));
            refuseCrossSite(exchange);
            return switch (path) {
                case "/api/checkout" -> startCheckout(exchange);
                case "/api/checkout/confirm" -> confirm(exchange, "checkout");
                case "/api/sign-in" -> startSignIn(exchange);
                default -> confirm(exchange, "sign-in");
            };
        } catch (ShopError error) {
            return error.answer();
        }
    }

    /** The shop's CSRF guard: the page's header (a form on another site cannot send it) and, when named, this origin. */
    static void refuseCrossSite(HttpExchange exchange) {
        if (!"1".equals(exchange.getRequestHeaders().getFirst("x-k360-verify"))) {
            throw new ShopError(403, "csrf_rejected", "This request needs the x-k360-verify header.");
        }
        String origin = exchange.getRequestHeaders().getFirst("Origin");
        if (origin != null && !origin.equals(shopPublicOrigin)) {
            throw new ShopError(403, "origin_rejected", "Requests from this origin are not accepted.");
        }
    }

    static Answer startCheckout(HttpExchange exchange) {
        Map<String, Object> body = postedObject(exchange);
        String email = emailOf(body);
        String phone = phoneOf(body);
        if (email == null) throw new ShopError(400, "invalid_body", "Enter an e-mail address and a phone number.");
        Map<String, Object> contact = contact("email", email, "phoneNumber", phone);
        Map<String, Object> assessment = new LinkedHashMap<>();
        assessment.put("strategy", "CheckoutStepUp");
        assessment.put("inquiryId", UUID.randomUUID().toString());
        assessment.put("channel", "WEB");
        // A real page passes the id it gave Kount's device data collector.
        assessment.put("deviceSessionId", hexId());
        assessment.put("applicant", contact);
        RelayAnswer answer = relayPost("/admin/v1/assessments", withClientIp(exchange, Map.of("contact", contact, "assessment", assessment)));
        if (answer.status() != 200) throw relayFailed("/admin/v1/assessments", answer);
        return startAnswer("checkout", answer.body());
    }

    static Answer startSignIn(HttpExchange exchange) {
        Map<String, Object> body = postedObject(exchange);
        String email = emailOf(body);
        String phone = phoneOf(body);
        if (email == null || !(body.get("password") instanceof String password) || password.isEmpty() || password.length() > 128) {
            throw new ShopError(400, "invalid_body", "Enter your e-mail address and password.");
        }
        String loginUrl = shopPublicOrigin + "/sign-in";
        Map<String, Object> account = Map.of("id", accountId(email), "username", email);
        if (!MessageDigest.isEqual(password.getBytes(StandardCharsets.UTF_8), EXAMPLE_PASSWORD.getBytes(StandardCharsets.UTF_8))) {
            // The shop checks the password itself; Kount counts the failure against the account.
            Map<String, Object> attempt = Map.of("inquiryId", hexId(), "channel", "WEB", "deviceSessionId", hexId(), "loginUrl", loginUrl, "account", account);
            RelayAnswer answer = relayPost("/admin/v1/failed-attempts", attempt);
            if (answer.status() != 204) throw relayFailed("/admin/v1/failed-attempts", answer);
            throw new ShopError(401, "wrong_password", "That e-mail and password do not match.");
        }
        Map<String, Object> login = new LinkedHashMap<>();
        // Login v2 refuses hyphens in inquiryId.
        login.put("inquiryId", hexId());
        login.put("channel", "WEB");
        login.put("deviceSessionId", hexId());
        login.put("loginUrl", loginUrl);
        login.put("account", account);
        login.put("person", contact("emailAddress", email, "phoneNumber", phone));
        login.put("strategy", Map.of("mfaTemplateName", LOGIN_MFA_TEMPLATE));
        Map<String, Object> request = Map.of("contact", contact("email", email, "phoneNumber", phone), "login", login);
        RelayAnswer answer = relayPost("/admin/v1/logins", withClientIp(exchange, request));
        if (answer.status() != 200) throw relayFailed("/admin/v1/logins", answer);
        return startAnswer("sign-in", answer.body());
    }

    /** The decision that counts, read from the relay once: a second confirmation is refused (409 outcome_consumed). */
    static Answer confirm(HttpExchange exchange, String journey) {
        String cookieHeader = String.join("; ", exchange.getRequestHeaders().getOrDefault("Cookie", List.of()));
        String inquiryId = cookie(cookieHeader, INQUIRY_COOKIES.get(journey));
        if (inquiryId == null || !INQUIRY_ID.matcher(inquiryId).matches()) {
            throw new ShopError(409, "no_verification", "There is no verification to confirm. Start again.");
        }
        RelayAnswer answer = relayPost("/admin/v1/confirmations", Map.of("cookie", cookieHeader, "inquiryId", inquiryId));
        if (answer.status() == 200) {
            // Here a real shop takes the payment (ALLOW) or signs the shopper in, exactly once.
            return new Answer(200, Map.of("state", stringOr(answer.body().get("state"), "decided"), "decision", stringOr(answer.body().get("decision"), "REVIEW")));
        }
        if (answer.status() == 404 || answer.status() == 409) {
            Map<String, Object> error = objectOf(answer.body().get("error"));
            throw new ShopError(answer.status(), stringOr(error.get("code"), "not_confirmed"), stringOr(error.get("message"), "This verification cannot be confirmed."));
        }
        throw relayFailed("/admin/v1/confirmations", answer);
    }

    /** A start's answer: on CHALLENGE the browser gets the relay's cookie and the shop's inquiry cookie. */
    static Answer startAnswer(String journey, Map<String, Object> answer) {
        String decision = stringOr(answer.get("decision"), "REVIEW");
        if (!decision.equals("CHALLENGE")) return new Answer(200, Map.of("outcome", decision));
        String setCookie = stringOr(objectOf(answer.get("challenge")).get("setCookie"), "");
        // Kount asked for a challenge the page cannot finish (no MFA started): hold it for review.
        if (setCookie.isEmpty()) return new Answer(200, Map.of("outcome", "REVIEW"));
        String inquiryCookie = INQUIRY_COOKIES.get(journey) + "=" + stringOr(answer.get("inquiryId"), "") + "; Path=/; Secure; HttpOnly; SameSite=Strict";
        return new Answer(200, Map.of("outcome", "CHALLENGE"), List.of(new String[] {"Set-Cookie", setCookie}, new String[] {"Set-Cookie", inquiryCookie}));
    }

    /** POSTs to the relay's admin API. Never sends an Origin header (the admin API refuses browsers). */
    static RelayAnswer relayPost(String path, Map<String, Object> body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(relayAdminUrl + path))
                .timeout(Duration.ofSeconds(15))
                .header("Authorization", "Bearer " + relayAdminApiKey)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(body)))
                .build();
        try {
            HttpResponse<String> response = RELAY_CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
            Object decoded = response.body().isEmpty() ? null : Json.parse(response.body());
            return new RelayAnswer(response.statusCode(), objectOf(decoded), response.headers().firstValue("Retry-After").orElse(null));
        } catch (IOException | IllegalArgumentException error) {
            System.err.println("shop: the relay did not answer " + path + ": " + error.getMessage());
            throw new ShopError(502, "relay_unavailable", "The verification service is unavailable. Try again later.");
        } catch (InterruptedException error) {
            Thread.currentThread().interrupt();
            throw new ShopError(503, "shutting_down", "The shop is shutting down.");
        }
    }

    /** What the page is told when the relay refused or failed: the shopper never sees the relay's internals. */
    static ShopError relayFailed(String path, RelayAnswer answer) {
        if (answer.status() == 429) {
            List<String[]> headers = answer.retryAfter() == null ? List.of() : List.<String[]>of(new String[] {"Retry-After", answer.retryAfter()});
            return new ShopError(429, "send_limited", "Too many codes were sent. Try again later.", headers);
        }
        System.err.println("shop: the relay answered " + answer.status() + " to " + path + ": " + stringOr(objectOf(answer.body().get("error")).get("code"), "no error code"));
        return new ShopError(502, "relay_error", "The verification service is unavailable. Try again later.");
    }

    static Map<String, Object> postedObject(HttpExchange exchange) {
        byte[] bytes;
        try {
            bytes = exchange.getRequestBody().readNBytes(MAX_BODY_BYTES + 1);
        } catch (IOException error) {
            throw new ShopError(400, "invalid_body", "The request body could not be read.");
        }
        if (bytes.length > MAX_BODY_BYTES) throw new ShopError(413, "body_too_large", "The request body is too large.");
        try {
            if (Json.parse(new String(bytes, StandardCharsets.UTF_8)) instanceof Map<?, ?> map) return objectOf(map);
        } catch (IllegalArgumentException error) {
            // Falls through to the refusal below.
        }
        throw new ShopError(400, "invalid_body", "The request body must be a JSON object.");
    }

    /** The shopper's address: behind the proxy on this machine, the one it saw (it overwrites X-Forwarded-For with it). */
    static Map<String, Object> withClientIp(HttpExchange exchange, Map<String, Object> request) {
        InetAddress peer = exchange.getRemoteAddress().getAddress();
        String forwarded = exchange.getRequestHeaders().getFirst("X-Forwarded-For");
        String candidate = peer.getHostAddress();
        if (peer.isLoopbackAddress() && forwarded != null && !forwarded.isBlank()) {
            String[] parts = forwarded.split(",");
            candidate = parts[parts.length - 1].trim();
        }
        Map<String, Object> withIp = new LinkedHashMap<>(request);
        // Only literal addresses: InetAddress.getByName would look a host name up.
        if (IPV4.matcher(candidate).matches() || candidate.contains(":")) {
            try {
                withIp.put("clientIp", InetAddress.getByName(candidate).getHostAddress());
            } catch (IOException error) {
                // Not an address: the relay then limits by contact only.
            }
        }
        return withIp;
    }

    static String emailOf(Map<String, Object> body) {
        if (!(body.get("email") instanceof String email) || email.length() > 254 || !EMAIL.matcher(email.strip()).matches()) return null;
        return email.strip().toLowerCase(Locale.ROOT);
    }

    /** `+1 555 010 4567` becomes `+15550104567`; null when empty. */
    static String phoneOf(Map<String, Object> body) {
        Object phone = body.get("phone");
        if (phone == null || phone instanceof String text && text.isBlank()) return null;
        if (!(phone instanceof String text) || !PHONE.matcher(text.strip()).matches()) {
            throw new ShopError(400, "invalid_body", "Enter a phone number like +1 555 010 4567.");
        }
        return text.replaceAll("[^0-9+]", "");
    }

    /** A contact object with the phone number only when there is one. */
    static Map<String, Object> contact(String emailName, String email, String phoneName, String phone) {
        Map<String, Object> contact = new LinkedHashMap<>();
        contact.put(emailName, email);
        if (phone != null) contact.put(phoneName, phone);
        return contact;
    }

    static String hexId() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** The shop's own account id: a hash, so the e-mail address does not travel as an id. */
    static String accountId(String email) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(("example-shop-account:" + email).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, 32);
        } catch (NoSuchAlgorithmException error) {
            throw new IllegalStateException(error);
        }
    }

    static String cookie(String header, String name) {
        for (String pair : header.split(";")) {
            int equals = pair.indexOf('=');
            if (equals > 0 && pair.substring(0, equals).trim().equals(name)) return pair.substring(equals + 1).trim();
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> objectOf(Object value) {
        return value instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    static String stringOr(Object value, String fallback) {
        return value instanceof String text ? text : fallback;
    }

    /** The page itself, with the policy the elements are built for: no inline script or style, Trusted Types on. */
    static void sendPage(HttpExchange exchange, String name) throws IOException {
        byte[] content;
        try {
            content = Files.readAllBytes(pagesDir.resolve(name));
        } catch (IOException error) {
            send(exchange, new ShopError(404, "not_found", "There is no such page.").answer());
            return;
        }
        var headers = exchange.getResponseHeaders();
        headers.set("Content-Type", CONTENT_TYPES.get(name.substring(name.lastIndexOf('.') + 1)));
        headers.set("Content-Security-Policy", PAGE_POLICY);
        headers.set("Referrer-Policy", "no-referrer");
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(200, content.length);
        exchange.getResponseBody().write(content);
    }

    static void send(HttpExchange exchange, Answer answer) throws IOException {
        byte[] content = Json.write(answer.body()).getBytes(StandardCharsets.UTF_8);
        var headers = exchange.getResponseHeaders();
        headers.set("Content-Type", "application/json");
        headers.set("Cache-Control", "no-store");
        for (String[] header : answer.headers()) headers.add(header[0], header[1]);
        exchange.sendResponseHeaders(answer.status(), content.length);
        exchange.getResponseBody().write(content);
    }

    /**
     * Just enough JSON (RFC 8259) for this shop: objects become LinkedHashMaps, arrays ArrayLists,
     * numbers Doubles; strings are escaped both ways, nesting is capped, and anything else is an
     * IllegalArgumentException.
     */
    static final class Json {
        private static final int MAX_DEPTH = 64;
        private final String text;
        private int at;
        private int depth;

        private Json(String text) {
            this.text = text;
        }

        static Object parse(String text) {
            Json parser = new Json(text);
            parser.skipSpace();
            Object value = parser.value();
            parser.skipSpace();
            if (parser.at != text.length()) throw parser.error("unexpected text after the value");
            return value;
        }

        static String write(Object value) {
            StringBuilder out = new StringBuilder();
            write(value, out);
            return out.toString();
        }

        private static void write(Object value, StringBuilder out) {
            if (value == null) {
                out.append("null");
            } else if (value instanceof String text) {
                quote(text, out);
            } else if (value instanceof Boolean || value instanceof Integer || value instanceof Long) {
                out.append(value);
            } else if (value instanceof Number number) {
                double real = number.doubleValue();
                if (!Double.isFinite(real)) throw new IllegalArgumentException("JSON has no " + real);
                out.append(real == Math.rint(real) && Math.abs(real) < 1e15 ? Long.toString((long) real) : Double.toString(real));
            } else if (value instanceof Map<?, ?> map) {
                out.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    if (!first) out.append(',');
                    first = false;
                    quote(String.valueOf(entry.getKey()), out);
                    out.append(':');
                    write(entry.getValue(), out);
                }
                out.append('}');
            } else if (value instanceof List<?> list) {
                out.append('[');
                for (int index = 0; index < list.size(); index++) {
                    if (index > 0) out.append(',');
                    write(list.get(index), out);
                }
                out.append(']');
            } else {
                throw new IllegalArgumentException("cannot write " + value.getClass().getSimpleName() + " as JSON");
            }
        }

        private static void quote(String text, StringBuilder out) {
            out.append('"');
            for (int index = 0; index < text.length(); index++) {
                char c = text.charAt(index);
                switch (c) {
                    case '"' -> out.append("\\\"");
                    case '\\' -> out.append("\\\\");
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    case '\t' -> out.append("\\t");
                    default -> {
                        if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
                        else out.append(c);
                    }
                }
            }
            out.append('"');
        }

        private Object value() {
            if (at >= text.length()) throw error("a value is missing");
            char c = text.charAt(at);
            return switch (c) {
                case '{' -> object();
                case '[' -> array();
                case '"' -> string();
                case 't' -> literal("true", Boolean.TRUE);
                case 'f' -> literal("false", Boolean.FALSE);
                case 'n' -> literal("null", null);
                default -> number();
            };
        }

        private Map<String, Object> object() {
            enter();
            at++;
            Map<String, Object> map = new LinkedHashMap<>();
            skipSpace();
            if (peek() == '}') {
                at++;
                depth--;
                return map;
            }
            while (true) {
                skipSpace();
                if (peek() != '"') throw error("a key must be a string");
                String key = string();
                skipSpace();
                expect(':');
                skipSpace();
                map.put(key, value());
                skipSpace();
                if (peek() == ',') {
                    at++;
                    continue;
                }
                expect('}');
                depth--;
                return map;
            }
        }

        private List<Object> array() {
            enter();
            at++;
            List<Object> list = new ArrayList<>();
            skipSpace();
            if (peek() == ']') {
                at++;
                depth--;
                return list;
            }
            while (true) {
                skipSpace();
                list.add(value());
                skipSpace();
                if (peek() == ',') {
                    at++;
                    continue;
                }
                expect(']');
                depth--;
                return list;
            }
        }

        private String string() {
            expect('"');
            StringBuilder out = new StringBuilder();
            while (true) {
                if (at >= text.length()) throw error("a string is not closed");
                char c = text.charAt(at++);
                if (c == '"') return out.toString();
                if (c < 0x20) throw error("a control character in a string");
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                if (at >= text.length()) throw error("a string is not closed");
                char escaped = text.charAt(at++);
                switch (escaped) {
                    case '"', '\\', '/' -> out.append(escaped);
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'u' -> {
                        if (at + 4 > text.length()) throw error("a \\u escape is cut short");
                        try {
                            out.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
                        } catch (NumberFormatException error) {
                            throw error("a \\u escape is not hexadecimal");
                        }
                        at += 4;
                    }
                    default -> throw error("an unknown escape");
                }
            }
        }

        private static final Pattern NUMBER = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");

        private Double number() {
            var matcher = NUMBER.matcher(text).region(at, text.length());
            if (!matcher.lookingAt()) throw error("not a JSON value");
            at = matcher.end();
            return Double.valueOf(matcher.group());
        }

        private Object literal(String word, Object value) {
            if (!text.startsWith(word, at)) throw error("not a JSON value");
            at += word.length();
            return value;
        }

        private void enter() {
            if (++depth > MAX_DEPTH) throw error("nested too deeply");
        }

        private char peek() {
            return at < text.length() ? text.charAt(at) : '\0';
        }

        private void expect(char c) {
            if (peek() != c) throw error("expected '" + c + "'");
            at++;
        }

        private void skipSpace() {
            while (at < text.length() && " \t\r\n".indexOf(text.charAt(at)) >= 0) at++;
        }

        private IllegalArgumentException error(String problem) {
            return new IllegalArgumentException("invalid JSON at " + at + ": " + problem);
        }
    }
}
