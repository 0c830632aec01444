<?php
/**
 * An example shop in plain PHP (no framework, no Composer): a checkout and a sign-in that Kount 360
 * may challenge, finished in the browser by <verification-flow> through the standalone relay.
 *
 *   RELAY_ADMIN_URL=http://127.0.0.1:8789 RELAY_ADMIN_API_KEY=... SHOP_PUBLIC_ORIGIN=https://shop.example.com \
 *     php -S 127.0.0.1:8000 shop.php
 *
 * The shop talks to the relay's admin API (server to server, never through the proxy); the page
 * talks to the shop and, for the challenge, to the relay's browser API under /verify on the same
 * origin (see examples/nginx). PHP's built-in server is for development: in production, run this
 * file as the front controller of PHP-FPM (it reads only $_SERVER, php://input and getenv()).
 */

declare(strict_types=1);

/** Every account of the example has this password; anything else is a wrong password, reported to Kount. */
const EXAMPLE_PASSWORD = 'northwind';
/** The MFA template a tenant sets up in the Kount portal (the sandbox takes any name). */
const LOGIN_MFA_TEMPLATE = 'ExampleLoginMfa';
/**
 * Which inquiry the open order or sign-in is. A real shop keeps it in its order table or session;
 * this one has neither, so it keeps it in a cookie of its own, beside the relay's.
 */
const INQUIRY_COOKIES = ['checkout' => '__Host-shop-order', 'sign-in' => '__Host-shop-sign-in'];
/** The proxy in front (nginx on this machine): only its X-Forwarded-For is believed. */
const TRUSTED_PROXIES = ['127.0.0.1', '::1'];
const PAGES = ['/' => 'checkout.html', '/sign-in' => 'sign-in.html', '/shop.js' => 'shop.js', '/shop.css' => 'shop.css'];
const CONTENT_TYPES = ['html' => 'text/html; charset=utf-8', 'js' => 'text/javascript; charset=utf-8', 'css' => 'text/css; charset=utf-8'];

final class RelayUnavailable extends RuntimeException
{
}

function setting(string $name): string
{
    $value = getenv($name);
    if ($value === false || trim($value) === '') {
        error_log("shop: $name is not set");
        send_error(500, 'not_configured', 'The shop is not configured.');
        exit;
    }
    return trim($value);
}

function send_json(int $status, mixed $body, array $headers = []): void
{
    http_response_code($status);
    header('Content-Type: application/json');
    header('Cache-Control: no-store');
    foreach ($headers as $header) header($header, false);
    echo json_encode($body, JSON_UNESCAPED_SLASHES | JSON_THROW_ON_ERROR);
}

function send_error(int $status, string $code, string $message, array $headers = []): void
{
    send_json($status, ['error' => ['code' => $code, 'message' => $message]], $headers);
}

/** The page itself, with the policy the elements are built for: no inline script or style, Trusted Types on. */
function send_page(string $file): void
{
    $path = (getenv('PAGES_DIR') ?: __DIR__ . '/../pages') . '/' . $file;
    $body = @file_get_contents($path);
    if ($body === false) {
        send_error(404, 'not_found', 'There is no such page.');
        return;
    }
    header('Content-Type: ' . CONTENT_TYPES[pathinfo($file, PATHINFO_EXTENSION)]);
    header("Content-Security-Policy: default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; require-trusted-types-for 'script'; trusted-types lit-html");
    header('Referrer-Policy: no-referrer');
    header('X-Content-Type-Options: nosniff');
    header('Cache-Control: no-store');
    echo $body;
}

/**
 * The shop's own CSRF guard for its JSON POSTs: the page's header (a form on another site cannot
 * send it) and, when the browser names one, this shop's origin.
 */
