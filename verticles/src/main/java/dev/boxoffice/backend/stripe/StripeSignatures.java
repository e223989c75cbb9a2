package dev.boxoffice.backend.stripe;

import dev.boxoffice.backend.model.Refusal;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks a webhook's {@code Stripe-Signature} header as Stripe documents it: {@code t=<unix seconds>,v1=<hex>,...};
 * each {@code v1} is HMAC-SHA256 of {@code "<t>.<raw body>"} keyed with an endpoint signing secret. The payload is
 * accepted when any {@code v1} matches any of our secrets (Stripe signs with the old and the new secret while one is
 * rolled), compared in constant time, and when {@code t} is within the tolerance of now (a replayed old delivery is
 * refused). Other schemes ({@code v0}) are ignored.
 */
final class StripeSignatures {

  static final Duration TOLERANCE = Duration.ofMinutes(5);

  private StripeSignatures() {
  }

  static void verify(String payload, String header, List<String> secrets, Instant now) {
    if (header == null || header.isBlank()) {
      throw new Refusal.InvalidSignature("The Stripe-Signature header is missing");
    }
    Long timestamp = null;
    List<String> signatures = new ArrayList<>();
    for (String part : header.split(",")) {
      int equals = part.indexOf('=');
      if (equals <= 0) {
        continue;
      }
      String key = part.substring(0, equals).trim();
      String value = part.substring(equals + 1).trim();
      if (key.equals("t")) {
        timestamp = parseTimestamp(value);
      } else if (key.equals("v1")) {
        signatures.add(value);
      }
    }
    if (timestamp == null || signatures.isEmpty()) {
      throw new Refusal.InvalidSignature("Stripe-Signature carries no timestamp or no v1 signature");
    }
    if (Math.abs(now.getEpochSecond() - timestamp) > TOLERANCE.toSeconds()) {
      throw new Refusal.InvalidSignature("Stripe-Signature's timestamp is outside the tolerance of "
          + TOLERANCE.toSeconds() + " s");
    }
    String signed = timestamp + "." + payload;
    for (String secret : secrets) {
      byte[] expected = HexFormat.of().formatHex(hmac(secret, signed)).getBytes(StandardCharsets.US_ASCII);
      for (String signature : signatures) {
        if (MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII))) {
          return;
        }
      }
    }
    throw new Refusal.InvalidSignature("No signature in Stripe-Signature matches the payload");
  }

  private static Long parseTimestamp(String value) {
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new Refusal.InvalidSignature("Stripe-Signature's timestamp is not a number");
    }
  }

  private static byte[] hmac(String secret, String message) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException(e);
    }
  }
}
