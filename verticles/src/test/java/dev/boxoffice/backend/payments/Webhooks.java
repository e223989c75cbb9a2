package dev.boxoffice.backend.payments;

import static dev.boxoffice.backend.web.TestApi.await;

import com.stripe.net.Webhook;
import dev.boxoffice.backend.web.TestApi;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Instant;

/** Delivers a webhook as Stripe would, signed by stripe-java's own signing code (not the backend's). */
final class Webhooks {

  private Webhooks() {
  }

  /** Signed now with {@code secret}. */
  static HttpResponse<Buffer> deliverSigned(TestApi api, String payload, String secret) {
    return deliver(api, payload, signature(payload, secret, Instant.now().getEpochSecond()));
  }

  /** With {@code signatureHeader} as Stripe-Signature (null: none). */
  static HttpResponse<Buffer> deliver(TestApi api, String payload, String signatureHeader) {
    var request = api.request(HttpMethod.POST, TestApi.WEBHOOK_PATH, null)
        .putHeader("Content-Type", "application/json");
    if (signatureHeader != null) {
      request.putHeader("Stripe-Signature", signatureHeader);
    }
    return await(request.sendBuffer(Buffer.buffer(payload)));
  }

  static String signature(String payload, String secret, long timestamp) {
    try {
      return Webhook.Signature.generateSignatureHeader(payload, secret, timestamp);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
