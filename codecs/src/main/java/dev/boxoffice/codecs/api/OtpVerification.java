package dev.boxoffice.codecs.api;

/** POST /verify-otp: the address and the six-digit code mailed to it. */
public record OtpVerification(String email, String code) {
}
