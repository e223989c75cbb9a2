package dev.boxoffice.backend.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;

/**
 * One buyer's purchase as the batcher sees it: an order of free tickets, or a {@code hold} of priced ones.
 * {@link #requestHash()} identifies what was asked (ticket type, quantity, hold or not), so a reused Idempotency-Key
 * is recognised whether it repeats the purchase or asks for another. {@code admittedTo} is the event a valid
 * waiting-room admission of the buyer's came with (null: none), which an event with a waiting room requires.
 * {@code traceHeader} is the X-Ray trace header of the request that asked (null: none), which the order's outbox row
 * keeps: the batch that writes it serves many requests at once.
 */
public record PurchaseRequest(UUID ticketTypeId, String buyerEmail, String idempotencyKey, int quantity,
                              boolean hold, UUID admittedTo, String traceHeader) {

  public String requestHash() {
    String asked = ticketTypeId + ":" + quantity + (hold ? ":hold" : "");
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(asked.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The scope of an Idempotency-Key: one buyer's key. */
  public String keyScope() {
    return buyerEmail + "\n" + idempotencyKey;
  }
}
