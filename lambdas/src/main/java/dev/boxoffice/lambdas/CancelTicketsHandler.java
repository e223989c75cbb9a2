package dev.boxoffice.lambdas;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.boxoffice.codecs.EmailAddresses;
import dev.boxoffice.codecs.api.CancelTicketsRequest;
import dev.boxoffice.codecs.api.TicketsCancelled;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * cancel-tickets, not routed: only the ticket-cancellation state machine invokes it, started by the backend for each
 * cancelled order. Input: a {@link CancelTicketsRequest}. Writes one empty marker per ticket at
 * {@code cancelled-tickets/<ticketId>} carrying the buyer and the organizer in its metadata, the two to whom
 * /get-qr-code then answers that the ticket was cancelled (anybody else gets the unknown ticket's 404).
 *
 * <p>The marker lives outside {@code tickets/}, where create-ticket may write, so an issuance still running for the
 * same ticket cannot overwrite or remove it: whatever PNG it stores afterwards, /get-qr-code reads the marker first.
 * The PNG itself is kept, because a tickets-ready email already queued still inlines it. Writing a marker again
 * changes nothing, so a retried invocation or a replayed execution is harmless. Input that can never succeed fails
 * with {@link InvalidInputException}; S3 failures fail with the SDK's exception, which the state machine retries.
 *
 * <p>Environment: {@code AWS_REGION}; {@code BOXOFFICE_BUCKET}; optional {@code BOXOFFICE_S3_ENDPOINT}.
 */
public final class CancelTicketsHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {

  private final S3Client s3;
  private final String bucket;

  public CancelTicketsHandler() {
    this(System.getenv());
  }

  public CancelTicketsHandler(Map<String, String> environment) {
    this(new HandlerEnvironment(environment));
  }

  CancelTicketsHandler(HandlerEnvironment environment) {
    this.s3 = AwsClients.s3(environment);
    this.bucket = environment.required(CreateEventHandler.BUCKET);
  }

  /** Where the marker of a cancelled ticket lies; its presence is what makes /get-qr-code refuse the ticket. */
  public static String cancelledKeyOf(Object ticketId) {
    return "cancelled-tickets/" + ticketId;
  }

  @Override
  public Map<String, Object> handleRequest(Map<String, Object> input, Context context) {
    CancelTicketsRequest order = StateMachineInput.read(input, CancelTicketsRequest.class);
    List<UUID> ticketIds = ticketIdsOf(order);
    Map<String, String> metadata = Map.of(
        CreateTicketHandler.BUYER_EMAIL, email(order.buyerEmail(), "buyerEmail"),
        CreateTicketHandler.ORGANIZER_EMAIL, email(order.organizerEmail(), "organizerEmail"),
        "order-id", requirePresent(order.orderId(), "orderId").toString(),
        "event-id", requirePresent(order.eventId(), "eventId").toString());
    for (UUID ticketId : ticketIds) {
      s3.putObject(put -> put.bucket(bucket).key(cancelledKeyOf(ticketId)).metadata(metadata),
          RequestBody.empty());
    }
    return StateMachineInput.asMap(new TicketsCancelled(order.orderId(), ticketIds));
  }

  private static List<UUID> ticketIdsOf(CancelTicketsRequest order) {
    List<UUID> ticketIds = requirePresent(order.ticketIds(), "ticketIds");
    if (ticketIds.isEmpty() || ticketIds.contains(null)) {
      throw new InvalidInputException("ticketIds must list the order's tickets");
    }
    return ticketIds;
  }

  private static <T> T requirePresent(T value, String field) {
    if (value == null) {
      throw new InvalidInputException(field + " is required");
    }
    return value;
  }

  private static String email(String value, String field) {
    try {
      return EmailAddresses.normalize(requirePresent(value, field));
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(field + ": " + e.getMessage());
    }
  }
}
