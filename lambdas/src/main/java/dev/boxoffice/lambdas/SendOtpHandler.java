package dev.boxoffice.lambdas;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.boxoffice.codecs.api.OtpRequest;
import dev.boxoffice.codecs.api.OtpSent;
import dev.boxoffice.codecs.api.SubscriptionStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;

/**
 * POST /send-otp {@code {email}}: mails a six-digit sign-in code valid 5 minutes, at most 5 per hour per address,
 * only to an address whose email subscription to the topic is confirmed (else 409 subscription_not_confirmed). The
 * code is published to the topic with the String message attribute {@code recipient} = the address, which only
 * that address's subscription filter policy matches; answers 202 {@code {expiresAt}}.
 *
 * <p>Environment: {@code AWS_REGION}; {@code BOXOFFICE_OTP_TABLE}; {@code BOXOFFICE_TOPIC_ARN};
 * {@code BOXOFFICE_KEYS_SECRET_ID} (the secret holding the OTP pepper, at least 32 bytes, read at run time:
 * {@link KeysSecret}); optional {@code BOXOFFICE_SECRETS_TTL_SECONDS}, {@code BOXOFFICE_DYNAMODB_ENDPOINT},
 * {@code BOXOFFICE_SNS_ENDPOINT}, {@code BOXOFFICE_SECRETSMANAGER_ENDPOINT}, {@code BOXOFFICE_ALLOWED_ORIGIN}.
 */
public final class SendOtpHandler extends ApiFunction {

  public static final String RECIPIENT_ATTRIBUTE = "recipient";
  public static final Duration CODE_LIFETIME = Duration.ofMinutes(5);
  public static final String SUBJECT = "Your Boxoffice sign-in code";

  private static final int MAX_BODY_BYTES = 1024;

  private final OneTimePasswords passwords;
  private final OtpTable table;
  private final SnsClient sns;
  private final String topicArn;
  private final SubscriptionLookup subscriptions;
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
    this.table = new OtpTable(AwsClients.dynamoDb(environment), environment.required(OtpTable.TABLE));
    this.sns = AwsClients.sns(environment);
    this.topicArn = environment.required(CheckSubscriptionHandler.TOPIC_ARN);
    this.subscriptions = new SubscriptionLookup(sns, topicArn);
    this.clock = clock;
  }

  @Override
  protected APIGatewayProxyResponseEvent handle(APIGatewayProxyRequestEvent request) {
    String email = Emails.field(Requests.jsonBody(request, OtpRequest.class, MAX_BODY_BYTES).email(), "email");
    try {
      if (subscriptions.statusOf(email).status() != SubscriptionStatus.CONFIRMED) {
        throw ApiException.conflict("subscription_not_confirmed", "Confirm the subscription email first");
      }
      Instant now = clock.instant();
      Instant expiresAt = now.plus(CODE_LIFETIME);
      String emailHash = passwords.emailHash(email);
      String code = passwords.newCode();
      String salt = passwords.newSalt();
      if (!table.storeCode(emailHash, passwords.codeHash(emailHash, salt, code), salt, expiresAt, now)) {
        throw ApiException.tooManyRequests("too_many_codes",
            "At most " + OtpTable.MAX_SENDS_PER_WINDOW + " codes per hour; try again later");
      }
      sns.publish(publish -> publish.topicArn(topicArn)
          .subject(SUBJECT)
          .message("Your Boxoffice sign-in code is " + code + ".\n\nIt is valid for 5 minutes and works once. "
              + "If you did not ask for it, ignore this email.")
          .messageAttributes(Map.of(RECIPIENT_ATTRIBUTE,
              MessageAttributeValue.builder().dataType("String").stringValue(email).build())));
      return json(202, new OtpSent(expiresAt));
    } catch (SdkException e) {
      System.err.println("send-otp could not reach DynamoDB or SNS: " + e.getMessage());
      throw ApiException.upstream("The code could not be sent; try again");
    }
  }
}
