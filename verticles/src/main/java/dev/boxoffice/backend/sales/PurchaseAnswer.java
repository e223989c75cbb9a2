package dev.boxoffice.backend.sales;

import dev.boxoffice.backend.web.ApiException;
import io.vertx.core.json.JsonObject;

/** What one purchase request gets: its order (new or, for a repeated Idempotency-Key, the original) or a refusal. */
sealed interface PurchaseAnswer {

  record Placed(JsonObject order, boolean replayed) implements PurchaseAnswer {
  }

  record Refused(ApiException reason) implements PurchaseAnswer {
  }
}
