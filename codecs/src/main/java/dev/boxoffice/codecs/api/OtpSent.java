package dev.boxoffice.codecs.api;

import java.time.Instant;

/** 202 answer of POST /send-otp: a code is on its way and holds until {@code expiresAt}. */
public record OtpSent(Instant expiresAt) {
}
