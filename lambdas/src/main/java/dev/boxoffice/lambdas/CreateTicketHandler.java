package dev.boxoffice.lambdas;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.boxoffice.codecs.EmailAddresses;
import dev.boxoffice.codecs.api.CreateTicketRequest;
import dev.boxoffice.codecs.api.TicketQrCode;
import dev.boxoffice.codecs.session.SessionTokens;
import dev.boxoffice.codecs.tickets.TicketClaims;
import dev.boxoffice.codecs.tickets.TicketTokens;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * create-ticket, not routed: only the ticket-issuance state machine invokes it (its IAM role is the one principal
 * with lambda:InvokeFunction on it; no API Gateway route, so no caller credential to check here). Input: a
 * {@link CreateTicketRequest} the backend issued. Signs the ticket token ({@link TicketTokens}), renders it as a QR
 * code PNG and stores it at {@code tickets/<ticketId>.png} with the metadata /get-qr-code authorises by
 * ({@code buyer-email}, {@code organizer-email}), answering {@code {ticketId, qrKey}}.
 *
 * <p>Idempotent: the key is derived from the ticket id and Ed25519 tokens are deterministic, so a repeated input finds
 * its PNG already stored (same {@code token-sha256} and owners in the metadata) and uploads nothing; a changed input
 * (new validity, transferred ticket) replaces the object. Input that can never succeed fails with
 * {@link InvalidInputException}; S3 failures fail with the SDK's exception, worth a Retry.
 *
 * <p>Environment: {@code AWS_REGION}; {@code BOXOFFICE_BUCKET}; {@code BOXOFFICE_KEYS_SECRET_ID} (the secret holding
 * the ticket signing key, Ed25519 PKCS#8 PEM, read at run time: {@link KeysSecret}); optional
 * {@code BOXOFFICE_SECRETS_TTL_SECONDS}, {@code BOXOFFICE_S3_ENDPOINT}, {@code BOXOFFICE_SECRETSMANAGER_ENDPOINT}.
 */
public final class CreateTicketHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {

  public static final String BUYER_EMAIL = "buyer-email";
  public static final String ORGANIZER_EMAIL = "organizer-email";
  public static final String TOKEN_SHA256 = "token-sha256";

  private final S3Client s3;
  private final String bucket;
  private final KeysSecret keys;

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
    CreateTicketRequest ticket = StateMachineInput.read(input, CreateTicketRequest.class);
    TicketClaims claims = claimsOf(ticket);
    String token = TicketTokens.sign(claims, keys.ticketPrivateKey());
    Map<String, String> metadata = Map.of(
        BUYER_EMAIL, email(ticket.buyerEmail(), "buyerEmail"),
        ORGANIZER_EMAIL, email(ticket.organizerEmail(), "organizerEmail"),
        "event-id", ticket.eventId().toString(),
        "order-id", requirePresent(ticket.orderId(), "orderId").toString(),
        TOKEN_SHA256, Hashing.sha256Hex(token));
    String key = qrKeyOf(ticket.ticketId());
    if (!storedMetadata(key).filter(metadata::equals).isPresent()) {
      s3.putObject(put -> put.bucket(bucket).key(key).contentType("image/png").metadata(metadata),
          RequestBody.fromBytes(QrCodes.png(token)));
      BusinessMetrics.count(BusinessMetrics.QR_CODES_ISSUED);
    }
    return StateMachineInput.asMap(new TicketQrCode(ticket.ticketId(), key));
  }

  private Optional<Map<String, String>> storedMetadata(String key) {
    try {
      return Optional.of(s3.headObject(head -> head.bucket(bucket).key(key)).metadata());
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return Optional.empty();
      }
      throw e;
    }
  }

  private static TicketClaims claimsOf(CreateTicketRequest ticket) {
    requirePresent(ticket.ticketId(), "ticketId");
    requirePresent(ticket.eventId(), "eventId");
    requirePresent(ticket.ticketTypeId(), "ticketTypeId");
    requirePresent(ticket.validFrom(), "validFrom");
    requirePresent(ticket.validUntil(), "validUntil");
    try {
      return new TicketClaims(ticket.ticketId(), ticket.eventId(), ticket.ticketTypeId(), ticket.validFrom(),
          ticket.validUntil());
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(e.getMessage());
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
