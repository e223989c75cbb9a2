package dev.boxoffice.lambdas;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import dev.boxoffice.codecs.session.InvalidSessionException;
import dev.boxoffice.codecs.session.SessionClaims;
import dev.boxoffice.codecs.session.SessionTokenVerifier;
import dev.boxoffice.codecs.session.SessionTokens;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Checks {@code Authorization: Bearer <session token>} against the public key in
 * {@code BOXOFFICE_SESSION_PUBLIC_KEY} (Ed25519, PEM), with the issuer and audience the backend uses: optional
 * {@code BOXOFFICE_SESSION_ISSUER} and {@code BOXOFFICE_SESSION_AUDIENCE}, defaults {@code boxoffice} and
 * {@code boxoffice-api}, as in the backend's configuration.
 */
public final class SessionVerifier {

  public static final String PUBLIC_KEY = "BOXOFFICE_SESSION_PUBLIC_KEY";
  public static final String ISSUER = "BOXOFFICE_SESSION_ISSUER";
  public static final String AUDIENCE = "BOXOFFICE_SESSION_AUDIENCE";

  private static final Duration CLOCK_SKEW = Duration.ofSeconds(30);
  private static final String BEARER = "bearer ";

  private final SessionTokenVerifier verifier;

  public SessionVerifier(HandlerEnvironment environment, Clock clock) {
    this.verifier = SessionTokens.verifier(SessionTokens.parsePublicKey(environment.required(PUBLIC_KEY)),
        issuerOf(environment), audienceOf(environment), CLOCK_SKEW, clock);
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
    try {
      return Optional.of(verifier.verify(value.substring(BEARER.length()).trim()));
    } catch (InvalidSessionException e) {
      throw ApiException.unauthorized("The session token is invalid or expired; sign in again");
    }
  }

  static String issuerOf(HandlerEnvironment environment) {
    return environment.optional(ISSUER).orElse(SessionTokens.DEFAULT_ISSUER);
  }

  static String audienceOf(HandlerEnvironment environment) {
    return environment.optional(AUDIENCE).orElse(SessionTokens.DEFAULT_AUDIENCE);
  }
}
