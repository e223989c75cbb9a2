package dev.boxoffice.backend.web;

import dev.boxoffice.backend.model.CheckedIn;
import dev.boxoffice.backend.model.Event;
import dev.boxoffice.backend.model.EventDetail;
import dev.boxoffice.backend.model.EventSummary;
import dev.boxoffice.backend.model.Hold;
import dev.boxoffice.backend.model.Order;
import dev.boxoffice.backend.model.Page;
import dev.boxoffice.backend.model.Refund;
import dev.boxoffice.backend.model.Ticket;
import dev.boxoffice.backend.model.TicketType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.Function;

/** The JSON the API answers for each of the domain's records, field by field in the order clients see them. */
final class Representations {

  private Representations() {
  }

  static JsonObject event(Event event) {
    JsonObject json = new JsonObject()
        .put("id", event.id().toString())
        .put("organizerEmail", event.organizerEmail())
        .put("title", event.title())
        .put("description", event.description())
        .put("category", event.category())
        .put("venue", event.venue())
        .put("city", event.city())
        .put("startsAt", event.startsAt().toString())
        .put("endsAt", event.endsAt().toString())
        .put("timeZone", event.timeZone())
        .put("status", event.status().text())
        .put("holdMinutes", event.holdMinutes());
    if (event.imageKey() != null) {
      json.put("imageKey", event.imageKey());
    }
    if (event.maxTicketsPerBuyer() != null) {
      json.put("maxTicketsPerBuyer", event.maxTicketsPerBuyer());
    }
    return json;
  }

  static JsonObject eventDetail(EventDetail detail) {
    JsonArray types = new JsonArray();
    detail.ticketTypes().forEach(type -> types.add(ticketType(type)));
    return event(detail.event()).put("ticketTypes", types);
  }

  static JsonObject ticketType(TicketType type) {
    return new JsonObject()
        .put("id", type.id().toString())
        .put("eventId", type.eventId().toString())
        .put("name", type.name())
        .put("priceMinor", type.priceMinor())
        .put("currency", type.currency())
        .put("capacity", type.capacity())
        .put("sold", type.sold())
        .put("held", type.held())
        .put("remaining", type.remaining())
        .put("salesStart", type.salesStart().toString())
        .put("salesEnd", type.salesEnd().toString())
        .put("maxPerOrder", type.maxPerOrder())
        .put("salesClosed", type.salesClosed());
  }

  static JsonObject summary(EventSummary summary) {
    JsonArray types = new JsonArray();
    for (EventSummary.TicketTypeSales sales : summary.ticketTypes()) {
      types.add(new JsonObject()
          .put("ticketTypeId", sales.ticketTypeId().toString())
          .put("name", sales.name())
          .put("capacity", sales.capacity())
          .put("sold", sales.sold())
          .put("held", sales.held())
          .put("remaining", sales.remaining())
          .put("paid", sales.paid())
          .put("refunded", sales.refunded())
          .put("checkedIn", sales.checkedIn())
          .put("paidMinor", sales.paidMinor())
          .put("refundedMinor", sales.refundedMinor())
          .put("revenueMinor", sales.revenueMinor())
          .put("refundsPending", sales.refundsPending())
          .put("currency", sales.currency()));
    }
    return new JsonObject().put("eventId", summary.eventId().toString()).put("ticketTypes", types);
  }

  static JsonObject order(Order order) {
    JsonObject json = new JsonObject()
        .put("id", order.id().toString())
        .put("eventId", order.eventId().toString())
        .put("ticketTypeId", order.ticketTypeId().toString())
        .put("buyerEmail", order.buyerEmail())
        .put("quantity", order.quantity())
        .put("unitPriceMinor", order.unitPriceMinor())
        .put("totalMinor", order.totalMinor())
        .put("currency", order.currency())
        .put("status", order.status().text())
        .put("placedAt", order.placedAt().toString());
    if (order.cancelledAt() != null) {
      json.put("cancelledAt", order.cancelledAt().toString());
    }
    if (order.paidMinor() != null) {
      json.put("paidMinor", order.paidMinor());
    }
    JsonArray tickets = new JsonArray();
    order.tickets().forEach(ticket -> tickets.add(ticket(ticket)));
    return json.put("tickets", tickets).put("refunds", refunds(order.refunds()));
  }

  static JsonObject hold(Hold hold) {
    JsonObject payment = new JsonObject().put("status", hold.payment().status().text());
    if (hold.payment().checkoutUrl() != null) {
      payment.put("checkoutUrl", hold.payment().checkoutUrl());
    }
    if (hold.payment().paidMinor() != null) {
      payment.put("paidMinor", hold.payment().paidMinor());
    }
    if (hold.payment().error() != null) {
      payment.put("error", hold.payment().error());
    }
    JsonObject json = new JsonObject()
        .put("id", hold.id().toString())
        .put("eventId", hold.eventId().toString())
        .put("ticketTypeId", hold.ticketTypeId().toString())
        .put("buyerEmail", hold.buyerEmail())
        .put("quantity", hold.quantity())
        .put("unitPriceMinor", hold.unitPriceMinor())
        .put("totalMinor", hold.totalMinor())
        .put("currency", hold.currency())
        .put("status", hold.status().text())
        .put("createdAt", hold.createdAt().toString())
        .put("expiresAt", hold.expiresAt().toString())
        .put("payment", payment)
        .put("refunds", refunds(hold.refunds()));
    if (hold.status() == Hold.Status.CONFIRMED) {
      json.put("orderId", hold.id().toString());
    }
    return json;
  }

  private static JsonArray refunds(List<Refund> refunds) {
    JsonArray json = new JsonArray();
    for (Refund refund : refunds) {
      JsonObject each = new JsonObject()
          .put("id", refund.id().toString())
          .put("amountMinor", refund.amountMinor())
          .put("currency", refund.currency())
          .put("tickets", refund.tickets())
          .put("reason", refund.reason().text())
          .put("status", refund.status().text())
          .put("createdAt", refund.createdAt().toString());
      if (refund.completedAt() != null) {
        each.put("completedAt", refund.completedAt().toString());
      }
      json.add(each);
    }
    return json;
  }

  static JsonObject ticket(Ticket ticket) {
    JsonObject json = new JsonObject()
        .put("id", ticket.id().toString())
        .put("orderId", ticket.orderId().toString())
        .put("eventId", ticket.eventId().toString())
        .put("ticketTypeId", ticket.ticketTypeId().toString())
        .put("status", ticket.status().text())
        .put("issuedAt", ticket.issuedAt().toString())
        .put("qrStatus", ticket.qrStatus().text());
    if (ticket.checkedInAt() != null) {
      json.put("checkedInAt", ticket.checkedInAt().toString());
    }
    return json;
  }

  static JsonObject checkedIn(CheckedIn admitted) {
    return new JsonObject()
        .put("ticketId", admitted.ticketId().toString())
        .put("eventId", admitted.eventId().toString())
        .put("ticketType", admitted.ticketTypeName())
        .put("checkedInAt", admitted.checkedInAt().toString());
  }

  /** {@code {"items": [...], "nextCursor": "..."}}, the cursor only when another page follows. */
  static <T> JsonObject page(Page<T> page, Function<T, JsonObject> item) {
    JsonArray items = new JsonArray();
    page.items().forEach(each -> items.add(item.apply(each)));
    JsonObject json = new JsonObject().put("items", items);
    page.next().ifPresent(next -> json.put("nextCursor", next.encode()));
    return json;
  }
}
