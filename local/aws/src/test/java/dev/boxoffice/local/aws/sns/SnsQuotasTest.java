package dev.boxoffice.local.aws.sns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.boxoffice.local.aws.LocalCredentials;
import dev.boxoffice.local.aws.iam.LocalIam;
import dev.boxoffice.local.aws.mail.LocalMail;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.FilterPolicyLimitExceededException;
import software.amazon.awssdk.services.sns.model.InvalidParameterException;
import software.amazon.awssdk.services.sns.model.PublishBatchRequestEntry;
import software.amazon.awssdk.services.sns.model.SnsException;
import software.amazon.awssdk.services.sns.model.ThrottledException;

@ExtendWith(VertxExtension.class)
@DisplayName("Local SNS enforces SNS's quotas, its subject rules and its authentication")
class SnsQuotasTest {

  private static final String POLICY = "{\"recipient\":[\"a@example.test\"]}";

  @TempDir
  Path dataDir;

  private LocalMail mail;
  private LocalSns localSns;
  private SnsClient sns;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    mail = LocalMail.start(vertx, 0, 0).await(30, TimeUnit.SECONDS);
    localSns = LocalSns.start(vertx, dataDir, 0, new LocalSns.Endpoints(mail.mailer(),
        (function, payload) -> Future.succeededFuture("null"), null),
        LocalIam.administratorOnly(LocalCredentials.ACCOUNT, LocalCredentials.REGION, LocalCredentials.ADMINISTRATOR),
        new SnsQuotas(5, 2, 3)).await(30, TimeUnit.SECONDS);
    sns = SnsClient.builder().endpointOverride(localSns.snsEndpoint()).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
            LocalCredentials.ACCESS_KEY_ID, LocalCredentials.SECRET_ACCESS_KEY)))
        .overrideConfiguration(override -> override.retryStrategy(retry -> retry.maxAttempts(1)))
        .build();
  }

  @AfterEach
  void stop() throws Exception {
    sns.close();
    localSns.stop().await(30, TimeUnit.SECONDS);
    mail.stop().await(30, TimeUnit.SECONDS);
  }

  @Test
  @DisplayName("AWS's defaults: 200 filter policies a topic, 10,000 an account, a Publish rate by region")
  void defaults() {
    assertThat(SnsQuotas.aws("us-east-1")).isEqualTo(new SnsQuotas(30_000, 200, 10_000));
    assertThat(SnsQuotas.aws("eu-west-1").publishPerSecond()).isEqualTo(9_000);
    assertThat(SnsQuotas.aws("eu-central-1").publishPerSecond()).isEqualTo(1_500);
  }

  @Test
  @DisplayName("a subscription taking a filter policy beyond the topic's or the account's quota is refused with "
      + "FilterPolicyLimitExceeded (403), by Subscribe and by SetSubscriptionAttributes alike")
  void filterPolicyLimits() {
    String first = topic("first");
    String second = topic("second");
    filteredSubscription(first, "one@example.test");
    filteredSubscription(first, "two@example.test");

    assertThatThrownBy(() -> filteredSubscription(first, "three@example.test"))
        .isInstanceOfSatisfying(FilterPolicyLimitExceededException.class, refused ->
            assertThat(refused.statusCode()).isEqualTo(403));
    filteredSubscription(second, "three@example.test");
    String plain = sns.subscribe(subscribe -> subscribe.topicArn(second).protocol("email")
        .endpoint("four@example.test").returnSubscriptionArn(true)).subscriptionArn();
    assertThatThrownBy(() -> sns.setSubscriptionAttributes(set -> set.subscriptionArn(plain)
        .attributeName("FilterPolicy").attributeValue(POLICY)))
        .isInstanceOf(FilterPolicyLimitExceededException.class);
  }

  @Test
  @DisplayName("Publish beyond the account's rate is refused with Throttled (429), which the SDK retries")
  void publishRate() {
    String topic = topic("busy");
    int throttled = 0;
    for (int i = 0; i < 12; i++) {
      try {
        sns.publish(publish -> publish.topicArn(topic).message("hello"));
      } catch (ThrottledException refused) {
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.isThrottlingException()).isTrue();
        throttled++;
      }
    }
    assertThat(throttled).isGreaterThan(0);
  }

  @Test
  @DisplayName("the Publish rate counts messages: a PublishBatch of five takes a second's worth at five a second, "
      + "and the next batch is throttled whole")
  void publishBatchCountsMessages() throws Exception {
    String topic = topic("batched");
    Thread.sleep(1_100);
    List<PublishBatchRequestEntry> five = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      five.add(PublishBatchRequestEntry.builder().id("m" + i).message("message " + i).build());
    }
    assertThat(sns.publishBatch(batch -> batch.topicArn(topic).publishBatchRequestEntries(five)).successful())
        .hasSize(5);
    assertThatThrownBy(() -> sns.publishBatch(batch -> batch.topicArn(topic).publishBatchRequestEntries(
        five.subList(0, 2))))
        .isInstanceOfSatisfying(ThrottledException.class, refused -> assertThat(refused.statusCode()).isEqualTo(429));
  }

  @Test
  @DisplayName("a subject must be at most 100 printable ASCII characters not starting with a space")
  void subjectRules() throws Exception {
    String topic = topic("subjects");
    Thread.sleep(1_000);
    sns.publish(publish -> publish.topicArn(topic).subject("x".repeat(100)).message("ok"));
    for (String subject : new String[] {"x".repeat(101), "Caf\u00e9 night", "two\nlines", " leading space"}) {
      Thread.sleep(250);
      assertThatThrownBy(() -> sns.publish(publish -> publish.topicArn(topic).subject(subject).message("m")))
          .as(subject).isInstanceOf(InvalidParameterException.class).hasMessageContaining("Subject");
    }
  }

  @Test
  @DisplayName("an unsigned request answers MissingAuthenticationToken, one signed with an unknown key "
      + "InvalidClientTokenId")
  void authentication() {
    HttpResponse<String> unsigned = SnsTestSupport.postUnsignedForm(localSns.snsEndpoint(), "Action=ListTopics");
    assertThat(unsigned.statusCode()).isEqualTo(403);
    assertThat(unsigned.body()).contains("<Code>MissingAuthenticationToken</Code>");
    try (SnsClient stranger = SnsClient.builder().endpointOverride(localSns.snsEndpoint()).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("stranger", "secret")))
        .build()) {
      assertThatThrownBy(stranger::listTopics).isInstanceOfSatisfying(SnsException.class, refused ->
          assertThat(refused.awsErrorDetails().errorCode()).isEqualTo("InvalidClientTokenId"));
    }
  }

  private String topic(String name) {
    return sns.createTopic(create -> create.name(name)).topicArn();
  }

  private void filteredSubscription(String topic, String address) {
    sns.subscribe(subscribe -> subscribe.topicArn(topic).protocol("email").endpoint(address)
        .attributes(Map.of("FilterPolicy", POLICY)));
  }
}
