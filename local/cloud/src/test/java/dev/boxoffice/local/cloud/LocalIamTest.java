package dev.boxoffice.local.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.boxoffice.local.aws.iam.AccessKey;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.SesV2Exception;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.SfnException;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.AuthorizationErrorException;
import software.amazon.awssdk.services.sns.model.SnsException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * Each role of the templates calling the local endpoints with its own keys: what its policies allow goes through,
 * anything else is refused with the service's own AccessDenied error and AWS's sentence.
 */
@ExtendWith(LocalCloudExtension.class)
@DisplayName("The local IAM, with the roles of the templates")
class LocalIamTest {

  private static final String ACCOUNT = "000000000000";

  private final LocalCloud aws;
  private final String bucket;

  LocalIamTest(LocalCloud aws) {
    this.aws = aws;
    this.bucket = aws.resources().bucketName("MediaBucket");
  }

  @Test
  @DisplayName("get-qr-code's role finds a QR code not written yet missing (404), as it may list tickets/; "
      + "create-ticket's may only write QR codes: reading one back, listing and event images are S3's 403 "
      + "AccessDenied with AWS's sentence")
  void qrCodeRoles() {
    try (S3Client getQrCode = s3(aws.principals().function("GetQrCodeFunction").credentialsProvider());
        S3Client createTicket = s3(aws.principals().function("CreateTicketFunction").credentialsProvider())) {
      assertThatThrownBy(() -> getQrCode.headObject(head -> head.bucket(bucket).key("tickets/not-yet.png")))
          .isInstanceOf(NoSuchKeyException.class);
      assertThat(createTicket.putObject(put -> put.bucket(bucket).key("tickets/iam-written.png"),
          RequestBody.fromString("png")).sdkHttpResponse().isSuccessful()).isTrue();
      assertThatThrownBy(() -> createTicket.headObject(head -> head.bucket(bucket).key("tickets/iam-written.png")))
          .isInstanceOfSatisfying(S3Exception.class, denied -> assertThat(denied.statusCode()).isEqualTo(403));
      assertThatThrownBy(() -> createTicket.listObjectsV2(list -> list.bucket(bucket).prefix("tickets/")))
          .isInstanceOfSatisfying(S3Exception.class, denied -> assertThat(denied.statusCode()).isEqualTo(403));
      assertThatThrownBy(() -> createTicket.getObject(get -> get.bucket(bucket).key("events/poster.jpg")))
          .isInstanceOfSatisfying(S3Exception.class, denied -> {
            assertThat(denied.statusCode()).isEqualTo(403);
            assertThat(denied.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
            assertThat(denied.awsErrorDetails().errorMessage()).isEqualTo("User: arn:aws:sts::" + ACCOUNT
                + ":assumed-role/boxoffice-CreateTicketRole/boxoffice-CreateTicketFunction is not authorized to "
                + "perform: s3:GetObject on resource: \"arn:aws:s3:::" + bucket + "/events/poster.jpg\" because no "
                + "identity-based policy allows the s3:GetObject action");
          });
    }
  }

  @Test
  @DisplayName("CloudFront reads event images through the bucket policy, and nothing else: a ticket's QR code and a "
      + "missing image are 403, as CloudFront may not list the bucket")
  void bucketPolicy() {
    aws.admin().s3().putObject(put -> put.bucket(bucket).key("events/iam-test.jpg"), RequestBody.fromString("jpg"));
    aws.admin().s3().putObject(put -> put.bucket(bucket).key("tickets/iam-test.png"), RequestBody.fromString("png"));
    try (S3Client cloudFront = s3(aws.principals().cloudFront().credentialsProvider())) {
      assertThat(cloudFront.getObjectAsBytes(get -> get.bucket(bucket).key("events/iam-test.jpg")).asUtf8String())
          .isEqualTo("jpg");
      assertThatThrownBy(() -> cloudFront.getObject(get -> get.bucket(bucket).key("tickets/iam-test.png")))
          .isInstanceOfSatisfying(S3Exception.class, denied -> assertThat(denied.statusCode()).isEqualTo(403));
      assertThatThrownBy(() -> cloudFront.getObject(get -> get.bucket(bucket).key("events/missing.jpg")))
          .isInstanceOfSatisfying(S3Exception.class, denied -> assertThat(denied.statusCode()).isEqualTo(403));
    }
  }

  @Test
  @DisplayName("verify-otp's role may not publish to the topic: SNS's AuthorizationError with AWS's sentence")
  void snsRefusal() {
    String topic = aws.resources().topicArn("NotificationTopic");
    try (SnsClient sns = sns(aws.principals().function("VerifyOtpFunction").credentialsProvider())) {
      assertThatThrownBy(() -> sns.publish(publish -> publish.topicArn(topic).message("hello")))
          .isInstanceOfSatisfying(AuthorizationErrorException.class, denied -> {
            assertThat(denied.statusCode()).isEqualTo(403);
            assertThat(denied.awsErrorDetails().errorMessage()).isEqualTo("User: arn:aws:sts::" + ACCOUNT
                + ":assumed-role/boxoffice-VerifyOtpRole/boxoffice-VerifyOtpFunction is not authorized to perform: "
                + "SNS:Publish on resource: " + topic + " because no identity-based policy allows the SNS:Publish "
                + "action");
          });
    }
  }

  @Test
  @DisplayName("the mailer's role reads and settles its queue and sends from the mail domain with the configuration "
      + "set, but may not send to the queue nor ask SES for the account: SQS's AccessDenied, SES's "
      + "AccessDeniedException")
  void mailerRole() {
    String queue = aws.resources().queueUrl("TransactionalMailQueue");
    aws.admin().sqs().sendMessage(send -> send.queueUrl(queue).messageBody("{}"));
    LocalPrincipal mailer = aws.principals().function("MailerFunction");
    try (SqsClient sqs = SqsClient.builder().region(Region.US_EAST_1).credentialsProvider(mailer.credentialsProvider())
        .httpClientBuilder(UrlConnectionHttpClient.builder()).endpointOverride(aws.sqsEndpoint()).build();
        SesV2Client ses = SesV2Client.builder().region(Region.US_EAST_1)
            .credentialsProvider(mailer.credentialsProvider()).httpClientBuilder(UrlConnectionHttpClient.builder())
            .endpointOverride(aws.sesEndpoint()).build()) {
      for (Message message : sqs.receiveMessage(receive -> receive.queueUrl(queue).waitTimeSeconds(1)).messages()) {
        sqs.changeMessageVisibility(change -> change.queueUrl(queue).receiptHandle(message.receiptHandle())
            .visibilityTimeout(0));
      }
      assertThatThrownBy(() -> sqs.sendMessage(send -> send.queueUrl(queue).messageBody("forged")))
          .isInstanceOfSatisfying(SqsException.class, denied -> {
            assertThat(denied.statusCode()).isEqualTo(403);
            assertThat(denied.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
            assertThat(denied.getMessage()).contains(mailer.arn() + " is not authorized to perform: "
                + "sqs:SendMessage on resource: arn:aws:sqs:us-east-1:" + ACCOUNT + ":");
          });
      assertThat(ses.sendEmail(send -> send.fromEmailAddress("tickets@" + LocalCloudSettings.LOCAL_MAIL_DOMAIN)
          .configurationSetName("boxoffice-mail")
          .destination(to -> to.toAddresses("mailer-role@example.test"))
          .content(content -> content.simple(simple -> simple.subject(subject -> subject.data("Role check"))
              .body(body -> body.text(text -> text.data("Sent as the mailer")))))).messageId()).isNotBlank();
      assertThatThrownBy(() -> ses.getAccount(get -> { }))
          .isInstanceOfSatisfying(SesV2Exception.class, denied -> {
            assertThat(denied.statusCode()).isEqualTo(403);
            assertThat(denied.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
          });
    }
  }

  @Test
  @DisplayName("log-activity's role may write the activity table but not the OTP table: DynamoDB's "
      + "AccessDeniedException")
  void dynamoDbRefusal() {
    String otpTable = aws.resources().tableName("OtpTable");
    try (DynamoDbClient dynamoDb = dynamoDb(aws.principals().function("LogActivityFunction").credentialsProvider())) {
      assertThatThrownBy(() -> dynamoDb.putItem(put -> put.tableName(otpTable)
          .item(Map.of("codeSlot", AttributeValue.fromS("x")))))
          .isInstanceOfSatisfying(DynamoDbException.class, denied -> {
            assertThat(denied.statusCode()).isEqualTo(400);
            assertThat(denied.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
            assertThat(denied.awsErrorDetails().errorMessage()).contains("is not authorized to perform: "
                + "dynamodb:PutItem on resource: arn:aws:dynamodb:us-east-1:" + ACCOUNT + ":table/" + otpTable);
          });
    }
  }

  @Test
  @DisplayName("the backend's task role from compute.yaml may follow ticket issuance executions but not start or "
      + "look at the subscription state machine's")
  void backendTaskRole() {
    String issuance = aws.resources().stateMachineArn("TicketIssuanceStateMachine");
    String subscription = aws.resources().stateMachineArn("SubscriptionStateMachine");
    try (SfnClient sfn = sfn(aws.principals().backendTask().credentialsProvider())) {
      assertThatThrownBy(() -> sfn.describeExecution(describe -> describe.executionArn(
          issuance.replace(":stateMachine:", ":execution:") + ":never-started")))
          .isInstanceOf(ExecutionDoesNotExistException.class);
      assertThatThrownBy(() -> sfn.startExecution(start -> start.stateMachineArn(subscription)))
          .isInstanceOfSatisfying(SfnException.class, denied -> {
            assertThat(denied.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
            assertThat(denied.awsErrorDetails().errorMessage()).isEqualTo("User: " + aws.principals().backendTask()
                .arn() + " is not authorized to perform: states:StartExecution on resource: " + subscription
                + " because no identity-based policy allows the states:StartExecution action");
          });
    }
    assertThat(aws.principals().backendTask().arn())
        .startsWith("arn:aws:sts::" + ACCOUNT + ":assumed-role/boxoffice-ComputeStack-TaskRole/");
  }

  @Test
  @DisplayName("a key nobody was given, or a role's key without its session token, is refused as an unknown client")
  void unknownCallers() {
    LocalPrincipal role = aws.principals().function("SendOtpFunction");
    AwsCredentialsProvider withoutToken = new LocalPrincipal("forged", role.arn(),
        new AccessKey(role.accessKeyId(), role.secretAccessKey(), null)).credentialsProvider();
    AwsCredentialsProvider unknown = new LocalPrincipal("stranger", "arn:aws:iam::" + ACCOUNT + ":user/stranger",
        AccessKey.temporary()).credentialsProvider();
    try (SnsClient tokenless = sns(withoutToken); SfnClient stranger = sfn(unknown)) {
      assertThatThrownBy(tokenless::listTopics)
          .isInstanceOfSatisfying(SnsException.class, refused ->
              assertThat(refused.awsErrorDetails().errorCode()).isEqualTo("InvalidClientTokenId"));
      assertThatThrownBy(stranger::listStateMachines)
          .isInstanceOfSatisfying(SfnException.class, refused ->
              assertThat(refused.awsErrorDetails().errorCode()).isEqualTo("UnrecognizedClientException"));
    }
  }

  private S3Client s3(AwsCredentialsProvider credentials) {
    return S3Client.builder().region(Region.US_EAST_1).credentialsProvider(credentials)
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .endpointOverride(aws.s3Endpoint()).forcePathStyle(true).build();
  }

  private SnsClient sns(AwsCredentialsProvider credentials) {
    return SnsClient.builder().region(Region.US_EAST_1).credentialsProvider(credentials)
        .httpClientBuilder(UrlConnectionHttpClient.builder()).endpointOverride(aws.snsEndpoint()).build();
  }

  private DynamoDbClient dynamoDb(AwsCredentialsProvider credentials) {
    return DynamoDbClient.builder().region(Region.US_EAST_1).credentialsProvider(credentials)
        .httpClientBuilder(UrlConnectionHttpClient.builder()).endpointOverride(aws.dynamoDbEndpoint()).build();
  }

  private SfnClient sfn(AwsCredentialsProvider credentials) {
    URI endpoint = aws.stepFunctionsEndpoint();
    return SfnClient.builder().region(Region.US_EAST_1).credentialsProvider(credentials)
        .httpClientBuilder(UrlConnectionHttpClient.builder()).endpointOverride(endpoint).build();
  }
}
