package dev.boxoffice.codecs.api;

/** POST /verify-otp: the address, the six-digit code mailed to it and the challenge /send-otp answered. */
public record OtpVerification(String email, String code, String challenge) {
}
