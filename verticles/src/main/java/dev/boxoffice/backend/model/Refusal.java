package dev.boxoffice.backend.model;

import java.time.Instant;

/**
 * Why the domain refuses what it was asked, as a sentence a person can act on. Refusals are answers, not faults: they
 * carry no stack trace, and only the web layer knows which status code and error code each one becomes
 * ({@code web.Refusals}); being sealed, that mapping cannot forget one.
 */
public abstract sealed class Refusal extends RuntimeException {

  private Refusal(String message) {
    super(message, null, false, false);
  }

  /** Nothing by that id that the caller may see: another organizer's event is as unknown as a missing one. */
  public static final class NotFound extends Refusal {
    public NotFound(String message) {
      super(message);
    }
  }

  /** A cancelled event changes no more. */
  public static final class EventCancelled extends Refusal {
    public EventCancelled(String message) {
      super(message);
    }
  }

  /** The event's end would come before its start once the change is applied. */
  public static final class EndsBeforeStart extends Refusal {
    public EndsBeforeStart() {
      super("endsAt must be after startsAt");
    }
  }

  /** A ticket type's capacity cannot go below what it sold. */
  public static final class CapacityBelowSold extends Refusal {
    public CapacityBelowSold(int sold) {
      super(sold + " tickets are sold already; capacity cannot go below that");
    }
  }

  /** The buyer's purchase rate limit; {@link #retryAfterSeconds()} says when the window ends. */
  public static final class TooManyPurchases extends Refusal {
    private final long retryAfterSeconds;

    public TooManyPurchases(int purchases, long windowSeconds, long retryAfterSeconds) {
      super("At most " + purchases + " purchases per " + windowSeconds + " seconds; retry after " + retryAfterSeconds
          + " seconds");
      this.retryAfterSeconds = retryAfterSeconds;
    }

    public long retryAfterSeconds() {
      return retryAfterSeconds;
    }
  }

  /** Outside the sales window, sales closed by the organizer, or the event not published. */
  public static final class SalesClosed extends Refusal {
    public SalesClosed() {
      super("Tickets of this type are not on sale now");
    }
  }

  public static final class OverPerOrderLimit extends Refusal {
    public OverPerOrderLimit(int maxPerOrder) {
      super("At most " + maxPerOrder + " tickets per order");
    }
  }

  /**
   * The buyer would have more of the event's tickets than its organizer allows one buyer, counting their placed
   * orders and active holds of every ticket type of the event.
   */
  public static final class OverBuyerLimit extends Refusal {
    public OverBuyerLimit(int limit, int left) {
      super("At most " + limit + " tickets of this event per buyer; "
          + (left == 0 ? "you have them all already" : "you may take " + left + " more"));
    }
  }

  /** The event sells through its waiting room, and this buyer has no valid admission to it. */
  public static final class AdmissionRequired extends Refusal {
    public AdmissionRequired() {
      super("This event sells through its waiting room: join the queue, and buy when your turn comes");
    }
  }

  /** The waiting room cannot reach its line now; nobody is admitted meanwhile, and every place is kept. */
  public static final class WaitingRoomPaused extends Refusal {
    public WaitingRoomPaused() {
      super("The queue is paused for a moment; your place is kept");
    }
  }

  /**
   * More visitors arrive at this backend than its line can take in now: the visit was not made (no place taken, none
   * lost), and the visitor is asked to come back after {@code retryAfterSeconds}, spread so that they do not all come
   * back at once. Unlike {@link WaitingRoomPaused}, the line is reachable and admissions go on.
   */
  public static final class WaitingRoomBusy extends Refusal {
    private final int retryAfterSeconds;
    private final String arrivalTicket;

    /** {@code arrivalTicket}: what the visitor hands back next time so that their arrival counts from now. */
    public WaitingRoomBusy(int retryAfterSeconds, String arrivalTicket) {
      super("Many people are arriving at once; try again in " + retryAfterSeconds + " s");
      this.retryAfterSeconds = retryAfterSeconds;
      this.arrivalTicket = arrivalTicket;
    }

    public int retryAfterSeconds() {
      return retryAfterSeconds;
    }

    public String arrivalTicket() {
      return arrivalTicket;
    }
  }

  /** Fewer tickets remain than asked for (maybe none). */
  public static final class SoldOut extends Refusal {
    public SoldOut(int remaining) {
      super(remaining == 0 ? "Sold out" : "Only " + remaining + " tickets left");
    }
  }

