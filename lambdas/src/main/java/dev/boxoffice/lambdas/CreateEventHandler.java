package dev.boxoffice.lambdas;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.boxoffice.codecs.api.EventImageStored;
import dev.boxoffice.codecs.session.Role;
import dev.boxoffice.codecs.session.SessionClaims;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * POST /create-event: an organizer uploads an event image as the raw body (binary through API Gateway, so
 * {@code isBase64Encoded}); see {@link EventImages} for what is accepted and how it is re-encoded. Both JPEGs go to
 * {@code events/<organizer-hash>/<uuid>.jpg} and {@code ..._thumb.jpg}, the organizer hash being the first 32 hex
 * digits of SHA-256 over the organizer's address, so a key names its owner without spelling the address. Answers 201
 * {@code {imageKey, thumbnailKey}}, which the backend links to the event.
 *
 * <p>Environment: {@code AWS_REGION}; {@code BOXOFFICE_BUCKET}; {@code BOXOFFICE_SESSION_PUBLIC_KEY};
 * {@code BOXOFFICE_REVOKED_SESSIONS_TABLE}; optional {@code BOXOFFICE_SESSION_ISSUER},
 * {@code BOXOFFICE_SESSION_AUDIENCE}, {@code BOXOFFICE_S3_ENDPOINT}, {@code BOXOFFICE_DYNAMODB_ENDPOINT},
 * {@code BOXOFFICE_ALLOWED_ORIGIN}.
 */
public final class CreateEventHandler extends ApiFunction {

  public static final String BUCKET = "BOXOFFICE_BUCKET";

  private static final Set<String> ACCEPTED_MEDIA_TYPES =
      Set.of("image/jpeg", "image/png", "image/webp", "application/octet-stream");

  private final S3Client s3;
  private final String bucket;
  private final SessionVerifier sessions;

  public CreateEventHandler() {
    this(System.getenv());
  }

  public CreateEventHandler(Map<String, String> environment) {
    this(new HandlerEnvironment(environment), Clock.systemUTC());
  }

  CreateEventHandler(HandlerEnvironment environment, Clock clock) {
    super(environment);
    this.s3 = AwsClients.s3(environment);
    this.bucket = environment.required(BUCKET);
    this.sessions = new SessionVerifier(environment, clock);
  }

  @Override
  protected APIGatewayProxyResponseEvent handle(APIGatewayProxyRequestEvent request) {
    SessionClaims session = sessions.authenticate(request);
    if (!session.hasRole(Role.ORGANIZER)) {
      throw ApiException.forbidden("Only organizers upload event images");
    }
    if (!Requests.mediaType(request).filter(ACCEPTED_MEDIA_TYPES::contains).isPresent()) {
      throw ApiException.unsupportedMediaType("Send the image as image/jpeg, image/png or image/webp");
    }
    if (!Boolean.TRUE.equals(request.getIsBase64Encoded())) {
      throw ApiException.badRequest("not_binary", "Send the image as a binary body", null);
    }
    EventImages.Processed processed = EventImages.process(Requests.body(request, EventImages.MAX_UPLOAD_BYTES));
    String prefix = "events/" + Hashing.sha256Hex(session.subject()).substring(0, 32) + "/" + UUID.randomUUID();
    EventImageStored keys = new EventImageStored(prefix + ".jpg", prefix + "_thumb.jpg");
    try {
      put(keys.imageKey(), processed.image());
      try {
        put(keys.thumbnailKey(), processed.thumbnail());
      } catch (SdkException e) {
        s3.deleteObject(delete -> delete.bucket(bucket).key(keys.imageKey()));
        throw e;
      }
    } catch (SdkException e) {
      Log.error("could not store the image", e);
      throw ApiException.upstream("The image could not be stored; try again");
    }
    return json(201, keys);
  }

  private void put(String key, byte[] jpeg) {
    s3.putObject(put -> put.bucket(bucket).key(key).contentType("image/jpeg").cacheControl("public, max-age=31536000"),
        RequestBody.fromBytes(jpeg));
  }
}
