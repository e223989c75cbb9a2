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
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * POST /verify-otp {@code {email, code, challenge}}: spends one attempt of the client network's budget
 * ({@link SignInLimits}: 429 with {@code Retry-After} beyond it), counts an attempt at the code that the challenge's
 * /send-otp request mailed before comparing it in constant time (so at most 5 comparisons per code, even
 * concurrently), consumes the code on success and answers 200 {@code {token, expiresAt}} with a session token
 * of {@code codecs/session}: role buyer, plus organizer for the addresses in {@code BOXOFFICE_ORGANIZER_EMAILS} and
 * staff for the door staff of {@code BOXOFFICE_DOOR_STAFF_EMAILS} (which organizers they work for is the backend's
 * business; this only grants the role). Every code that does not sign in, whether wrong, expired, used, tried too
 * often, or never sent (an unknown address or challenge), gets the same 401 {@code invalid_code} with the same message,
 * so an answer tells nothing about the address. A network that signs in is remembered for the address
 * ({@link SignInLimits#rememberSignIn}).
 *
 * <p>Environment: {@code AWS_REGION}; {@code BOXOFFICE_OTP_TABLE}; {@code BOXOFFICE_RATE_LIMIT_TABLE};
 * {@code BOXOFFICE_KEYS_SECRET_ID} (the secret holding the OTP pepper and the session signing key, Ed25519 PKCS#8
 * PEM, read at run time: {@link KeysSecret}); optional {@code BOXOFFICE_ORGANIZER_EMAILS} (comma-separated),
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
  private static final Pattern CHALLENGE = Pattern.compile("[A-Za-z0-9_-]{22}");

  private final OneTimePasswords passwords;
  private final OtpTable table;
  private final KeysSecret keys;
  private final SignInLimits limits;
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
    DynamoDbClient dynamoDb = AwsClients.dynamoDb(environment);
    this.table = new OtpTable(dynamoDb, environment.required(OtpTable.TABLE));
    this.limits = new SignInLimits(new RateLimits(dynamoDb, environment.required(RateLimits.TABLE)), passwords,
        SignInLimits.DEFAULT_CODES_PER_MINUTE);
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
    if (body.challenge() == null || !CHALLENGE.matcher(body.challenge()).matches()) {
      throw ApiException.invalidField("challenge", "'challenge' must be the challenge /send-otp answered");
    }
    Instant now = clock.instant();
    String network = ClientNetworks.of(request);
    String emailHash = passwords.emailHash(email);
    String slot = passwords.codeSlot(emailHash, body.challenge());
    try {
      limits.spendAttempt(network, now).ifPresent(refusal -> {
        throw SignInRefusals.attempts(refusal);
      });
      OtpTable.PendingCode pending = table.countAttempt(slot, now).orElseThrow(VerifyOtpHandler::invalidCode);
      if (!passwords.matches(emailHash, pending.salt(), body.code(), pending.codeHash())
          || !table.consume(slot, pending.codeHash())) {
        throw invalidCode();
      }
      limits.rememberSignIn(email, network, now);
    } catch (SdkException e) {
      Log.error("could not reach DynamoDB", e);
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
    SessionIssued session = new SessionIssued(SessionTokens.issue(claims, keys.sessionPrivateKey()),
        claims.expiresAt());
    BusinessMetrics.count(BusinessMetrics.SIGN_INS);
    return json(200, session);
  }

  /** The one answer to every code that does not sign in. */
  private static ApiException invalidCode() {
    return ApiException.unauthorized("invalid_code",
        "This code is wrong or no longer valid; check it or ask for a new one");
  }
}
