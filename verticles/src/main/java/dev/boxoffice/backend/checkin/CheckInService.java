package dev.boxoffice.backend.checkin;

import dev.boxoffice.backend.auth.Principal;
import dev.boxoffice.backend.config.Config;
import dev.boxoffice.backend.db.TimeOrderedIds;
import dev.boxoffice.backend.model.CheckedIn;
import dev.boxoffice.backend.model.Refusal;
import dev.boxoffice.backend.model.Ticket;
import dev.boxoffice.backend.store.CheckInStore;
import dev.boxoffice.codecs.tickets.InvalidTicketTokenException;
import dev.boxoffice.codecs.tickets.TicketClaims;
import dev.boxoffice.codecs.tickets.TicketTokens;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;

/**
 * The door scans a ticket's QR code online: the token's signature and validity window are checked with the ticket
 * public key, then one conditional UPDATE marks the ticket used, so of any number of simultaneous scans exactly one
 * succeeds. The event's organizer may check in, and door staff of that organizer; to anyone else a ticket of another
 * organizer answers exactly as a ticket that does not exist, so scans tell nobody which tickets are real. A door may
 * name its scan with an id of its own: sent again (the answer was lost), the same scan is answered as it was, never
 * as a second entry.
 */
public final class CheckInService {

  private final CheckInStore store;
  private final DoorAccess access;
  private final TicketKey ticketKey;
  private final Clock clock;

  /** Fails fast when {@code BOXOFFICE_TICKET_PUBLIC_KEY} is set but is not an Ed25519 public key PEM. */
  public CheckInService(CheckInStore store, Config config, Clock clock) {
    this.store = store;
    this.access = new DoorAccess();
    this.ticketKey = new TicketKey(config);
    this.clock = clock;
  }

  /** {@code token} is the QR code's text; {@code scanId} the door's id for this scan, if it gives one. */
  public Future<CheckedIn> checkIn(Principal caller, String token, Optional<UUID> scanId, Optional<String> door) {
    return access.requireDoorRole(caller).compose(allowed -> {
      TicketClaims claims;
      try {
        claims = TicketTokens.verify(token, ticketKey.require());
      } catch (InvalidTicketTokenException e) {
        return Future.failedFuture(new Refusal.InvalidTicket("This is not a Boxoffice ticket"));
      }
      CheckInStore.Scan scan = new CheckInStore.Scan(scanId.orElseGet(TimeOrderedIds::next), claims.ticketId(),
          caller.email(), door);
      return store.ticket(claims.ticketId()).compose(ticket -> admit(caller, claims, ticket, scan));
    });
  }

  private Future<CheckedIn> admit(Principal caller, TicketClaims claims, CheckInStore.TicketAtDoor ticket,
                                  CheckInStore.Scan scan) {
    if (!access.mayCheckIn(caller, ticket.organizerEmail(), ticket.eventId())) {
      return Future.failedFuture(new Refusal.NotFound(CheckInStore.NO_SUCH_TICKET));
    }
    if (!claims.eventId().equals(ticket.eventId()) || !claims.ticketTypeId().equals(ticket.ticketTypeId())) {
      return Future.failedFuture(new Refusal.InvalidTicket("This token does not match the ticket it names"));
    }
    if (ticket.status() == Ticket.Status.CANCELLED) {
      return Future.failedFuture(new Refusal.TicketCancelled());
    }
    if (!claims.isValidAt(clock.instant())) {
      return Future.failedFuture(new Refusal.TicketNotValidNow(claims.validFrom(), claims.validUntil()));
    }
    return store.markUsed(scan).compose(checkedInAt -> checkedInAt.isPresent()
        ? Future.succeededFuture(new CheckedIn(scan.ticketId(), ticket.eventId(), ticket.ticketTypeName(),
            checkedInAt.get()))
        : refusedScan(scan, ticket));
  }

  /**
   * The UPDATE let nobody in: this very scan did already (the door is sending it again), the ticket entered already
   * (maybe a moment ago), or it was cancelled meanwhile.
   */
  private Future<CheckedIn> refusedScan(CheckInStore.Scan scan, CheckInStore.TicketAtDoor ticket) {
    return store.recordedScan(scan).compose(sameScan -> sameScan.isPresent()
        ? Future.succeededFuture(new CheckedIn(scan.ticketId(), ticket.eventId(), ticket.ticketTypeName(),
            sameScan.get()))
        : store.firstScan(scan.ticketId()).compose(firstScan -> Future.failedFuture(firstScan.isPresent()
            ? new Refusal.AlreadyCheckedIn(firstScan.get())
            : new Refusal.TicketCancelled())));
  }
}
