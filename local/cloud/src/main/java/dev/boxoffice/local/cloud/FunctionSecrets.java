package dev.boxoffice.local.cloud;

import dev.boxoffice.codecs.session.SessionTokens;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

/**
 * What AWS resolves from Secrets Manager and SSM into the functions' environment at deployment: the session key pair,
 * the ticket signing key, the OTP pepper and the key that signs subscription links. The local stack keeps them in its
 * data folder; tests generate them.
 */
public record FunctionSecrets(KeyPair sessionKeys, KeyPair ticketKeys, String otpPepper, String linkKey) {

  /** Fresh keys, pepper and link key, for a test run. */
  public static FunctionSecrets generate() {
    return new FunctionSecrets(SessionTokens.generateKeyPair(), SessionTokens.generateKeyPair(), randomSecret(),
        randomSecret());
  }

  /** 32 random bytes, base64url: an OTP pepper or a link key. */
  public static String randomSecret() {
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
  }

  /** The secrets under the names the functions read them by. */
  public Map<String, String> environment() {
    return Map.of(
        "BOXOFFICE_SESSION_PUBLIC_KEY", SessionTokens.publicKeyPem(sessionKeys.getPublic()),
        "BOXOFFICE_SESSION_PRIVATE_KEY", SessionTokens.privateKeyPem(sessionKeys.getPrivate()),
        "BOXOFFICE_TICKET_PRIVATE_KEY", SessionTokens.privateKeyPem(ticketKeys.getPrivate()),
        "BOXOFFICE_OTP_PEPPER", otpPepper,
        "BOXOFFICE_LINK_KEY", linkKey);
  }
}
