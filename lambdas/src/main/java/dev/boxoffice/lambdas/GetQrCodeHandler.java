package dev.boxoffice.lambdas;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.boxoffice.codecs.api.QrCodeUrl;
import dev.boxoffice.codecs.session.SessionClaims;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * GET /get-qr-code?ticketId=...: for the ticket's buyer or the event's organizer (as create-ticket recorded them in
 * the PNG's S3 metadata, so no database is needed), 200 {@code {url, expiresAt}} with a pre-signed GET URL valid 5
 * minutes. An unknown ticket and someone else's ticket both answer the same 404, so ids cannot be probed.
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
    String key = CreateTicketHandler.qrKeyOf(id);
    ApiException notFound = ApiException.notFound("ticket_not_found", "No QR code for this ticket");
    try {
      HeadObjectResponse head = s3.headObject(get -> get.bucket(bucket).key(key));
      Map<String, String> metadata = head.metadata();
      if (!session.subject().equals(metadata.get(CreateTicketHandler.BUYER_EMAIL))
          && !session.subject().equals(metadata.get(CreateTicketHandler.ORGANIZER_EMAIL))) {
        throw notFound;
      }
    } catch (NoSuchKeyException e) {
      throw notFound;
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        throw notFound;
      }
      throw upstream(e);
    } catch (SdkException e) {
      throw upstream(e);
    }
    Instant expiresAt = clock.instant().plus(URL_LIFETIME);
    String url = presigner.presignGetObject(presign -> presign
        .signatureDuration(URL_LIFETIME)
        .getObjectRequest(get -> get.bucket(bucket).key(key))).url().toString();
    return json(200, new QrCodeUrl(url, expiresAt));
  }

  private static ApiException upstream(SdkException e) {
    System.err.println("get-qr-code could not reach S3: " + e.getMessage());
    return ApiException.upstream("The QR code could not be looked up; try again");
  }
}
