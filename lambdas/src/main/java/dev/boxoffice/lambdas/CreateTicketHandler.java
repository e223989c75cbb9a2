package dev.boxoffice.lambdas;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.boxoffice.codecs.EmailAddresses;
import dev.boxoffice.codecs.api.CreateTicketsRequest;
import dev.boxoffice.codecs.api.IssuanceOutcome;
import dev.boxoffice.codecs.api.TicketQrCode;
import dev.boxoffice.codecs.notifications.EventDetails;
import dev.boxoffice.codecs.notifications.IssuedTicket;
import dev.boxoffice.codecs.notifications.TicketsReady;
import dev.boxoffice.codecs.tickets.TicketClaims;
import dev.boxoffice.codecs.tickets.TicketTokens;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * create-ticket, not routed: only the ticket-issuance state machine invokes it (its IAM role is the one principal
 * with lambda:InvokeFunction on it; no API Gateway route, so no caller credential to check here). Input: a
 * {@link CreateTicketsRequest}, one chunk of an issuance batch (whole orders of one event). For each ticket it signs
 * the ticket token ({@link TicketTokens}), renders it as a QR code PNG and stores it at {@code tickets/<ticketId>.png}
 * with the metadata /get-qr-code authorises by ({@code buyer-email}, {@code organizer-email}); then it publishes each
 * order's {@code tickets-ready} notification, ten to a PublishBatch, and answers the chunk's {@link IssuanceOutcome}.
 * Several codes per invocation, uploads in parallel: one invocation's start-up and one state transition serve a whole
 * chunk.
 *
 * <p>Idempotent: the key is derived from the ticket id and Ed25519 tokens and the PNGs are deterministic, so a
 * repeated chunk stores the same bytes again (a changed input, such as a new validity, replaces the object), and a
 * notification's id is {@code tickets-ready:<orderId>}, which the mailer sends once. Input that can never succeed
 * fails with {@link InvalidInputException} before anything is stored; S3 and SNS failures fail with the SDK's
 * exception, which the state machine retries.
 *
 * <p>Environment: {@code AWS_REGION}; {@code BOXOFFICE_BUCKET}; {@code BOXOFFICE_NOTIFICATION_TOPIC_ARN};
 * {@code BOXOFFICE_KEYS_SECRET_ID} (the secret holding the ticket signing key, Ed25519 PKCS#8 PEM, read at run time:
 * {@link KeysSecret}); optional {@code BOXOFFICE_SECRETS_TTL_SECONDS}, {@code BOXOFFICE_S3_ENDPOINT},
 * {@code BOXOFFICE_SNS_ENDPOINT}, {@code BOXOFFICE_SECRETSMANAGER_ENDPOINT}.
 */
public final class CreateTicketHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {

  public static final String BUYER_EMAIL = "buyer-email";
  public static final String ORGANIZER_EMAIL = "organizer-email";
  public static final String TOKEN_SHA256 = "token-sha256";
  /** S3 puts in flight per invocation: a put waits on the network far longer than a code takes to render. */
  static final int PARALLEL_UPLOADS = 8;

  private final S3Client s3;
  private final String bucket;
  private final KeysSecret keys;
  private final NotificationTopic topic;
  private final ExecutorService uploads = Executors.newFixedThreadPool(PARALLEL_UPLOADS, runnable -> {
    Thread thread = new Thread(runnable, "create-ticket-upload");
    thread.setDaemon(true);
    return thread;
  });

  public CreateTicketHandler() {
    this(System.getenv());
  }

  public CreateTicketHandler(Map<String, String> environment) {
    this(new HandlerEnvironment(environment));
  }

  CreateTicketHandler(HandlerEnvironment environment) {
    this.s3 = AwsClients.s3(environment);
    this.bucket = environment.required(CreateEventHandler.BUCKET);
    this.keys = new KeysSecret(environment, Clock.systemUTC());
    this.topic = new NotificationTopic(AwsClients.sns(environment), environment.required(NotificationTopic.TOPIC_ARN));
    if (keys.ticketPrivateKey() == null) {
      throw new IllegalStateException("the keys secret has no ticketPrivateKey");
    }
  }

  public static String qrKeyOf(Object ticketId) {
    return "tickets/" + ticketId + ".png";
  }

