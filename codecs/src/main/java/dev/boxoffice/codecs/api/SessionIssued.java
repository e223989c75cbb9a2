package dev.boxoffice.codecs.api;

import java.time.Instant;

/** 200 answer of POST /verify-otp: a session token for {@code Authorization: Bearer}, valid until {@code expiresAt}. */
public record SessionIssued(String token, Instant expiresAt) {
}