function refused_cross_site(): bool
{
    if (($_SERVER['HTTP_X_K360_VERIFY'] ?? '') !== '1') {
        send_error(403, 'csrf_rejected', 'This request needs the x-k360-verify header.');
        return true;
    }
    $origin = $_SERVER['HTTP_ORIGIN'] ?? null;
    if ($origin !== null && $origin !== setting('SHOP_PUBLIC_ORIGIN')) {
        send_error(403, 'origin_rejected', 'Requests from this origin are not accepted.');
        return true;
    }
    return false;
}

/** The JSON object the page posted, or null (and a 400 sent). */
function posted_object(): ?array
{
    try {
        $body = json_decode(file_get_contents('php://input') ?: '', true, 8, JSON_THROW_ON_ERROR);
    } catch (JsonException) {
        $body = null;
    }
    if (!is_array($body) || array_is_list($body) && $body !== []) {
        send_error(400, 'invalid_body', 'The request body must be a JSON object.');
        return null;
    }
    return $body;
}

function text_field(array $body, string $name, int $maxLength): ?string
{
    $value = $body[$name] ?? null;
    return is_string($value) && strlen(trim($value)) > 0 && strlen($value) <= $maxLength ? trim($value) : null;
}

function email_of(array $body): ?string
{
    $email = text_field($body, 'email', 254);
    return $email !== null && filter_var($email, FILTER_VALIDATE_EMAIL) !== false ? strtolower($email) : null;
}

/** `+1 555 010 4567` → `+15550104567`; null when the field is empty, false when it is not a phone number. */
function phone_of(array $body): string|false|null
{
    $phone = text_field($body, 'phone', 32);
    if ($phone === null) return null;
    return preg_match('/^\+?[0-9 ().-]{7,24}$/', $phone) === 1 ? preg_replace('/[^0-9+]/', '', $phone) : false;
}

/** The shopper's address: behind the proxy, the one it saw (it overwrites X-Forwarded-For with it). */
function client_ip(): ?string
{
    $peer = $_SERVER['REMOTE_ADDR'] ?? '';
    $forwarded = $_SERVER['HTTP_X_FORWARDED_FOR'] ?? '';
    $parts = explode(',', $forwarded);
    $ip = in_array($peer, TRUSTED_PROXIES, true) && $forwarded !== '' ? trim(end($parts)) : $peer;
    return filter_var($ip, FILTER_VALIDATE_IP) !== false ? $ip : null;
}

function hex_id(): string
{
    return bin2hex(random_bytes(16));
}

function uuid(): string
{
    $bytes = random_bytes(16);
    $bytes[6] = chr(ord($bytes[6]) & 0x0f | 0x40);
    $bytes[8] = chr(ord($bytes[8]) & 0x3f | 0x80);
    return vsprintf('%s%s-%s-%s-%s-%s%s%s', str_split(bin2hex($bytes), 4));
}

/** The shop's own account id: a hash, so the e-mail address does not travel as an id. */
function account_id(string $email): string
{
    return substr(hash('sha256', "example-shop-account:$email"), 0, 32);
}

/** What the page is told when the relay refused or failed: the shopper never sees the relay's internals. */
function relay_failed(string $path, int $status, array $answer, ?string $retryAfter): void
{
    if ($status === 429) {
        send_error(429, 'send_limited', 'Too many codes were sent. Try again later.', $retryAfter === null ? [] : ["Retry-After: $retryAfter"]);
        return;
    }
    error_log("shop: the relay answered $status to $path: " . ($answer['error']['code'] ?? 'no error code'));
    send_error(502, 'relay_error', 'The verification service is unavailable. Try again later.');
}

// #region recipe php-checkout
/**
 * POSTs to the relay's admin API: [status, decoded body, Retry-After]. Never sends an Origin
 * header (the admin API refuses browsers). Throws RelayUnavailable when it cannot be reached.
 */
