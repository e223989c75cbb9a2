package dev.boxoffice.lambdas;

import static dev.boxoffice.lambdas.ApiRequests.assertError;
import static dev.boxoffice.lambdas.ApiRequests.session;
import static dev.boxoffice.lambdas.ApiRequests.withBearer;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.boxoffice.codecs.session.Role;
import dev.boxoffice.codecs.session.SessionRevocations;
import dev.boxoffice.local.cloud.LocalCloud;
import dev.boxoffice.local.cloud.LocalCloudExtension;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The revoked-sessions table as the functions that verify session tokens read it (get-qr-code here; create-event,
 * log-activity and subscribe share {@link SessionVerifier}), with items in the layout the backend writes, on the local
 * DynamoDB with the function's own role.
 */
@ExtendWith(LocalCloudExtension.class)
@DisplayName("Revoked sessions in the Lambdas")
class RevokedSessionsTest {

  private final LocalCloud aws;
  private final PrivateKey sessionKey;
  private final String table;

  RevokedSessionsTest(LocalCloud aws) {
    this.aws = aws;
    this.sessionKey = aws.secrets().sessionKeys().getPrivate();
    this.table = aws.resources().tableName("RevokedSessionsTable");
  }

  @Test
  @DisplayName("a signed-out token is refused and the person's other session goes on; signed out everywhere, older"
      + " tokens are refused and one issued in a later second is not")
  void revokedTokensRefused() {
    GetQrCodeHandler handler = handler(Clock.systemUTC());
    String email = "leaver-" + UUID.randomUUID() + "@example.test";
    Instant now = Instant.now();
    String signedOut = session(sessionKey, email, now.minusSeconds(120), now.plusSeconds(3600), Role.BUYER);
    String otherDevice = session(sessionKey, email, now.minusSeconds(60), now.plusSeconds(3600), Role.BUYER);
    revoke(email, SessionRevocations.SESSION_PREFIX + SessionRevocations.tokenHash(signedOut), now);

    assertError(getUnknownTicket(handler, signedOut), 401, "unauthorized");
    assertError(getUnknownTicket(handler, otherDevice), 404, "ticket_not_found");

    GetQrCodeHandler later = handler(Clock.systemUTC());
    revoke(email, SessionRevocations.EVERYWHERE_PREFIX + now.getEpochSecond(), now);
    String signedInAgain = session(sessionKey, email, now.plusSeconds(1), now.plusSeconds(3600), Role.BUYER);
    assertError(getUnknownTicket(later, otherDevice), 401, "unauthorized");
    assertError(getUnknownTicket(later, signedInAgain), 404, "ticket_not_found");
  }

  @Test
  @DisplayName("a container keeps what it read of a person for 30 s: a sign-out made meanwhile is refused once that"
      + " time is over, within the 60 s promised")
  void cacheTime() {
    MutableClock clock = new MutableClock(Instant.now());
    GetQrCodeHandler handler = handler(clock);
    String email = "cached-" + UUID.randomUUID() + "@example.test";
    String token = session(sessionKey, email, clock.instant(), clock.instant().plusSeconds(3600), Role.BUYER);
    assertError(getUnknownTicket(handler, token), 404, "ticket_not_found");

    revoke(email, SessionRevocations.SESSION_PREFIX + SessionRevocations.tokenHash(token), clock.instant());
    clock.advance(RevokedSessions.CACHE_TIME.minusSeconds(1));
    assertError(getUnknownTicket(handler, token), 404, "ticket_not_found");
    clock.advance(Duration.ofSeconds(2));

    assertError(getUnknownTicket(handler, token), 401, "unauthorized");
  }

  @Test
  @DisplayName("when the table cannot be read the request is refused with a 502 to retry, never let through")
  void unreadableTableFailsClosed() {
    Map<String, String> environment = new HashMap<>(aws.functionEnvironment("GetQrCodeFunction"));
    // The discard port: nothing answers there.
    environment.put(AwsClients.DYNAMODB_ENDPOINT, "http://127.0.0.1:9");
    GetQrCodeHandler handler = new GetQrCodeHandler(new HandlerEnvironment(environment), Clock.systemUTC());
    String token = session(sessionKey, "anyone-" + UUID.randomUUID() + "@example.test", Role.BUYER);

    assertError(getUnknownTicket(handler, token), 502, "upstream_unavailable");
  }

  private GetQrCodeHandler handler(Clock clock) {
    return new GetQrCodeHandler(new HandlerEnvironment(aws.functionEnvironment("GetQrCodeFunction")), clock);
  }

  /** As the backend copies a revocation; kept an hour. */
  private void revoke(String email, String revocation, Instant revokedAt) {
    aws.admin().dynamoDb().putItem(put -> put.tableName(table).item(Map.of(
        SessionRevocations.SUBJECT_KEY, AttributeValue.fromS(SessionRevocations.subjectKey(email)),
        SessionRevocations.REVOCATION, AttributeValue.fromS(revocation),
        SessionRevocations.REVOKED_AT, AttributeValue.fromN(Long.toString(revokedAt.getEpochSecond())),
        SessionRevocations.EXPIRES_AT, AttributeValue.fromN(Long.toString(revokedAt.getEpochSecond() + 3600)))));
  }

  private static APIGatewayProxyResponseEvent getUnknownTicket(GetQrCodeHandler handler, String token) {
    APIGatewayProxyRequestEvent request = ApiRequests.request("GET", "/get-qr-code", null, null, false);
    request.setQueryStringParameters(Map.of("ticketId", UUID.randomUUID().toString()));
    return handler.handleRequest(withBearer(request, token), null);
  }

  private static final class MutableClock extends Clock {

    private Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    void advance(Duration duration) {
      now = now.plus(duration);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}
