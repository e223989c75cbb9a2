package dev.boxoffice.local.cloud;

import dev.boxoffice.codecs.session.SessionTokens;
import io.vertx.core.json.JsonObject;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

/**
 * The keys an operator creates before the first deployment: the session key pair, the ticket key pair and the OTP
 * pepper. {@link LocalCloud} puts the private ones in the local Secrets Manager ({@link #keysSecretJson()}) and the
 * public ones in the local Parameter Store, where the functions and the backend read them at run time. The local
 * stack keeps them in its data folder; tests generate them.
 */
public record FunctionSecrets(KeyPair sessionKeys, KeyPair ticketKeys, String otpPepper) {

  /** Fresh keys and pepper, for a test run. */
  public static FunctionSecrets generate() {
    byte[] pepper = new byte[32];
    new SecureRandom().nextBytes(pepper);
    return new FunctionSecrets(SessionTokens.generateKeyPair(), SessionTokens.generateKeyPair(),
        Base64.getUrlEncoder().withoutPadding().encodeToString(pepper));
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
        .encode();
  }
}
