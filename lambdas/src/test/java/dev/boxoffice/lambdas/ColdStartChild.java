package dev.boxoffice.lambdas;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** One cold start of create-ticket in this fresh JVM, printed in milliseconds; started by {@link ColdStartProbe}. */
public final class ColdStartChild {

  private ColdStartChild() {
  }

  public static void main(String[] args) {
    long mainEntered = System.currentTimeMillis();
    long jvmStarted = ManagementFactory.getRuntimeMXBean().getStartTime();
    long constructing = System.nanoTime();
    CreateTicketHandler handler = new CreateTicketHandler();
    long constructed = System.nanoTime();
    handler.handleRequest(ticket(), null);
    long firstDone = System.nanoTime();
    handler.handleRequest(ticket(), null);
    long secondDone = System.nanoTime();
    System.out.printf("JVM start to main %d ms, construct %d ms, first invocation %d ms, cold total %d ms, "
            + "second (warm) invocation %d ms%n",
        mainEntered - jvmStarted, (constructed - constructing) / 1_000_000, (firstDone - constructed) / 1_000_000,
        mainEntered - jvmStarted + (firstDone - constructing) / 1_000_000, (secondDone - firstDone) / 1_000_000);
  }

  /** A chunk of one order of one ticket, as the ticket-issuance state machine passes it. */
  private static Map<String, Object> ticket() {
    Map<String, Object> event = new HashMap<>();
    event.put("eventId", UUID.randomUUID().toString());
    event.put("title", "Cold start");
    event.put("organizerEmail", "organizer@example.test");
    event.put("venue", "Arena");
    event.put("city", "Lyon");
    event.put("startsAt", "2026-12-01T20:00:00Z");
    event.put("endsAt", "2026-12-01T23:00:00Z");
    event.put("timeZone", "Europe/Paris");
    event.put("validFrom", "2026-12-01T18:00:00Z");
    event.put("validUntil", "2026-12-02T02:00:00Z");
    Map<String, Object> order = new HashMap<>();
    order.put("orderId", UUID.randomUUID().toString());
    order.put("ticketTypeId", UUID.randomUUID().toString());
    order.put("buyerEmail", "buyer@example.test");
    order.put("ticketIds", List.of(UUID.randomUUID().toString()));
    Map<String, Object> chunk = new HashMap<>();
    chunk.put("batchId", UUID.randomUUID().toString());
    chunk.put("event", event);
    chunk.put("orders", List.of(order));
    return chunk;
  }
}
