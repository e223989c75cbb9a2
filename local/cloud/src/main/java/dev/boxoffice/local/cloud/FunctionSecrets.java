package dev.boxoffice.local.cloud;

import dev.boxoffice.codecs.session.SessionTokens;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

/**
 * What AWS resolves from Secrets Manager and SSM into the functions' environment at deployment: the session key pair,
 * the ticket signing key and the OTP pepper. The local stack keeps them in its data folder; tests generate them.
 */
public record FunctionSecrets(KeyPair sessionKeys, KeyPair ticketKeys, String otpPepper) {

  /** Fresh keys and pepper, for a test run. */
  public static FunctionSecrets generate() {
    byte[] pepper = new byte[32];
    new SecureRandom().nextBytes(pepper);
    return new FunctionSecrets(SessionTokens.generateKeyPair(), SessionTokens.generateKeyPair(),
        Base64.getUrlEncoder().withoutPadding().encodeToString(pepper));
  }

  /** The secrets under the names the functions read them by. */
  public Map<String, String> environment() {
    return Map.of(
        "BOXOFFICE_SESSION_PUBLIC_KEY", SessionTokens.publicKeyPem(sessionKeys.getPublic()),
        "BOXOFFICE_SESSION_PRIVATE_KEY", SessionTokens.privateKeyPem(sessionKeys.getPrivate()),
        "BOXOFFICE_TICKET_PRIVATE_KEY", SessionTokens.privateKeyPem(ticketKeys.getPrivate()),
        "BOXOFFICE_OTP_PEPPER", otpPepper);
  }
}
