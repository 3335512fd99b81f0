package io.purifier.server.web;

import io.javalin.http.Context;

/**
 * Headers on every response: a Content-Security-Policy that lets the web UI load only its own scripts, styles,
 * images and API (no inline script, no framing, no plugins), {@code nosniff}, no framing by other sites, and no
 * referrer (URLs may carry a token for event streams and downloads).
 */
final class SecurityHeaders {

    /** The policy: everything from this origin only; inline styles only through the CSSOM, never as attributes. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
            + "form-action 'self'; frame-ancestors 'none'";

    private SecurityHeaders() {
    }

    static void apply(Context ctx) {
        ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("Cross-Origin-Opener-Policy", "same-origin");
    }
}
