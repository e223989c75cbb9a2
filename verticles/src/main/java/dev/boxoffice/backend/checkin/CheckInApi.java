package dev.boxoffice.backend.checkin;

import dev.boxoffice.backend.web.Inputs;
import dev.boxoffice.backend.web.Replies;
import dev.boxoffice.backend.auth.Principal;
import dev.boxoffice.backend.web.Sessions;
import dev.boxoffice.backend.config.Config;
import dev.boxoffice.backend.web.ApiException;
import dev.boxoffice.codecs.ErrorBody;
import dev.boxoffice.codecs.session.Role;
import dev.boxoffice.codecs.session.SessionTokens;
import dev.boxoffice.codecs.tickets.InvalidTicketTokenException;
import dev.boxoffice.codecs.tickets.TicketClaims;
import dev.boxoffice.codecs.tickets.TicketTokens;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.security.PublicKey;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code POST /api/checkin}: the door scans a ticket's QR code; the token's signature and validity window are checked
 * offline with the ticket public key, then one conditional UPDATE marks the ticket used, so of any number of
 * simultaneous scans exactly one succeeds. The event's organizer may check in, and door staff of that organizer.
 */
public final class CheckInApi {

  private static final String TICKET = "SELECT k.event_id, k.ticket_type_id, k.status, k.checked_in_at,"
      + " t.name AS ticket_type_name, e.organizer_email"
      + " FROM tickets k JOIN ticket_types t ON t.id = k.ticket_type_id JOIN events e ON e.id = k.event_id"
      + " WHERE k.id = $1";
  private static final String CHECK_IN = "UPDATE tickets SET status = 'checked_in', checked_in_at = now()"
      + " WHERE id = $1 AND status = 'valid' AND checked_in_at IS NULL RETURNING checked_in_at";
  private static final String STATE_AFTER_REFUSAL = "SELECT status, checked_in_at FROM tickets WHERE id = $1";

  private final Pool pool;
  private final Config.Auth auth;
  private final Optional<PublicKey> ticketPublicKey;
  private final Clock clock;

  /** Fails fast when {@code BOXOFFICE_TICKET_PUBLIC_KEY} is set but is not an Ed25519 public key PEM. */
  public CheckInApi(Pool pool, Config config, Clock clock) {
    this.pool = pool;
    this.auth = config.auth();
    this.ticketPublicKey = config.serverless().ticketPublicKeyPem().map(pem -> {
      try {
        return SessionTokens.parsePublicKey(pem);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("BOXOFFICE_TICKET_PUBLIC_KEY is not an Ed25519 public key PEM", e);
      }
    });
    this.clock = clock;
  }

  public void checkIn(RoutingContext ctx) {
    Principal caller = Sessions.principal(ctx);
    if (!caller.hasRole(Role.ORGANIZER) && !caller.hasRole(Role.STAFF)) {
      throw new ApiException(403, ErrorBody.of("forbidden", "Only organizers and door staff check tickets in"));
    }
    if (ticketPublicKey.isEmpty()) {
      throw new ApiException(503, ErrorBody.of("checkin_unavailable",
          "Check-in is unavailable: this backend has no ticket public key (BOXOFFICE_TICKET_PUBLIC_KEY)"));
    }
    TicketClaims claims;
    try {
      claims = TicketTokens.verify(Inputs.body(ctx).getString("token").trim(), ticketPublicKey.get());
    } catch (InvalidTicketTokenException e) {
      throw ApiException.badRequest("invalid_ticket", "This is not a Boxoffice ticket", "token");
    }
    pool.preparedQuery(TICKET).execute(Tuple.of(claims.ticketId()))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(ApiException.notFound("No ticket " + claims.ticketId()));
          }
          Row ticket = rows.iterator().next();
          if (!claims.eventId().equals(ticket.getUUID("event_id"))
              || !claims.ticketTypeId().equals(ticket.getUUID("ticket_type_id"))) {
            return Future.failedFuture(
                ApiException.badRequest("invalid_ticket", "This token does not match the ticket it names", "token"));
          }
          if (!mayCheckIn(caller, ticket.getString("organizer_email"))) {
            return Future.failedFuture(new ApiException(403, ErrorBody.of("forbidden",
                "You check tickets in for other events than this one")));
          }
          if ("cancelled".equals(ticket.getString("status"))) {
            return Future.failedFuture(ticketCancelled());
          }
          if (!claims.isValidAt(clock.instant())) {
            return Future.failedFuture(ApiException.conflict("ticket_not_valid_now",
                "This ticket admits from " + claims.validFrom() + " until " + claims.validUntil()));
          }
          return markUsed(claims.ticketId(), ticket);
        })
        .onSuccess(body -> Replies.json(ctx, 200, body))
        .onFailure(failure -> {
          if (failure instanceof AlreadyCheckedIn already) {
            Replies.json(ctx, 409, new JsonObject()
                .put("code", "already_checked_in")
                .put("message", "This ticket was checked in at " + already.checkedInAt)
                .put("checkedInAt", already.checkedInAt));
          } else {
            ctx.fail(failure);
          }
        });
  }

  private boolean mayCheckIn(Principal caller, String organizerEmail) {
    return caller.hasRole(Role.ORGANIZER) && caller.email().equals(organizerEmail)
        || caller.hasRole(Role.STAFF) && auth.isDoorStaffOf(caller.email(), organizerEmail);
  }

  private Future<JsonObject> markUsed(UUID ticketId, Row ticket) {
    return pool.preparedQuery(CHECK_IN).execute(Tuple.of(ticketId)).compose(updated -> {
      if (updated.size() == 1) {
        return Future.succeededFuture(new JsonObject()
            .put("ticketId", ticketId.toString())
            .put("eventId", ticket.getUUID("event_id").toString())
            .put("ticketType", ticket.getString("ticket_type_name"))
            .put("checkedInAt", updated.iterator().next().getOffsetDateTime("checked_in_at").toInstant().toString()));
      }
      return pool.preparedQuery(STATE_AFTER_REFUSAL).execute(Tuple.of(ticketId)).compose(rows -> {
        Row now = rows.iterator().next();
        return Future.failedFuture(now.getOffsetDateTime("checked_in_at") != null
            ? new AlreadyCheckedIn(now.getOffsetDateTime("checked_in_at").toInstant().toString())
            : ticketCancelled());
      });
    });
  }

  private static ApiException ticketCancelled() {
    return ApiException.conflict("ticket_cancelled", "This ticket was cancelled; it admits no one");
  }

  /** The second and later scans: answered with the time of the first, which {@code ErrorBody} has no field for. */
  private static final class AlreadyCheckedIn extends RuntimeException {

    private final String checkedInAt;

    AlreadyCheckedIn(String checkedInAt) {
      super("already checked in", null, false, false);
      this.checkedInAt = checkedInAt;
    }
  }
}
