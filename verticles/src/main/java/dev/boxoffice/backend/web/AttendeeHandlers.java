package dev.boxoffice.backend.web;

import dev.boxoffice.backend.attendees.AttendeeService;
import dev.boxoffice.backend.auth.Principal;
import dev.boxoffice.backend.model.Attendee;
import dev.boxoffice.backend.model.AttendeeFilter;
import dev.boxoffice.backend.model.CheckInCounts;
import dev.boxoffice.backend.model.Cursor;
import dev.boxoffice.backend.model.Page;
import dev.boxoffice.backend.model.PageRequest;
import dev.boxoffice.backend.model.Ticket;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import java.util.UUID;

/**
 * An organizer's attendees: the list (JSON pages), its CSV export (streamed page by page as the client reads it, so
 * an event of any size costs the same memory) and the live check-in counts (Server-Sent Events).
 */
public final class AttendeeHandlers {

  /** Under the ALB's 60 s idle timeout, so a quiet stream is never cut as idle. */
  static final long HEARTBEAT_MS = 15_000;

  private final AttendeeService attendees;

  public AttendeeHandlers(AttendeeService attendees) {
    this.attendees = attendees;
  }

  void listAttendees(RoutingContext ctx) {
    UUID eventId = Inputs.pathId(ctx, "eventId");
    attendees.attendees(Sessions.principal(ctx), eventId, filter(ctx), Inputs.page(ctx))
        .onSuccess(page -> Replies.json(ctx, 200, Representations.page(page, AttendeeHandlers::json)))
        .onFailure(ctx::fail);
  }

  void exportAttendees(RoutingContext ctx) {
    UUID eventId = Inputs.pathId(ctx, "eventId");
    AttendeeFilter filter = filter(ctx);
    attendees.requireOwnEvent(Sessions.principal(ctx), eventId)
        .onSuccess(own -> {
          HttpServerResponse response = ctx.response()
              .setChunked(true)
              .putHeader(HttpHeaders.CONTENT_TYPE, AttendeeCsv.MEDIA_TYPE)
              .putHeader(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"attendees-" + eventId + ".csv\"")
              .putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
          response.write(AttendeeCsv.BYTE_ORDER_MARK + AttendeeCsv.HEADER);
          exportFrom(ctx, eventId, filter, Optional.empty());
        })
        .onFailure(ctx::fail);
  }

  /** Writes the pages from {@code after} on, each once the client has taken the previous one. */
  private void exportFrom(RoutingContext ctx, UUID eventId, AttendeeFilter filter, Optional<Cursor> after) {
    HttpServerResponse response = ctx.response();
    attendees.exportPage(eventId, filter, new PageRequest(after, AttendeeService.EXPORT_PAGE_SIZE))
        .compose(page -> written(response, page).map(page))
        .onSuccess(page -> {
          if (response.closed()) {
            return;
          }
          if (page.next().isPresent()) {
            exportFrom(ctx, eventId, filter, page.next());
          } else {
            response.end();
          }
        })
        // The status line is gone: cutting the connection is the only way to tell the client the file is short.
        .onFailure(failure -> response.reset());
  }

  private static Future<Void> written(HttpServerResponse response, Page<Attendee> page) {
    StringBuilder rows = new StringBuilder();
    page.items().forEach(attendee -> rows.append(AttendeeCsv.row(attendee)));
    response.write(Buffer.buffer(rows.toString()));
    if (!response.writeQueueFull() || response.closed()) {
      return Future.succeededFuture();
    }
    return Future.future(drained -> response.drainHandler(ignored -> drained.complete()));
  }

  void streamCheckIns(RoutingContext ctx) {
    UUID eventId = Inputs.pathId(ctx, "eventId");
    Principal organizer = Sessions.principal(ctx);
    HttpServerResponse response = ctx.response();
    attendees.watchCheckIns(organizer, eventId, counts -> sendCounts(response, counts))
        .onSuccess(stop -> {
          openStream(response);
          long heartbeat = ctx.vertx().setPeriodic(HEARTBEAT_MS, tick -> response.write(": still here\n\n"));
          response.closeHandler(closed -> {
            ctx.vertx().cancelTimer(heartbeat);
            stop.run();
          });
        })
        .onFailure(ctx::fail);
  }

  private static void sendCounts(HttpServerResponse response, CheckInCounts counts) {
    if (response.closed()) {
      return;
    }
    openStream(response);
    JsonObject data = new JsonObject().put("issued", counts.issued()).put("checkedIn", counts.checkedIn());
    response.write("event: counts\ndata: " + data.encode() + "\n\n");
  }

  private static void openStream(HttpServerResponse response) {
    if (!response.headWritten()) {
      response.setChunked(true)
          .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream; charset=utf-8")
          .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
          // Compression would hold events back until a compressed block fills.
          .putHeader(HttpHeaders.CONTENT_ENCODING, HttpHeaders.IDENTITY)
          .write("retry: 3000\n\n");
    }
  }

  private static AttendeeFilter filter(RoutingContext ctx) {
    String search = Inputs.query(ctx, "q");
    String ticketType = Inputs.query(ctx, "ticketTypeId");
    String status = Inputs.query(ctx, "status");
    return new AttendeeFilter(Optional.ofNullable(search).map(String::strip).filter(text -> !text.isEmpty()),
        Optional.ofNullable(ticketType).map(UUID::fromString), Optional.ofNullable(status).map(Ticket.Status::of));
  }

  static JsonObject json(Attendee attendee) {
    JsonObject json = new JsonObject()
        .put("ticketId", attendee.ticketId().toString())
        .put("orderId", attendee.orderId().toString())
        .put("buyerEmail", attendee.buyerEmail())
        .put("ticketTypeId", attendee.ticketTypeId().toString())
        .put("ticketTypeName", attendee.ticketTypeName())
        .put("unitPriceMinor", attendee.unitPriceMinor())
        .put("currency", attendee.currency())
        .put("status", attendee.status().text())
        .put("purchasedAt", attendee.issuedAt().toString());
    attendee.checkedInAt().ifPresent(at -> json.put("checkedInAt", at.toString()));
    return json;
  }
}