  /** The buyer's Idempotency-Key was used for another purchase (another ticket type or quantity). */
  public static final class IdempotencyKeyReused extends Refusal {
    public IdempotencyKeyReused() {
      super("This Idempotency-Key was used for a different purchase");
    }
  }

  /** The purchase's transaction failed as a whole; the same request may be sent again. */
  public static final class PurchaseUnavailable extends Refusal {
    public PurchaseUnavailable() {
      super("The purchase could not be completed and nothing was bought; retry with the same Idempotency-Key");
    }
  }

  /** A purchase of a priced ticket type: it is held first, then paid. */
  public static final class PaymentRequired extends Refusal {
    public PaymentRequired() {
      super("Tickets of this type are paid: hold them (POST /api/ticket-types/{ticketTypeId}/holds), then pay for the"
          + " hold");
    }
  }

  /** A hold of a free ticket type: there is nothing to pay, so it is bought at once. */
  public static final class NoPaymentNeeded extends Refusal {
    public NoPaymentNeeded() {
      super("Tickets of this type are free: buy them at once (POST /api/ticket-types/{ticketTypeId}/purchases)");
    }
  }

  /** The hold is no longer active: paid already, run out, or cancelled. */
  public static final class HoldEnded extends Refusal {
    private final Hold.Status status;

    public HoldEnded(Hold.Status status) {
      super(switch (status) {
        case CONFIRMED -> "This hold is paid already: its tickets are in your orders";
        case EXPIRED -> "This hold ran out and its tickets went back on sale";
        case CANCELLED -> "This hold was cancelled and its tickets went back on sale";
        case ACTIVE -> throw new IllegalArgumentException("an active hold has not ended");
      });
      this.status = status;
    }

    public Hold.Status status() {
      return status;
    }
  }

  /** No payment provider is configured on this backend. */
  public static final class PaymentsUnavailable extends Refusal {
    public PaymentsUnavailable() {
      super("Payments are unavailable: this backend has no payment provider configured");
    }
  }

  /** The payment provider could not be reached or failed; nothing was charged by this request. */
  public static final class PaymentProviderFailed extends Refusal {
    public PaymentProviderFailed(String message) {
      super(message);
    }
  }

  /** A webhook whose signature is missing, wrong, or too old to be trusted. */
  public static final class InvalidSignature extends Refusal {
    public InvalidSignature(String message) {
      super(message);
    }
  }

  public static final class OrderAlreadyCancelled extends Refusal {
    public OrderAlreadyCancelled() {
      super("The order is cancelled already");
    }
  }

  /** The grantee already has, has asked for, or was invited to this role: one live grant per role and scope. */
  public static final class AlreadyGranted extends Refusal {
    public AlreadyGranted(String message) {
      super(message);
    }
  }

  /** The caller is known but may not do this. */
  public static final class NotAllowed extends Refusal {
    public NotAllowed(String message) {
      super(message);
    }
  }

  /** This backend has no ticket public key to verify tickets with. */
  public static final class CheckInUnavailable extends Refusal {
    public CheckInUnavailable() {
      super("Check-in is unavailable: this backend has no ticket public key (BOXOFFICE_TICKET_PUBLIC_KEY)");
    }
  }

  /** The scanned token is not a ticket we signed, or not the ticket it names. */
  public static final class InvalidTicket extends Refusal {
    public InvalidTicket(String message) {
      super(message);
    }
  }

  public static final class TicketCancelled extends Refusal {
    public TicketCancelled() {
      super("This ticket was cancelled; it admits no one");
    }
  }

  public static final class TicketNotValidNow extends Refusal {
    public TicketNotValidNow(Instant validFrom, Instant validUntil) {
      super("This ticket admits from " + validFrom + " until " + validUntil);
    }
  }

  /** A door sent the id of one of its scans again, for another ticket: a bug of that door, never a retry. */
  public static final class ScanIdReused extends Refusal {
    public ScanIdReused() {
      super("This scanId was used for another ticket; each scan needs an id of its own");
    }
  }

  /** The second and later scans of a ticket, with the time of the first. */
  public static final class AlreadyCheckedIn extends Refusal {
    private final Instant checkedInAt;

    public AlreadyCheckedIn(Instant checkedInAt) {
      super("This ticket was checked in at " + checkedInAt);
      this.checkedInAt = checkedInAt;
    }

    public Instant checkedInAt() {
      return checkedInAt;
    }
  }
}
