package dev.boxoffice.codecs.api;

import java.time.Instant;

/**
 * 202 answer of POST /send-otp: a code is on its way and holds until {@code expiresAt}; {@code challenge} goes back
 * with it to POST /verify-otp, so only the page that asked for a code can try it.
 */
public record OtpSent(Instant expiresAt, String challenge) {
}
