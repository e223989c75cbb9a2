package dev.boxoffice.local.aws.ses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.boxoffice.local.aws.LocalCredentials;
import dev.boxoffice.local.aws.iam.AccessKey;
import dev.boxoffice.local.aws.iam.LocalIam;
import dev.boxoffice.local.aws.iam.ServicePolicies;
import dev.boxoffice.local.aws.mail.LocalMail;
import dev.boxoffice.local.aws.sns.LocalSns;
import dev.boxoffice.local.aws.sns.SnsQuotas;
import dev.boxoffice.local.aws.sqs.LocalSqs;
import dev.boxoffice.local.servers.LoopbackPorts;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.SesV2Exception;
import software.amazon.awssdk.services.sesv2.model.EventType;
import software.amazon.awssdk.services.sesv2.model.MessageRejectedException;
import software.amazon.awssdk.services.sesv2.model.NotFoundException;
import software.amazon.awssdk.services.sesv2.model.SendQuota;
import software.amazon.awssdk.services.sesv2.model.TooManyRequestsException;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/** The local SES v2 through the AWS SDK's SesV2Client: sending, its refusals, its quota, its bounce events. */
class LocalSesTest {

  private static final double MAX_SEND_RATE = 5;
  private static final String SENDER_ROLE = "arn:aws:iam::" + LocalCredentials.ACCOUNT + ":role/sender";
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir
  static Path dataDir;

