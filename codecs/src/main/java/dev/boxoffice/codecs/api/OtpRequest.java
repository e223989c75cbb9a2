package dev.boxoffice.codecs.api;

/** POST /send-otp: the address to mail a sign-in code to. */
public record OtpRequest(String email) {
}
