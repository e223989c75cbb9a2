package dev.boxoffice.backend.model;

/**
 * What one purchase request gets: its order (free tickets) or hold (priced ones), new or, for a repeated
 * Idempotency-Key, the original; or a refusal.
 */
public sealed interface PurchaseAnswer {

  record Placed(Order order, boolean replayed) implements PurchaseAnswer {
  }

  record Held(Hold hold, boolean replayed) implements PurchaseAnswer {
  }

  record Refused(Refusal reason) implements PurchaseAnswer {
  }
}
