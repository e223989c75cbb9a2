package dev.boxoffice.backend.checkin;

import dev.boxoffice.backend.auth.Principal;
import dev.boxoffice.backend.config.Config;
import dev.boxoffice.backend.model.CheckedIn;
import dev.boxoffice.backend.model.Refusal;
import dev.boxoffice.backend.model.Ticket;
import dev.boxoffice.backend.store.CheckInStore;
import dev.boxoffice.codecs.session.Role;
import dev.boxoffice.codecs.session.SessionTokens;
import dev.boxoffice.codecs.tickets.InvalidTicketTokenException;
import dev.boxoffice.codecs.tickets.TicketClaims;
import dev.boxoffice.codecs.tickets.TicketTokens;
import io.vertx.core.Future;
import java.security.PublicKey;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;

/**
 * The door scans a ticket's QR code: the token's signature and validity window are checked offline with the ticket
 * public key, then one conditional UPDATE marks the ticket used, so of any number of simultaneous scans exactly one
 * succeeds. The event's organizer may check in, and door staff of that organizer.
 */
public final class CheckInService {

  private final CheckInStore store;
  private final Config.Auth auth;
  private final Optional<PublicKey> ticketPublicKey;
  private final Clock clock;

  /** Fails fast when {@code BOXOFFICE_TICKET_PUBLIC_KEY} is set but is not an Ed25519 public key PEM. */
  public CheckInService(CheckInStore store, Config config, Clock clock) {
    this.store = store;
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

  /** {@code token} is the QR code's text. */
  public Future<CheckedIn> checkIn(Principal caller, String token) {
    if (!caller.hasRole(Role.ORGANIZER) && !caller.hasRole(Role.STAFF)) {
      return Future.failedFuture(new Refusal.NotAllowed("Only organizers and door staff check tickets in"));
    }
    if (ticketPublicKey.isEmpty()) {
      return Future.failedFuture(new Refusal.CheckInUnavailable());
    }
    TicketClaims claims;
    try {
      claims = TicketTokens.verify(token, ticketPublicKey.get());
    } catch (InvalidTicketTokenException e) {
      return Future.failedFuture(new Refusal.InvalidTicket("This is not a Boxoffice ticket"));
    }
    return store.ticket(claims.ticketId()).compose(ticket -> admit(caller, claims, ticket));
  }

  private Future<CheckedIn> admit(Principal caller, TicketClaims claims, CheckInStore.TicketAtDoor ticket) {
    if (!claims.eventId().equals(ticket.eventId()) || !claims.ticketTypeId().equals(ticket.ticketTypeId())) {
      return Future.failedFuture(new Refusal.InvalidTicket("This token does not match the ticket it names"));
    }
    if (!mayCheckIn(caller, ticket.organizerEmail())) {
      return Future.failedFuture(new Refusal.NotAllowed("You check tickets in for other events than this one"));
    }
    if (ticket.status() == Ticket.Status.CANCELLED) {
      return Future.failedFuture(new Refusal.TicketCancelled());
    }
    if (!claims.isValidAt(clock.instant())) {
      return Future.failedFuture(new Refusal.TicketNotValidNow(claims.validFrom(), claims.validUntil()));
    }
    UUID ticketId = claims.ticketId();
    return store.markUsed(ticketId).compose(checkedInAt -> checkedInAt.isPresent()
        ? Future.succeededFuture(new CheckedIn(ticketId, ticket.eventId(), ticket.ticketTypeName(), checkedInAt.get()))
        : refusedScan(ticketId));
  }

  /** The UPDATE let nobody in: the ticket entered already (maybe a moment ago), or was cancelled meanwhile. */
  private Future<CheckedIn> refusedScan(UUID ticketId) {
    return store.firstScan(ticketId).compose(firstScan -> Future.failedFuture(firstScan.isPresent()
        ? new Refusal.AlreadyCheckedIn(firstScan.get())
        : new Refusal.TicketCancelled()));
  }

  private boolean mayCheckIn(Principal caller, String organizerEmail) {
    return caller.hasRole(Role.ORGANIZER) && caller.email().equals(organizerEmail)
        || caller.hasRole(Role.STAFF) && auth.isDoorStaffOf(caller.email(), organizerEmail);
  }
}
