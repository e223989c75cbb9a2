package dev.boxoffice.local.aws.iam;

import java.security.SecureRandom;
import java.util.Objects;

/**
 * The credentials a caller signs with: an access key id and its secret, plus a session token for the temporary
 * credentials of a role session (what Lambda, Step Functions and ECS hand their code in AWS).
 *
 * @param sessionToken null for the administrator's long-term key
 */
public record AccessKey(String accessKeyId, String secretAccessKey, String sessionToken) {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String KEY_ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  private static final String SECRET_ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

  public AccessKey {
    Objects.requireNonNull(accessKeyId, "accessKeyId");
    Objects.requireNonNull(secretAccessKey, "secretAccessKey");
  }

  /** Fresh temporary credentials in the shape STS gives them: an {@code ASIA...} id, a secret and a token. */
  public static AccessKey temporary() {
    return new AccessKey("ASIA" + random(KEY_ID_ALPHABET, 16), random(SECRET_ALPHABET, 40),
        random(SECRET_ALPHABET, 156));
  }

  private static String random(String alphabet, int length) {
    StringBuilder text = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      text.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
    }
    return text.toString();
  }

  @Override
  public String toString() {
    return "AccessKey[" + accessKeyId + "]";
  }
}
