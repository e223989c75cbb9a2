package dev.boxoffice.lambdas;

import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.HashMap;
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

  private static Map<String, Object> ticket() {
    Map<String, Object> ticket = new HashMap<>();
    ticket.put("ticketId", UUID.randomUUID().toString());
    ticket.put("orderId", UUID.randomUUID().toString());
    ticket.put("eventId", UUID.randomUUID().toString());
    ticket.put("ticketTypeId", UUID.randomUUID().toString());
    ticket.put("buyerEmail", "buyer@example.test");
    ticket.put("organizerEmail", "organizer@example.test");
    ticket.put("validFrom", Instant.parse("2026-12-01T18:00:00Z").toString());
    ticket.put("validUntil", Instant.parse("2026-12-02T02:00:00Z").toString());
    return ticket;
  }
}
