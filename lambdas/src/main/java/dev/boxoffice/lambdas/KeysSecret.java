package dev.boxoffice.lambdas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.boxoffice.codecs.session.SessionTokens;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The functions' keys and pepper, read at run time from the Secrets Manager secret {@code BOXOFFICE_KEYS_SECRET_ID}
 * (a JSON object: {@code sessionPrivateKey}, {@code ticketPrivateKey}, {@code otpPepper}, {@code linkKey}) with the
 * function's own
 * role, so no key is in the function's configuration, where {@code lambda:GetFunctionConfiguration} would show it.
 *
 * <p>Read once at cold start (a function without its keys fails its first invocation), then kept for
 * {@code BOXOFFICE_SECRETS_TTL_SECONDS} (default 300): the first invocation after that reads the secret again, so a
 * rotated value (a new {@code AWSCURRENT}) is used within five minutes by every warm environment without a
 * deployment. A failed re-read keeps the last value and retries at the next invocation. The SDK with this cache
 * rather than the Parameters and Secrets Lambda extension: the extension is a layer the local Lambda runner cannot
 * run, and the same code path must read the local Secrets Manager on a laptop.
 */
final class KeysSecret {

  static final String SECRET_ID = "BOXOFFICE_KEYS_SECRET_ID";
  static final String TTL_SECONDS = "BOXOFFICE_SECRETS_TTL_SECONDS";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final SecretsManagerClient client;
  private final String secretId;
  private final Duration ttl;
  private final Clock clock;
  private Keys keys;
  private Instant readAt;

  KeysSecret(HandlerEnvironment environment, Clock clock) {
    this.client = AwsClients.secretsManager(environment);
    this.secretId = environment.required(SECRET_ID);
    this.ttl = Duration.ofSeconds(environment.integer(TTL_SECONDS, 300));
    this.clock = clock;
    this.keys = read();
    this.readAt = clock.instant();
  }

  String otpPepper() {
    return current().otpPepper();
  }

  String linkKey() {
    return current().linkKey();
  }

  PrivateKey sessionPrivateKey() {
    return current().sessionPrivateKey();
  }

  PrivateKey ticketPrivateKey() {
    return current().ticketPrivateKey();
  }

  private synchronized Keys current() {
    Instant now = clock.instant();
    if (now.isAfter(readAt.plus(ttl))) {
      try {
        keys = read();
        readAt = now;
      } catch (SdkException | IllegalStateException e) {
        Log.warn("could not read the keys secret again; keeping the last value", e);
      }
    }
    return keys;
  }

  /** The parsed secret; a field it lacks is null and fails where the handler needs it. */
  private record Keys(String otpPepper, String linkKey, PrivateKey sessionPrivateKey, PrivateKey ticketPrivateKey) {
  }

  private Keys read() {
    String secret = client.getSecretValue(request -> request.secretId(secretId)).secretString();
    JsonNode json;
    try {
      json = JSON.readTree(secret.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException("the secret " + secretId + " is not a JSON object");
    }
    return new Keys(text(json, "otpPepper"), text(json, "linkKey"), privateKey(json, "sessionPrivateKey"),
        privateKey(json, "ticketPrivateKey"));
  }

  private static String text(JsonNode json, String field) {
    JsonNode value = json.get(field);
    return value == null || !value.isTextual() ? null : value.asText();
  }

  private static PrivateKey privateKey(JsonNode json, String field) {
    String pem = text(json, field);
    return pem == null ? null : SessionTokens.parsePrivateKey(pem);
  }
}