function relay_post(string $path, array $body): array
{
    $context = stream_context_create(['http' => [
        'method' => 'POST',
        'header' => implode("\r\n", [
            'Authorization: Bearer ' . setting('RELAY_ADMIN_API_KEY'),
            'Content-Type: application/json',
            'Accept: application/json',
        ]),
        'content' => json_encode($body, JSON_UNESCAPED_SLASHES | JSON_THROW_ON_ERROR),
        'ignore_errors' => true,
        'timeout' => 15,
    ]]);
    $text = @file_get_contents(rtrim(setting('RELAY_ADMIN_URL'), '/') . $path, false, $context);
    $headers = function_exists('http_get_last_response_headers') ? http_get_last_response_headers() : ($http_response_header ?? []);
    if ($text === false || $headers === null || $headers === [] || preg_match('#^HTTP/\S+ (\d{3})#', $headers[0], $status) !== 1) {
        throw new RelayUnavailable("the relay did not answer $path");
    }
    $retryAfter = null;
    foreach ($headers as $header) {
        if (stripos($header, 'Retry-After:') === 0) $retryAfter = trim(substr($header, strlen('Retry-After:')));
    }
    $decoded = $text === '' ? null : json_decode($text, true);
    return [(int) $status[1], is_array($decoded) ? $decoded : [], $retryAfter];
}

/** A start's answer: on CHALLENGE the browser gets the relay's cookie and the shop's inquiry cookie. */
function send_start(string $journey, array $answer): void
{
    $decision = $answer['decision'] ?? 'REVIEW';
    $setCookie = $answer['challenge']['setCookie'] ?? null;
    if ($decision !== 'CHALLENGE') {
        send_json(200, ['outcome' => $decision]);
        return;
    }
    if (!is_string($setCookie) || $setCookie === '') {
        // Kount asked for a challenge the page cannot finish (no MFA started): hold it for review.
        send_json(200, ['outcome' => 'REVIEW']);
        return;
    }
    $inquiryCookie = INQUIRY_COOKIES[$journey] . '=' . $answer['inquiryId'] . '; Path=/; Secure; HttpOnly; SameSite=Strict';
    send_json(200, ['outcome' => 'CHALLENGE'], ["Set-Cookie: $setCookie", "Set-Cookie: $inquiryCookie"]);
}

/** POST /api/checkout: the relay applies its limits, asks Kount, and on CHALLENGE starts the verification the page finishes. */
function start_checkout(): void
{
    $body = posted_object();
    if ($body === null) return;
    $email = email_of($body);
    $phone = phone_of($body);
    if ($email === null || $phone === false) {
        send_error(400, 'invalid_body', 'Enter an e-mail address and a phone number.');
        return;
    }
    $contact = ['email' => $email] + ($phone === null ? [] : ['phoneNumber' => $phone]);
    $request = [
        'contact' => $contact,
        'assessment' => [
            'strategy' => 'CheckoutStepUp',
            'inquiryId' => uuid(),
            'channel' => 'WEB',
            // A real page passes the id it gave Kount's device data collector.
            'deviceSessionId' => hex_id(),
            'applicant' => $contact,
        ],
    ] + (client_ip() === null ? [] : ['clientIp' => client_ip()]);
    [$status, $answer, $retryAfter] = relay_post('/admin/v1/assessments', $request);
    if ($status !== 200) {
        relay_failed('/admin/v1/assessments', $status, $answer, $retryAfter);
        return;
    }
    send_start('checkout', $answer);
}

/**
 * The decision that counts, read from the relay once: a second confirmation of the same
 * verification is refused (409 outcome_consumed), so a replayed request cannot pay twice.
 */
function confirm(string $journey): void
{
    $inquiryId = $_COOKIE[INQUIRY_COOKIES[$journey]] ?? '';
    if (!is_string($inquiryId) || preg_match('/^[A-Za-z0-9-]{1,64}$/', $inquiryId) !== 1) {
        send_error(409, 'no_verification', 'There is no verification to confirm. Start again.');
        return;
    }
    $request = ['cookie' => $_SERVER['HTTP_COOKIE'] ?? '', 'inquiryId' => $inquiryId];
    [$status, $answer, $retryAfter] = relay_post('/admin/v1/confirmations', $request);
    if ($status === 200) {
        // Here a real shop takes the payment (ALLOW) or signs the shopper in, exactly once.
        send_json(200, ['state' => $answer['state'] ?? 'decided', 'decision' => $answer['decision'] ?? 'REVIEW']);
        return;
    }
    if ($status === 409 || $status === 404) {
        send_error($status, $answer['error']['code'] ?? 'not_confirmed', $answer['error']['message'] ?? 'This verification cannot be confirmed.');
        return;
    }
    relay_failed('/admin/v1/confirmations', $status, $answer, $retryAfter);
}
// #endregion recipe

