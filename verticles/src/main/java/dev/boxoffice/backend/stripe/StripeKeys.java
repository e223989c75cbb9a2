package dev.boxoffice.backend.stripe;

import java.util.List;
import java.util.Objects;

/**
 * What Boxoffice needs to talk to Stripe: the secret API key, and the signing secrets of its webhook endpoint (more
 * than one while a secret is being rolled: Stripe then signs with both). Never logged, never in an environment
 * variable: in AWS they come from Secrets Manager at run time ({@link SecretsManagerStripeKeys}), locally from the
 * local Stripe server the stack started.
 */
public record StripeKeys(String secretKey, List<String> webhookSecrets) {

  public StripeKeys {
    Objects.requireNonNull(secretKey, "secretKey");
    webhookSecrets = List.copyOf(webhookSecrets);
    if (secretKey.isBlank() || webhookSecrets.isEmpty()) {
      throw new IllegalArgumentException("a Stripe secret key and at least one webhook signing secret are needed");
    }
  }

  @Override
  public String toString() {
    return "StripeKeys[secretKey=" + masked(secretKey) + ", webhookSecrets=" + webhookSecrets.size() + "]";
  }

  private static String masked(String key) {
    return key.length() <= 8 ? "****" : key.substring(0, 8) + "****";
  }
}
