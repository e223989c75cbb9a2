package dev.boxoffice.lambdas;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.boxoffice.codecs.api.OtpRequest;
import dev.boxoffice.codecs.api.OtpSent;
import dev.boxoffice.codecs.notifications.SignInCode;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * POST /send-otp {@code {email}}: mails a six-digit sign-in code valid 5 minutes to any valid address (asking for a
 * code is consent to receive it: no prior subscription, and the answer is the same whether the address is known or
 * not) and answers 202 {@code {expiresAt, challenge}}; the code can only be tried with that challenge. The code goes
 * out as a sign-in-code notification on the notification topic, which the mailer sends through SES. Codes are
 * limited per client network, per address and overall ({@link SignInLimits}); beyond a limit the answer is 429 with
 * {@code Retry-After}.
 *
 * <p>Environment: {@code AWS_REGION}; {@code BOXOFFICE_OTP_TABLE}; {@code BOXOFFICE_RATE_LIMIT_TABLE};
 * {@code BOXOFFICE_NOTIFICATION_TOPIC_ARN}; {@code BOXOFFICE_KEYS_SECRET_ID} (the secret holding the OTP pepper, at
 * least 32 bytes, read at run time: {@link KeysSecret}); optional {@code BOXOFFICE_SIGN_IN_CODES_PER_MINUTE} (all
 * addresses together, default 600), {@code BOXOFFICE_SECRETS_TTL_SECONDS}, {@code BOXOFFICE_DYNAMODB_ENDPOINT},
 * {@code BOXOFFICE_SNS_ENDPOINT}, {@code BOXOFFICE_SECRETSMANAGER_ENDPOINT}, {@code BOXOFFICE_ALLOWED_ORIGIN}.
 */
public final class SendOtpHandler extends ApiFunction {

  public static final Duration CODE_LIFETIME = Duration.ofMinutes(5);

  private static final int MAX_BODY_BYTES = 1024;

  private final OneTimePasswords passwords;
  private final OtpTable table;
  private final SignInLimits limits;
  private final NotificationTopic topic;
  private final SecureRandom random = new SecureRandom();
  private final Clock clock;

  public SendOtpHandler() {
    this(System.getenv());
  }

  public SendOtpHandler(Map<String, String> environment) {
    this(new HandlerEnvironment(environment), Clock.systemUTC());
  }

  SendOtpHandler(HandlerEnvironment environment, Clock clock) {
    super(environment);
    this.passwords = new OneTimePasswords(new KeysSecret(environment, Clock.systemUTC()));
    DynamoDbClient dynamoDb = AwsClients.dynamoDb(environment);
    this.table = new OtpTable(dynamoDb, environment.required(OtpTable.TABLE));
    this.limits = new SignInLimits(new RateLimits(dynamoDb, environment.required(RateLimits.TABLE)), passwords,
        environment.integer(SignInLimits.CODES_PER_MINUTE, SignInLimits.DEFAULT_CODES_PER_MINUTE));
    this.topic = new NotificationTopic(AwsClients.sns(environment), environment.required(NotificationTopic.TOPIC_ARN));
    this.clock = clock;
  }

  @Override
  protected APIGatewayProxyResponseEvent handle(APIGatewayProxyRequestEvent request) {
    String email = Emails.field(Requests.jsonBody(request, OtpRequest.class, MAX_BODY_BYTES).email(), "email");
    try {
      Instant now = clock.instant();
      limits.spendCode(email, ClientNetworks.of(request), now).ifPresent(refusal -> {
        throw SignInRefusals.codes(refusal);
      });
      Instant expiresAt = now.plus(CODE_LIFETIME);
      String challenge = passwords.newChallenge();
      String emailHash = passwords.emailHash(email);
      String code = passwords.newCode();
      String salt = passwords.newSalt();
      table.storeCode(passwords.codeSlot(emailHash, challenge), passwords.codeHash(emailHash, salt, code), salt,
          expiresAt);
      topic.publish(SignInCode.of(newCodeId(), email, code, expiresAt));
      BusinessMetrics.count(BusinessMetrics.SIGN_IN_CODES_SENT);
      return json(202, new OtpSent(expiresAt, challenge));
    } catch (SdkException e) {
      Log.error("could not reach DynamoDB or SNS", e);
      throw ApiException.upstream("The code could not be sent; try again");
    }
  }

  /** The id of one code's notification: random, so the mailer's once-only record says nothing about the address. */
  private String newCodeId() {
    byte[] id = new byte[16];
    random.nextBytes(id);
    return HexFormat.of().formatHex(id);
  }
}