  @Override
  public Map<String, Object> handleRequest(Map<String, Object> input, Context context) {
    Log.invocation(context);
    CreateTicketsRequest chunk = StateMachineInput.read(input, CreateTicketsRequest.class);
    CreateTicketsRequest.Event event = requirePresent(chunk.event(), "event");
    EventDetails details = eventDetails(event);
    String organizer = email(event.organizerEmail(), "event.organizerEmail");
    List<ChunkOrder> orders = new ArrayList<>();
    for (CreateTicketsRequest.Order order : requirePresent(chunk.orders(), "orders")) {
      orders.add(new ChunkOrder(requirePresent(order.orderId(), "orderId"), email(order.buyerEmail(), "buyerEmail"),
          requirePresent(order.ticketTypeId(), "ticketTypeId"), requirePresent(order.ticketIds(), "ticketIds")));
    }
    List<TicketClaims> claims = new ArrayList<>();
    for (ChunkOrder order : orders) {
      for (UUID ticketId : order.ticketIds()) {
        claims.add(claims(requirePresent(ticketId, "ticketIds[]"), event, order.ticketTypeId()));
      }
    }
    List<Future<TicketQrCode>> stored = new ArrayList<>();
    int claimed = 0;
    for (ChunkOrder order : orders) {
      for (int index = 0; index < order.ticketIds().size(); index++) {
        TicketClaims ticket = claims.get(claimed++);
        stored.add(uploads.submit(() -> store(ticket, order, organizer)));
      }
    }
    List<IssuanceOutcome.IssuedOrder> issued = new ArrayList<>();
    List<TicketsReady> notifications = new ArrayList<>();
    int next = 0;
    for (ChunkOrder order : orders) {
      List<TicketQrCode> tickets = new ArrayList<>();
      for (int index = 0; index < order.ticketIds().size(); index++) {
        tickets.add(result(stored.get(next++)));
      }
      issued.add(new IssuanceOutcome.IssuedOrder(order.orderId(), tickets));
      if (!tickets.isEmpty()) {
        notifications.add(new TicketsReady(TicketsReady.idOf(order.orderId()), order.buyerEmail(), null,
            order.orderId(), details, tickets.stream().map(t -> new IssuedTicket(t.ticketId(), t.qrKey())).toList()));
      }
    }
    topic.publishAll(notifications);
    BusinessMetrics.count(BusinessMetrics.QR_CODES_ISSUED, claims.size());
    return StateMachineInput.asMap(new IssuanceOutcome(chunk.batchId(), issued, List.of(), null));
  }

  private TicketQrCode store(TicketClaims claims, ChunkOrder order, String organizer) {
    String token = TicketTokens.sign(claims, keys.ticketPrivateKey());
    String key = qrKeyOf(claims.ticketId());
    Map<String, String> metadata = Map.of(
        BUYER_EMAIL, order.buyerEmail(),
        ORGANIZER_EMAIL, organizer,
        "event-id", claims.eventId().toString(),
        "order-id", order.orderId().toString(),
        TOKEN_SHA256, Hashing.sha256Hex(token));
    s3.putObject(put -> put.bucket(bucket).key(key).contentType("image/png").metadata(metadata),
        RequestBody.fromBytes(QrCodes.png(token)));
    return new TicketQrCode(claims.ticketId(), key);
  }

  private static <T> T result(Future<T> upload) {
    try {
      return upload.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while storing QR codes", e);
    }
  }

  private record ChunkOrder(UUID orderId, String buyerEmail, UUID ticketTypeId, List<UUID> ticketIds) {
  }

  private static TicketClaims claims(UUID ticketId, CreateTicketsRequest.Event event, UUID ticketTypeId) {
    try {
      return new TicketClaims(ticketId, requirePresent(event.eventId(), "event.eventId"), ticketTypeId,
          requirePresent(event.validFrom(), "event.validFrom"), requirePresent(event.validUntil(),
              "event.validUntil"));
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(e.getMessage());
    }
  }

  private static EventDetails eventDetails(CreateTicketsRequest.Event event) {
    try {
      return new EventDetails(event.eventId(), event.title(), event.venue(), event.city(), event.startsAt(),
          event.endsAt(), event.timeZone());
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new InvalidInputException("event: " + e.getMessage());
    }
  }

  private static <T> T requirePresent(T value, String field) {
    if (value == null) {
      throw new InvalidInputException(field + " is required");
    }
    return value;
  }

  private static String email(String value, String field) {
    try {
      return EmailAddresses.normalize(value);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(field + ": " + e.getMessage());
    }
  }
}
