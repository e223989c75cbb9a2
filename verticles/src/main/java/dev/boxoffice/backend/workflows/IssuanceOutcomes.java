package dev.boxoffice.backend.workflows;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Reads a chunk's outcome as the ticket-issuance state machine publishes it ({@code IssuanceOutcome} of codecs:
 * {@code {batchId, issued: [{orderId, tickets: [{ticketId, qrKey}]}], failed: [orderId], error}}), from the outcome
 * queue or from an execution's output ({@code {batchId, outcomes: [...]}}).
 */
final class IssuanceOutcomes {

  /** One chunk's outcome: the tickets whose QR codes are ready (with their keys), the orders that got none. */
  record Outcome(UUID batchId, List<UUID> readyTickets, List<String> qrKeys, List<UUID> failedOrders) {
  }

  private IssuanceOutcomes() {
  }

  /** The outcome in {@code json}; fails with IllegalArgumentException when it is not one. */
  static Outcome read(String json) {
    try {
      return read(new JsonObject(json));
    } catch (DecodeException e) {
      throw new IllegalArgumentException("not JSON", e);
    }
  }

  /** Every chunk's outcome of a succeeded execution's output. */
  static List<Outcome> readExecutionOutput(String output) {
    try {
      JsonArray outcomes = new JsonObject(output).getJsonArray("outcomes", new JsonArray());
      List<Outcome> read = new ArrayList<>();
      for (int index = 0; index < outcomes.size(); index++) {
        read.add(read(outcomes.getJsonObject(index)));
      }
      return read;
    } catch (DecodeException | ClassCastException e) {
      throw new IllegalArgumentException("not an execution output of ticket issuance", e);
    }
  }

  private static Outcome read(JsonObject outcome) {
    try {
      UUID batchId = UUID.fromString(outcome.getString("batchId"));
      List<UUID> tickets = new ArrayList<>();
      List<String> keys = new ArrayList<>();
      JsonArray issued = outcome.getJsonArray("issued", new JsonArray());
      for (int order = 0; order < issued.size(); order++) {
        JsonArray orderTickets = issued.getJsonObject(order).getJsonArray("tickets", new JsonArray());
        for (int ticket = 0; ticket < orderTickets.size(); ticket++) {
          JsonObject issuedTicket = orderTickets.getJsonObject(ticket);
          tickets.add(UUID.fromString(issuedTicket.getString("ticketId")));
          keys.add(requireText(issuedTicket.getString("qrKey")));
        }
      }
      List<UUID> failed = new ArrayList<>();
      JsonArray failedOrders = outcome.getJsonArray("failed", new JsonArray());
      for (int order = 0; order < failedOrders.size(); order++) {
        failed.add(UUID.fromString(failedOrders.getString(order)));
      }
      return new Outcome(batchId, tickets, keys, failed);
    } catch (ClassCastException | NullPointerException e) {
      throw new IllegalArgumentException("not an issuance outcome", e);
    }
  }

  private static String requireText(String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("a ticket without its qrKey");
    }
    return value;
  }
}