function start_sign_in(): void
{
    $body = posted_object();
    if ($body === null) return;
    $email = email_of($body);
    $password = text_field($body, 'password', 128);
    $phone = phone_of($body);
    if ($email === null || $password === null || $phone === false) {
        send_error(400, 'invalid_body', 'Enter your e-mail address and password.');
        return;
    }
    $loginUrl = setting('SHOP_PUBLIC_ORIGIN') . '/sign-in';
    $account = ['id' => account_id($email), 'username' => $email];
    if (!hash_equals(EXAMPLE_PASSWORD, $password)) {
        // The shop checks the password itself; Kount counts the failure against the account.
        [$status, $answer, $retryAfter] = relay_post('/admin/v1/failed-attempts', [
            'inquiryId' => hex_id(),
            'channel' => 'WEB',
            'deviceSessionId' => hex_id(),
            'loginUrl' => $loginUrl,
            'account' => $account,
        ]);
        if ($status !== 204) {
            relay_failed('/admin/v1/failed-attempts', $status, $answer, $retryAfter);
            return;
        }
        send_error(401, 'wrong_password', 'That e-mail and password do not match.');
        return;
    }
    $contact = ['email' => $email] + ($phone === null ? [] : ['phoneNumber' => $phone]);
    $request = [
        'contact' => $contact,
        'login' => [
            // Login v2 refuses hyphens in inquiryId.
            'inquiryId' => hex_id(),
            'channel' => 'WEB',
            'deviceSessionId' => hex_id(),
            'loginUrl' => $loginUrl,
            'account' => $account,
            'person' => ['emailAddress' => $email] + ($phone === null ? [] : ['phoneNumber' => $phone]),
            'strategy' => ['mfaTemplateName' => LOGIN_MFA_TEMPLATE],
        ],
    ] + (client_ip() === null ? [] : ['clientIp' => client_ip()]);
    [$status, $answer, $retryAfter] = relay_post('/admin/v1/logins', $request);
    if ($status !== 200) {
        relay_failed('/admin/v1/logins', $status, $answer, $retryAfter);
        return;
    }
    send_start('sign-in', $answer);
}

$method = $_SERVER['REQUEST_METHOD'] ?? 'GET';
$path = parse_url($_SERVER['REQUEST_URI'] ?? '/', PHP_URL_PATH) ?: '/';
$routes = [
    '/api/checkout' => fn () => start_checkout(),
    '/api/checkout/confirm' => fn () => confirm('checkout'),
    '/api/sign-in' => fn () => start_sign_in(),
    '/api/sign-in/confirm' => fn () => confirm('sign-in'),
];

try {
    if ($method === 'GET' && $path === '/api/health') {
        send_json(200, ['shop' => 'php']);
    } elseif (($method === 'GET' || $method === 'HEAD') && isset(PAGES[$path])) {
        send_page(PAGES[$path]);
    } elseif (isset($routes[$path])) {
        if ($method !== 'POST') {
            send_error(405, 'method_not_allowed', 'Use POST.', ['Allow: POST']);
        } elseif (!refused_cross_site()) {
            $routes[$path]();
        }
    } else {
        send_error(404, 'not_found', 'There is no such page.');
    }
} catch (RelayUnavailable $error) {
    error_log('shop: ' . $error->getMessage());
    send_error(502, 'relay_unavailable', 'The verification service is unavailable. Try again later.');
}
