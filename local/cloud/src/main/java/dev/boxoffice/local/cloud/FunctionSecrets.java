package dev.boxoffice.local.cloud;

import dev.boxoffice.codecs.session.SessionTokens;
import io.vertx.core.json.JsonObject;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

/**
 * The keys an operator creates before the first deployment: the session key pair, the ticket key pair, the OTP
 * pepper and the key that signs subscription links. {@link LocalCloud} puts the private ones in the local Secrets
 * Manager ({@link #keysSecretJson()}) and the public ones in the local Parameter Store, where the functions and the
 * backend read them at run time. The local stack keeps them in its data folder; tests generate them.
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

  /**
   * What CloudFormation resolves from the Parameter Store into the functions' environment at deployment: the session
   * public key only, which is no secret.
   */
  public Map<String, String> publicEnvironment() {
    return Map.of("BOXOFFICE_SESSION_PUBLIC_KEY", SessionTokens.publicKeyPem(sessionKeys.getPublic()));
  }

  /** The keys secret as the operator creates it (serverless.yaml's KeysSecretArn). */
  public String keysSecretJson() {
    return new JsonObject()
        .put("sessionPrivateKey", SessionTokens.privateKeyPem(sessionKeys.getPrivate()))
        .put("ticketPrivateKey", SessionTokens.privateKeyPem(ticketKeys.getPrivate()))
        .put("otpPepper", otpPepper)
        .put("linkKey", linkKey)
        .encode();
  }
}
