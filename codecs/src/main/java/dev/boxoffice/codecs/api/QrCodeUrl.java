package dev.boxoffice.codecs.api;

import java.time.Instant;

/** 200 answer of GET /get-qr-code: a pre-signed GET URL of the QR code PNG, usable until {@code expiresAt}. */
public record QrCodeUrl(String url, Instant expiresAt) {
}
