package dev.boxoffice.lambdas;

import static dev.boxoffice.lambdas.GatewayClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.boxoffice.codecs.session.Role;
import dev.boxoffice.local.cloud.LocalCloud;
import dev.boxoffice.local.cloud.LocalCloudExtension;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The attacks of issue #17 on /subscribe, made over HTTP through the local API Gateway router from clients on
 * addresses of their own, against the real subscribe function, the subscription state machine, its Lambdas,
 * DynamoDB, SNS, SQS, the mailer and SES.
 */
@ExtendWith(LocalCloudExtension.class)
@DisplayName("/subscribe under attack")
class SubscriptionAttacksTest {

  private static final String CONFIRMATION_SUBJECT = "Confirm your Boxoffice announcements";

  private final LocalCloud aws;
  private final SubscriptionLinks links;

  SubscriptionAttacksTest(LocalCloud aws) {
    this.aws = aws;
    this.links = new SubscriptionLinks(new KeysSecret(new HandlerEnvironment(aws.functionEnvironment("SubscribeFunction")),
        Clock.systemUTC()));
  }

  @Test
  @DisplayName("30 /subscribe calls for one address from 30 networks mail it one confirmation")
  void thirtyCallsOneEmail() throws Exception {
    String victim = unique("victim");
    List<Integer> statuses = new ArrayList<>();
    for (int call = 0; call < 30; call++) {
      GatewayClient caller = GatewayClient.fromNewAddress(aws.apiGatewayEndpoint());
      HttpResponse<String> answer = caller.post("/subscribe", Map.of("email", victim,
          "preferences", Map.of("categories", List.of("music" + call), "cities", List.of())));
      statuses.add(answer.statusCode());
      if (answer.statusCode() == 429) {
        assertThat(answer.headers().firstValueAsLong("Retry-After").orElse(0)).isPositive();
      }
    }

    assertThat(statuses.get(0)).isEqualTo(202);
    assertThat(statuses.subList(1, 30)).containsOnly(429);
    aws.inbox().awaitMail(victim, mail -> CONFIRMATION_SUBJECT.equals(mail.path("subject").asText()));
    Thread.sleep(3000);
    assertThat(aws.inbox().mailsTo(victim)).hasSize(1);
  }

  @Test
  @DisplayName("one network's calls for many addresses stop at its budget")
  void oneNetworkManyAddresses() throws Exception {
    GatewayClient caller = GatewayClient.fromNewAddress(aws.apiGatewayEndpoint());
    int allowance = SubscribeHandler.REQUESTS_PER_NETWORK.allowance();
    List<Integer> statuses = new ArrayList<>();
    for (int call = 0; call < allowance + 3; call++) {
      statuses.add(caller.post("/subscribe", Map.of("email", unique("target"),
          "preferences", Map.of("categories", List.of("jazz"), "cities", List.of())),
          Map.of("X-Forwarded-For", "203.0.113." + (call + 1))).statusCode());
    }

    assertThat(statuses.subList(0, allowance)).containsOnly(202);
    assertThat(statuses.subList(allowance, allowance + 3)).containsOnly(429);
  }

  @Test
  @DisplayName("a signed-in owner changes their preferences at once; a stranger, anonymous or signed in as someone "
      + "else, changes nothing of them")
  void strangerCannotOverwritePreferences() throws Exception {
    String owner = unique("owner");
    String ownerSession = ApiRequests.session(aws.secrets().sessionKeys().getPrivate(), owner, Role.BUYER);
    GatewayClient ownersClient = GatewayClient.fromNewAddress(aws.apiGatewayEndpoint());
    HttpResponse<String> saved = ownersClient.post("/subscribe", Map.of("email", owner,
        "preferences", Map.of("categories", List.of("opera"), "cities", List.of("vienna"))),
        Map.of("Authorization", "Bearer " + ownerSession));
    assertThat(saved.statusCode()).as(saved.body()).isEqualTo(200);
    assertThat(json(saved).path("status").asText()).isEqualTo("confirmed");
    Set<String> interests = interestsOf(owner);
    assertThat(interests).containsExactly("opera#vienna");

    String strangerSession = ApiRequests.session(aws.secrets().sessionKeys().getPrivate(), unique("stranger"),
        Role.BUYER);
    for (Map<String, String> headers : List.of(Map.<String, String>of(),
        Map.of("Authorization", "Bearer " + strangerSession))) {
      HttpResponse<String> attempt = GatewayClient.fromNewAddress(aws.apiGatewayEndpoint()).post("/subscribe",
          Map.of("email", owner, "preferences", Map.of("categories", List.of("spam"), "cities", List.of())),
          headers);
      assertThat(attempt.statusCode()).as(attempt.body()).isIn(202, 429);
    }

    aws.inbox().awaitMail(owner, mail -> CONFIRMATION_SUBJECT.equals(mail.path("subject").asText()));
    assertThat(interestsOf(owner)).isEqualTo(interests);
    assertThat(profile(owner).get("categories").l()).extracting(AttributeValue::s).containsExactly("opera");
    assertThat(profile(owner).get("status").s()).isEqualTo("confirmed");
  }

  private Map<String, AttributeValue> profile(String email) {
    String table = aws.resources().tableName("SubscribersTable");
    return aws.admin().dynamoDb().getItem(get -> get.tableName(table).consistentRead(true).key(Map.of(
        "pk", AttributeValue.fromS("subscriber#" + links.subscriberId(email)),
        "sk", AttributeValue.fromS("profile")))).item();
  }

  private Set<String> interestsOf(String email) {
    String table = aws.resources().tableName("SubscribersTable");
    return aws.admin().dynamoDb().query(query -> query.tableName(table).consistentRead(true)
            .keyConditionExpression("pk = :pk AND begins_with(sk, :interest)")
            .expressionAttributeValues(Map.of(
                ":pk", AttributeValue.fromS("subscriber#" + links.subscriberId(email)),
                ":interest", AttributeValue.fromS("interest#"))))
        .items().stream().map(item -> item.get("interestKey").s()).collect(Collectors.toSet());
  }

  private static String unique(String name) {
    return name + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
  }
}