  private static Vertx vertx;
  private static LocalSqs sqs;
  private static LocalMail mail;
  private static LocalSns sns;
  private static LocalSes ses;
  private static SesV2Client client;
  private static SqsClient sqsClient;
  private static LocalIam iam;
  private static SnsClient snsClient;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    String eventsTopic = "arn:aws:sns:" + LocalCredentials.REGION + ":" + LocalCredentials.ACCOUNT + ":mail-events";
    iam = LocalIam.builder(LocalCredentials.ACCOUNT, LocalCredentials.REGION, LocalCredentials.ADMINISTRATOR, true)
        .resourcePolicy(eventsTopic, ServicePolicies.sesMayPublishTo(eventsTopic, LocalCredentials.ACCOUNT))
        .resourcePolicy(LocalSqs.queueArn("mail-events"), ServicePolicies.topicMaySendTo(
            LocalSqs.queueArn("mail-events"), eventsTopic))
        .role(SENDER_ROLE, "sender-session", ServicePolicies.allow(new JsonArray().add("ses:SendEmail"),
            new JsonArray().add("arn:aws:ses:" + LocalCredentials.REGION + ":" + LocalCredentials.ACCOUNT
                + ":identity/boxoffice.test")))
        .build();
    sqs = LocalSqs.start(LoopbackPorts.free(), iam);
    mail = LocalMail.start(vertx, 0, 0).await(30, TimeUnit.SECONDS);
    sns = LocalSns.start(vertx, dataDir, 0, new LocalSns.Endpoints(mail.mailer(),
        (function, payload) -> Future.succeededFuture("null"), sqs.endpoint()), iam,
        SnsQuotas.aws(LocalCredentials.REGION)).await(30, TimeUnit.SECONDS);
    ses = LocalSes.start(vertx, 0, new LocalSes.Quota(MAX_SEND_RATE, -1), mail.mailer(), sns.snsEndpoint(), iam)
        .await(30, TimeUnit.SECONDS);
    var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(LocalCredentials.ACCESS_KEY_ID,
        LocalCredentials.SECRET_ACCESS_KEY));
    client = SesV2Client.builder().endpointOverride(ses.endpoint()).region(Region.US_EAST_1)
        .credentialsProvider(credentials).httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    sqsClient = SqsClient.builder().endpointOverride(sqs.endpoint()).region(Region.US_EAST_1)
        .credentialsProvider(credentials).httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    snsClient = SnsClient.builder().endpointOverride(sns.snsEndpoint()).region(Region.US_EAST_1)
        .credentialsProvider(credentials).httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    client.createEmailIdentity(create -> create.emailIdentity("boxoffice.test"));
  }

  @AfterAll
  static void stop() throws Exception {
    client.close();
    sqsClient.close();
    snsClient.close();
    ses.stop().await(10, TimeUnit.SECONDS);
    sns.stop().await(10, TimeUnit.SECONDS);
    mail.stop().await(10, TimeUnit.SECONDS);
    vertx.close().await(10, TimeUnit.SECONDS);
    sqs.close();
  }

  @Test
  @DisplayName("a raw MIME message arrives unchanged but for SES's Message-ID, its HTML, inline image and "
      + "attachment readable in the inbox")
  void rawMessage() throws Exception {
    SdkBytes mime = SdkBytes.fromByteArray(rawMime("reader@example.test"));
    String messageId = client.sendEmail(send -> send.content(content -> content.raw(raw -> raw.data(mime))))
        .messageId();

    JsonObject caught = awaitMail("reader@example.test");
    assertThat(caught.getString("subject")).isEqualTo("Your tickets for Été <jazz>");
    assertThat(caught.getString("html")).contains("<img src=\"cid:qr-1\"");
    assertThat(caught.getJsonObject("headers").getString("Reply-To")).isEqualTo("help@boxoffice.test");
    JsonArray parts = caught.getJsonArray("parts");
    JsonObject image = parts.stream().map(JsonObject.class::cast).filter(part -> "qr-1".equals(part.getString(
        "contentId"))).findFirst().orElseThrow();
    JsonObject calendar = parts.stream().map(JsonObject.class::cast).filter(part -> "event.ics".equals(part.getString(
        "filename"))).findFirst().orElseThrow();
    HttpResponse<byte[]> png = get(image.getString("url"));
    assertThat(png.headers().firstValue("Content-Type")).hasValue("image/png");
    assertThat(png.body()).startsWith(0x89, 'P', 'N', 'G');
    HttpResponse<byte[]> ics = get(calendar.getString("url"));
    assertThat(ics.headers().firstValue("Content-Disposition")).hasValueSatisfying(value ->
        assertThat(value).startsWith("attachment"));
    HttpResponse<byte[]> html = get("/messages/" + caught.getString("id") + "/html");
    assertThat(html.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp ->
        assertThat(csp).contains("default-src 'none'", "sandbox"));
    assertThat(new String(html.body())).contains("/messages/" + caught.getString("id") + "/parts/"
        + image.getInteger("index"));
    String raw = new String(get("/api/messages/" + caught.getString("id") + "/raw").body());
    assertThat(raw).contains("Message-ID: <" + messageId + "@email.amazonses.com>");
  }

  @Test
  @DisplayName("a sender that is no verified identity and an unknown configuration set are refused as SES refuses them")
  void refusals() {
    assertThatThrownBy(() -> client.sendEmail(send -> send.fromEmailAddress("someone@elsewhere.test")
        .destination(to -> to.toAddresses("reader@example.test"))
        .content(content -> content.simple(simple -> simple.subject(subject -> subject.data("Hi"))
            .body(body -> body.text(text -> text.data("Hello")))))))
        .isInstanceOf(MessageRejectedException.class)
        .hasMessageContaining("Email address is not verified");
    assertThatThrownBy(() -> client.sendEmail(send -> send.fromEmailAddress("tickets@boxoffice.test")
        .configurationSetName("missing")
        .destination(to -> to.toAddresses("reader@example.test"))
        .content(content -> content.simple(simple -> simple.subject(subject -> subject.data("Hi"))
            .body(body -> body.text(text -> text.data("Hello")))))))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  @DisplayName("past the account's maximum send rate SES answers TooManyRequests; GetAccount reports the quota")
  void sendingRate() throws Exception {
    SendQuota quota = client.getAccount(account -> { }).sendQuota();
    assertThat(quota.maxSendRate()).isEqualTo(MAX_SEND_RATE);
    assertThat(quota.max24HourSend()).isEqualTo(-1);
    Thread.sleep(1100);
    List<Object> outcomes = Collections.synchronizedList(new ArrayList<>());
    try (SesV2Client once = SesV2Client.builder().endpointOverride(ses.endpoint()).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
            LocalCredentials.ACCESS_KEY_ID, LocalCredentials.SECRET_ACCESS_KEY)))
        .overrideConfiguration(override -> override.retryStrategy(AwsRetryStrategy.doNotRetry()))
        .httpClientBuilder(UrlConnectionHttpClient.builder()).build()) {
      IntStream.range(0, 16).parallel().forEach(attempt -> {
        try {
          outcomes.add(once.sendEmail(send -> send.fromEmailAddress("tickets@boxoffice.test")
              .destination(to -> to.toAddresses("success@simulator.amazonses.com"))
              .content(content -> content.simple(simple -> simple.subject(subject -> subject.data("Hi"))
                  .body(body -> body.text(text -> text.data("Hello")))))).messageId());
        } catch (TooManyRequestsException e) {
          outcomes.add(e);
        }
      });
    }
    List<TooManyRequestsException> throttled = outcomes.stream().filter(TooManyRequestsException.class::isInstance)
        .map(TooManyRequestsException.class::cast).toList();
    assertThat(throttled).isNotEmpty();
    assertThat(throttled.getFirst().getMessage()).contains("Maximum sending rate exceeded");
    assertThat(outcomes.size() - throttled.size()).as("accepted").isGreaterThanOrEqualTo((int) MAX_SEND_RATE);
  }

  @Test
  @DisplayName("a role allowed ses:SendEmail on one identity sends from it, and is refused another identity and a "
      + "configuration set its policy does not name with AccessDeniedException (403); a key nobody was given is "
      + "UnrecognizedClientException")
  void identityPolicies() throws Exception {
    client.createConfigurationSet(create -> create.configurationSetName("unlisted"));
    client.createEmailIdentity(create -> create.emailIdentity("other.test"));
    AccessKey key = iam.session(SENDER_ROLE).key();
    Thread.sleep(1100);
    try (SesV2Client sender = SesV2Client.builder().endpointOverride(ses.endpoint()).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsSessionCredentials.create(key.accessKeyId(),
            key.secretAccessKey(), key.sessionToken())))
        .overrideConfiguration(override -> override.retryStrategy(AwsRetryStrategy.doNotRetry()))
        .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
        SesV2Client stranger = SesV2Client.builder().endpointOverride(ses.endpoint()).region(Region.US_EAST_1)
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIASTRANGER",
                "not-a-secret")))
            .overrideConfiguration(override -> override.retryStrategy(AwsRetryStrategy.doNotRetry()))
            .httpClientBuilder(UrlConnectionHttpClient.builder()).build()) {
      assertThat(sender.sendEmail(send -> send.fromEmailAddress("tickets@boxoffice.test")
          .destination(to -> to.toAddresses("success@simulator.amazonses.com"))
          .content(content -> content.simple(simple -> simple.subject(subject -> subject.data("Allowed"))
              .body(body -> body.text(text -> text.data("Hello")))))).messageId()).isNotBlank();
      assertThatThrownBy(() -> sender.sendEmail(send -> send.fromEmailAddress("tickets@other.test")
          .destination(to -> to.toAddresses("success@simulator.amazonses.com"))
          .content(content -> content.simple(simple -> simple.subject(subject -> subject.data("Other"))
              .body(body -> body.text(text -> text.data("Hello")))))))
          .isInstanceOfSatisfying(SesV2Exception.class, refused -> {
            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(refused.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
            assertThat(refused.getMessage()).contains("ses:SendEmail").contains("identity/other.test");
          });
      assertThatThrownBy(() -> sender.sendEmail(send -> send.fromEmailAddress("tickets@boxoffice.test")
          .configurationSetName("unlisted")
          .destination(to -> to.toAddresses("success@simulator.amazonses.com"))
          .content(content -> content.simple(simple -> simple.subject(subject -> subject.data("Tracked"))
              .body(body -> body.text(text -> text.data("Hello")))))))
          .isInstanceOfSatisfying(SesV2Exception.class, refused ->
              assertThat(refused.getMessage()).contains("configuration-set/unlisted"));
      assertThatThrownBy(() -> stranger.getAccount(account -> { }))
          .isInstanceOfSatisfying(SesV2Exception.class, refused ->
              assertThat(refused.awsErrorDetails().errorCode()).isEqualTo("UnrecognizedClientException"));
    }
  }

  @Test
  @DisplayName("a message to the mailbox simulator's bounce address publishes a permanent Bounce event to the "
      + "configuration set's topic")
  void bounceEvent() throws Exception {
    String topic = snsClient.createTopic(create -> create.name("mail-events")).topicArn();
    String queue = sqsClient.createQueue(create -> create.queueName("mail-events")).queueUrl();
    snsClient.subscribe(subscribe -> subscribe.topicArn(topic).protocol("sqs")
        .endpoint(LocalSqs.queueArn("mail-events")).attributes(Map.of("RawMessageDelivery", "true")));
    client.createConfigurationSet(create -> create.configurationSetName("tracked"));
    client.createConfigurationSetEventDestination(create -> create.configurationSetName("tracked")
        .eventDestinationName("bounces").eventDestination(destination -> destination.enabled(true)
            .matchingEventTypes(EventType.BOUNCE, EventType.COMPLAINT)
            .snsDestination(sns -> sns.topicArn(topic))));
    Thread.sleep(1100);

    String messageId = client.sendEmail(send -> send.fromEmailAddress("tickets@boxoffice.test")
        .configurationSetName("tracked")
        .destination(to -> to.toAddresses("bounce+ticket-1@simulator.amazonses.com"))
        .content(content -> content.simple(simple -> simple.subject(subject -> subject.data("Hi"))
            .body(body -> body.text(text -> text.data("Hello")))))).messageId();

    JsonObject event = null;
    for (int attempt = 0; attempt < 10 && event == null; attempt++) {
      event = sqsClient.receiveMessage(receive -> receive.queueUrl(queue).waitTimeSeconds(1)).messages().stream()
          .map(message -> new JsonObject(message.body())).findFirst().orElse(null);
    }
    assertThat(event).isNotNull();
    assertThat(event.getString("eventType")).isEqualTo("Bounce");
    assertThat(event.getJsonObject("bounce").getString("bounceType")).isEqualTo("Permanent");
    assertThat(event.getJsonObject("bounce").getJsonArray("bouncedRecipients").getJsonObject(0)
        .getString("emailAddress")).isEqualTo("bounce+ticket-1@simulator.amazonses.com");
    assertThat(event.getJsonObject("mail").getString("messageId")).isEqualTo(messageId);
  }

  private static byte[] rawMime(String to) throws Exception {
    MimeMessage message = new MimeMessage(Session.getInstance(new Properties()));
    message.setFrom(new InternetAddress("tickets@boxoffice.test", "Boxoffice"));
    message.setRecipients(Message.RecipientType.TO, InternetAddress.parse(to));
    message.setReplyTo(InternetAddress.parse("help@boxoffice.test"));
    message.setSubject("Your tickets for Été <jazz>", "UTF-8");
    MimeBodyPart text = new MimeBodyPart();
    text.setText("Your tickets", "UTF-8");
    MimeBodyPart html = new MimeBodyPart();
    html.setText("<p>Your tickets</p><img src=\"cid:qr-1\" alt=\"QR\">", "UTF-8", "html");
    MimeBodyPart image = new MimeBodyPart();
    image.setContent(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10}, "image/png");
    image.setContentID("<qr-1>");
    image.setDisposition(MimeBodyPart.INLINE);
    MimeMultipart related = new MimeMultipart("related");
    MimeBodyPart alternativePart = new MimeBodyPart();
    alternativePart.setContent(new MimeMultipart("alternative", text, html));
    related.addBodyPart(alternativePart);
    related.addBodyPart(image);
    MimeBodyPart relatedPart = new MimeBodyPart();
    relatedPart.setContent(related);
    MimeBodyPart calendar = new MimeBodyPart();
    calendar.setText("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "UTF-8", "calendar");
    calendar.setFileName("event.ics");
    calendar.setDisposition(MimeBodyPart.ATTACHMENT);
    message.setContent(new MimeMultipart("mixed", relatedPart, calendar));
    message.saveChanges();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    message.writeTo(bytes);
    return bytes.toByteArray();
  }

  private static JsonObject awaitMail(String address) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      JsonArray mails = new JsonArray(new String(get("/api/messages?to=" + address).body()));
      if (!mails.isEmpty()) {
        return mails.getJsonObject(0);
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no mail to " + address);
  }

  private static HttpResponse<byte[]> get(String path) throws Exception {
    URI uri = mail.inboxUrl().resolve(path);
    return HTTP.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofByteArray());
  }
}
