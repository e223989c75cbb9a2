package dev.boxoffice.lambdas;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import dev.boxoffice.codecs.session.InvalidSessionException;
import dev.boxoffice.codecs.session.SessionClaims;
import dev.boxoffice.codecs.session.SessionRevocations;
import dev.boxoffice.codecs.session.SessionTokenVerifier;
import dev.boxoffice.codecs.session.SessionTokens;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Checks {@code Authorization: Bearer <session token>} against the public key in
 * {@code BOXOFFICE_SESSION_PUBLIC_KEY} (Ed25519, PEM), with the issuer and audience the backend uses: optional
 * {@code BOXOFFICE_SESSION_ISSUER} and {@code BOXOFFICE_SESSION_AUDIENCE}, defaults {@code boxoffice} and
 * {@code boxoffice-api}, as in the backend's configuration. A token that verifies is then looked up among its
 * subject's revoked sessions ({@link RevokedSessions}, table {@code BOXOFFICE_REVOKED_SESSIONS_TABLE}): signed out, or
 * issued before a "sign out everywhere", it is refused like an expired one. When the table cannot be read the request
 * is refused (502, to be retried) rather than let a revoked session through.
 */
public final class SessionVerifier {

  public static final String PUBLIC_KEY = "BOXOFFICE_SESSION_PUBLIC_KEY";
  public static final String ISSUER = "BOXOFFICE_SESSION_ISSUER";
  public static final String AUDIENCE = "BOXOFFICE_SESSION_AUDIENCE";

  private static final Duration CLOCK_SKEW = Duration.ofSeconds(30);
  private static final String BEARER = "bearer ";

  private final SessionTokenVerifier verifier;
  private final RevokedSessions revoked;

  public SessionVerifier(HandlerEnvironment environment, Clock clock) {
    this.verifier = SessionTokens.verifier(SessionTokens.parsePublicKey(environment.required(PUBLIC_KEY)),
        issuerOf(environment), audienceOf(environment), CLOCK_SKEW, clock);
    this.revoked = new RevokedSessions(AwsClients.dynamoDb(environment), environment.required(RevokedSessions.TABLE),
        clock);
  }

  /** The session of the request; 401 when there is no bearer token or it does not verify. */
  public SessionClaims authenticate(APIGatewayProxyRequestEvent request) {
    return optionalSession(request)
        .orElseThrow(() -> ApiException.unauthorized("Sign in first: send Authorization: Bearer <session token>"));
  }

  /** The session of the request, empty for an anonymous one; 401 when a token is sent but does not verify. */
  public Optional<SessionClaims> optionalSession(APIGatewayProxyRequestEvent request) {
    Optional<String> authorization = Requests.header(request, "Authorization");
    if (authorization.isEmpty()) {
      return Optional.empty();
    }
    String value = authorization.get().trim();
    if (value.length() <= BEARER.length() || !value.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      throw ApiException.unauthorized("The Authorization header must be 'Bearer <session token>'");
    }
    String token = value.substring(BEARER.length()).trim();
    SessionClaims claims;
    try {
      claims = verifier.verify(token);
    } catch (InvalidSessionException e) {
      throw ApiException.unauthorized("The session token is invalid or expired; sign in again");
    }
    SessionRevocations revocations;
    try {
      revocations = revoked.of(claims.subject());
    } catch (SdkException e) {
      System.err.println("the revoked sessions could not be read: " + e.getMessage());
      throw ApiException.upstream("The session could not be checked; try again");
    }
    if (revocations.refuses(claims, SessionRevocations.tokenHash(token))) {
      throw ApiException.unauthorized("This session was signed out; sign in again");
    }
    return Optional.of(claims);
  }

  static String issuerOf(HandlerEnvironment environment) {
    return environment.optional(ISSUER).orElse(SessionTokens.DEFAULT_ISSUER);
  }

  static String audienceOf(HandlerEnvironment environment) {
    return environment.optional(AUDIENCE).orElse(SessionTokens.DEFAULT_AUDIENCE);
  }
}
