package dev.boxoffice.lambdas;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.boxoffice.codecs.api.QrCodeUrl;
import dev.boxoffice.codecs.session.SessionClaims;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * GET /get-qr-code?ticketId=...: for the ticket's buyer or the event's organizer (as create-ticket recorded them in
 * the PNG's S3 metadata, so no database is needed), 200 {@code {url, expiresAt}} with a pre-signed GET URL valid 5
 * minutes. A ticket cancelled since (cancel-tickets left its marker, whose metadata names the same two people)
 * answers them 410 {@code ticket_cancelled}, whether or not its PNG was ever made. An unknown ticket and someone
 * else's ticket, cancelled or not, all answer the same 404, so ids cannot be probed.
 *
 * <p>Environment: {@code AWS_REGION}; {@code BOXOFFICE_BUCKET}; {@code BOXOFFICE_SESSION_PUBLIC_KEY};
 * {@code BOXOFFICE_REVOKED_SESSIONS_TABLE}; optional {@code BOXOFFICE_SESSION_ISSUER},
 * {@code BOXOFFICE_SESSION_AUDIENCE}, {@code BOXOFFICE_S3_ENDPOINT}, {@code BOXOFFICE_DYNAMODB_ENDPOINT},
 * {@code BOXOFFICE_ALLOWED_ORIGIN}.
 */
public final class GetQrCodeHandler extends ApiFunction {

  public static final Duration URL_LIFETIME = Duration.ofMinutes(5);

  private final S3Client s3;
  private final S3Presigner presigner;
  private final String bucket;
  private final SessionVerifier sessions;
  private final Clock clock;

  public GetQrCodeHandler() {
    this(System.getenv());
  }

  public GetQrCodeHandler(Map<String, String> environment) {
    this(new HandlerEnvironment(environment), Clock.systemUTC());
  }

  GetQrCodeHandler(HandlerEnvironment environment, Clock clock) {
    super(environment);
    this.s3 = AwsClients.s3(environment);
    this.presigner = AwsClients.s3Presigner(environment);
    this.bucket = environment.required(CreateEventHandler.BUCKET);
    this.sessions = new SessionVerifier(environment, clock);
    this.clock = clock;
  }

  @Override
  protected APIGatewayProxyResponseEvent handle(APIGatewayProxyRequestEvent request) {
    SessionClaims session = sessions.authenticate(request);
    String ticketId = Requests.queryParameter(request, "ticketId")
        .orElseThrow(() -> ApiException.invalidField("ticketId", "The query parameter 'ticketId' is required"));
    UUID id;
    try {
      id = UUID.fromString(ticketId);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalidField("ticketId", "'ticketId' must be a ticket id (UUID)");
    }
    ApiException notFound = ApiException.notFound("ticket_not_found", "No QR code for this ticket");
    String key = CreateTicketHandler.qrKeyOf(id);
    // Both are always looked up, so a stranger's answer takes the same two requests whatever the ticket's state.
    Optional<Map<String, String>> cancelled = metadataOf(CancelTicketsHandler.cancelledKeyOf(id));
    Optional<Map<String, String>> qrCode = metadataOf(key);
    // The marker decides whatever PNG exists: an issuance still running may store one after the cancellation, but it
    // can neither overwrite nor remove the marker.
    if (cancelled.isPresent()) {
      throw isOwner(session, cancelled.get())
          ? ApiException.gone("ticket_cancelled", "This ticket was cancelled; its QR code no longer admits anyone")
          : notFound;
    }
    if (qrCode.isEmpty() || !isOwner(session, qrCode.get())) {
      throw notFound;
    }
    Instant expiresAt = clock.instant().plus(URL_LIFETIME);
    String url = presigner.presignGetObject(presign -> presign
        .signatureDuration(URL_LIFETIME)
        .getObjectRequest(get -> get.bucket(bucket).key(key))).url().toString();
    return json(200, new QrCodeUrl(url, expiresAt));
  }

  /** The S3 metadata of {@code key}, empty when there is no such object. */
  private Optional<Map<String, String>> metadataOf(String key) {
    try {
      return Optional.of(s3.headObject(head -> head.bucket(bucket).key(key)).metadata());
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return Optional.empty();
      }
      throw upstream(e);
    } catch (SdkException e) {
      throw upstream(e);
    }
  }

  private static boolean isOwner(SessionClaims session, Map<String, String> metadata) {
    return session.subject().equals(metadata.get(CreateTicketHandler.BUYER_EMAIL))
        || session.subject().equals(metadata.get(CreateTicketHandler.ORGANIZER_EMAIL));
  }

  private static ApiException upstream(SdkException e) {
    Log.error("could not reach S3", e);
    return ApiException.upstream("The QR code could not be looked up; try again");
  }
}
