package dev.boxoffice.lambdas;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.boxoffice.codecs.EmailAddresses;
import dev.boxoffice.codecs.api.OtpVerification;
import dev.boxoffice.codecs.api.SessionIssued;
import dev.boxoffice.codecs.session.Role;
import dev.boxoffice.codecs.session.SessionClaims;
import dev.boxoffice.codecs.session.SessionTokens;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * POST /verify-otp {@code {email, code}}: counts an attempt at the address's pending code before comparing it in
 * constant time (so at most 5 comparisons per code, even concurrently: the 6th attempt answers 429 whatever the code),
 * consumes the code on success (a replay answers 401) and answers 200 {@code {token, expiresAt}} with a session token
 * of {@code codecs/session}: role buyer, plus organizer for the addresses in {@code BOXOFFICE_ORGANIZER_EMAILS} and
 * staff for the door staff of {@code BOXOFFICE_DOOR_STAFF_EMAILS} (which organizers they work for is the backend's
 * business; this only grants the role).
 *
 * <p>Environment: {@code AWS_REGION}; {@code BOXOFFICE_OTP_TABLE}; {@code BOXOFFICE_KEYS_SECRET_ID} (the secret
 * holding the OTP pepper and the session signing key, Ed25519 PKCS#8 PEM, read at run time: {@link KeysSecret});
 * optional {@code BOXOFFICE_ORGANIZER_EMAILS} (comma-separated),
 * {@code BOXOFFICE_DOOR_STAFF_EMAILS} (comma-separated {@code staff@x:organizer@y} pairs, as the backend reads it),
 * {@code BOXOFFICE_SESSION_TTL_MINUTES} (default 720), {@code BOXOFFICE_SESSION_ISSUER} (default boxoffice),
 * {@code BOXOFFICE_SESSION_AUDIENCE} (default boxoffice-api), {@code BOXOFFICE_SECRETS_TTL_SECONDS},
 * {@code BOXOFFICE_DYNAMODB_ENDPOINT}, {@code BOXOFFICE_SECRETSMANAGER_ENDPOINT}, {@code BOXOFFICE_ALLOWED_ORIGIN}.
 */
public final class VerifyOtpHandler extends ApiFunction {

  public static final String ORGANIZER_EMAILS = "BOXOFFICE_ORGANIZER_EMAILS";
  public static final String DOOR_STAFF_EMAILS = "BOXOFFICE_DOOR_STAFF_EMAILS";
  public static final String SESSION_TTL_MINUTES = "BOXOFFICE_SESSION_TTL_MINUTES";

  private static final int MAX_BODY_BYTES = 1024;
  private static final Pattern CODE = Pattern.compile("[0-9]{6}");

  private final OneTimePasswords passwords;
  private final OtpTable table;
  private final KeysSecret keys;
  private final Set<String> organizers;
  private final Set<String> doorStaff;
  private final String issuer;
  private final String audience;
  private final Duration sessionLifetime;
  private final Clock clock;

  public VerifyOtpHandler() {
    this(System.getenv());
  }

  public VerifyOtpHandler(Map<String, String> environment) {
    this(new HandlerEnvironment(environment), Clock.systemUTC());
  }

  VerifyOtpHandler(HandlerEnvironment environment, Clock clock) {
    super(environment);
    this.keys = new KeysSecret(environment, clock);
    this.passwords = new OneTimePasswords(keys);
    this.table = new OtpTable(AwsClients.dynamoDb(environment), environment.required(OtpTable.TABLE));
    if (keys.sessionPrivateKey() == null) {
      throw new IllegalStateException("the keys secret has no sessionPrivateKey");
    }
    this.organizers = environment.optional(ORGANIZER_EMAILS)
        .map(list -> Arrays.stream(list.split(",")).map(String::trim).filter(address -> !address.isEmpty())
            .map(EmailAddresses::normalize).collect(Collectors.toUnmodifiableSet()))
        .orElse(Set.of());
    this.doorStaff = environment.optional(DOOR_STAFF_EMAILS)
        .map(list -> Arrays.stream(list.split(",")).map(pair -> pair.split(":", 2)[0].trim())
            .filter(address -> !address.isEmpty())
            .map(EmailAddresses::normalize).collect(Collectors.toUnmodifiableSet()))
        .orElse(Set.of());
    this.issuer = SessionVerifier.issuerOf(environment);
    this.audience = SessionVerifier.audienceOf(environment);
    this.sessionLifetime = Duration.ofMinutes(environment.integer(SESSION_TTL_MINUTES, 720));
    this.clock = clock;
  }

  @Override
  protected APIGatewayProxyResponseEvent handle(APIGatewayProxyRequestEvent request) {
    OtpVerification body = Requests.jsonBody(request, OtpVerification.class, MAX_BODY_BYTES);
    String email = Emails.field(body.email(), "email");
    if (body.code() == null || !CODE.matcher(body.code()).matches()) {
      throw ApiException.invalidField("code", "'code' must be the six digits from the email");
    }
    Instant now = clock.instant();
    String emailHash = passwords.emailHash(email);
    try {
      OtpTable.Result<OtpTable.PendingCode, OtpTable.Refusal> attempt = table.countAttempt(emailHash, now);
      if (attempt.refusal() != null) {
        throw switch (attempt.refusal()) {
          case NO_CODE -> ApiException.unauthorized("invalid_code",
              "No code is pending for this address; request a new one");
          case EXPIRED -> ApiException.unauthorized("code_expired", "The code has expired; request a new one");
          case TOO_MANY_ATTEMPTS -> ApiException.tooManyRequests("too_many_attempts",
              "Too many wrong codes; request a new one");
        };
      }
      OtpTable.PendingCode pending = attempt.value();
      if (!passwords.matches(emailHash, pending.salt(), body.code(), pending.codeHash())
          || !table.consume(emailHash, pending.codeHash())) {
        throw ApiException.unauthorized("invalid_code", "Wrong code");
      }
    } catch (SdkException e) {
      System.err.println("verify-otp could not reach DynamoDB: " + e.getMessage());
      throw ApiException.upstream("The code could not be checked; try again");
    }
    Set<Role> roles = EnumSet.of(Role.BUYER);
    if (organizers.contains(email)) {
      roles.add(Role.ORGANIZER);
    }
    if (doorStaff.contains(email)) {
      roles.add(Role.STAFF);
    }
    SessionClaims claims = new SessionClaims(email, roles, now, now.plus(sessionLifetime), issuer, audience);
    return json(200, new SessionIssued(SessionTokens.issue(claims, keys.sessionPrivateKey()), claims.expiresAt()));
  }
}
