package dev.boxoffice.lambdas;

import static dev.boxoffice.lambdas.ApiRequests.assertError;
import static dev.boxoffice.lambdas.ApiRequests.body;
import static dev.boxoffice.lambdas.ApiRequests.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.boxoffice.codecs.session.Role;
import dev.boxoffice.codecs.session.SessionClaims;
import dev.boxoffice.codecs.session.SessionTokens;
import dev.boxoffice.local.cloud.LocalCloud;
import dev.boxoffice.local.cloud.LocalCloudExtension;
import dev.boxoffice.local.cloud.LocalCloudSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
@ExtendWith(LocalCloudExtension.class)
@DisplayName("POST /send-otp and POST /verify-otp")
class OtpHandlersTest {

  private static final Pattern CODE = Pattern.compile("sign-in code is ([0-9]{6})");
  private static final String SIGN_IN_SUBJECT = "Your Boxoffice sign-in code";

  private final LocalCloud aws;
  private final OneTimePasswords passwords;
  private final SendOtpHandler send;
  private final VerifyOtpHandler verify;
  private final ExecutorService pool = Executors.newFixedThreadPool(10);

  OtpHandlersTest(LocalCloud aws) {
    this.aws = aws;
    HandlerEnvironment environment = new HandlerEnvironment(aws.functionEnvironment("VerifyOtpFunction",
        Map.of(VerifyOtpHandler.ORGANIZER_EMAILS, "boss@example.test, other@example.test")));
    this.passwords = new OneTimePasswords(new KeysSecret(environment, Clock.systemUTC()));
    this.send = new SendOtpHandler(aws.functionEnvironment("SendOtpFunction"));
    this.verify = new VerifyOtpHandler(environment, Clock.systemUTC());
  }

  @AfterEach
  void stopPool() {
    pool.shutdownNow();
  }

  @Test
  @DisplayName("an address never seen before gets its code through the notification topic, SQS, the mailer and SES")
  void newAddressSignsIn() throws Exception {
    String stranger = unique("stranger");
    assertThat(storedItem(stranger)).isEmpty();

    assertThat(sendTo(stranger).getStatusCode()).isEqualTo(202);

    JsonNode mail = aws.inbox().awaitMail(stranger, candidate -> SIGN_IN_SUBJECT.equals(
        candidate.path("subject").asText()));
    assertThat(mail.path("from").asText()).isEqualTo("tickets@" + LocalCloudSettings.LOCAL_MAIL_DOMAIN);
    assertThat(mail.path("html").asText()).contains("sign-in code is");
    assertThat(mail.path("headers").has("List-Unsubscribe")).as("no unsubscribe on a sign-in code").isFalse();
    assertThat(verifyCode(stranger, awaitCode(stranger)).getStatusCode()).isEqualTo(200);
  }

  @Test
  @DisplayName("a code reaches only its own address, verifies once into a session token, and a replay is refused")
  void sendVerifyReplay() throws Exception {
    String alice = unique("alice");
    String bob = unique("bob");

    APIGatewayProxyResponseEvent sent = sendTo(alice);
    assertThat(sent.getStatusCode()).isEqualTo(202);
    assertThat(Instant.parse(body(sent).path("expiresAt").asText()))
        .isBetween(Instant.now().plusSeconds(290), Instant.now().plusSeconds(301));
    String code = awaitCode(alice);
    assertThat(sendTo(bob).getStatusCode()).isEqualTo(202);
    awaitCode(bob);
    assertThat(otpMails(bob)).as("bob gets his own code only").hasSize(1);
    assertThat(otpMails(alice)).hasSize(1);

    Map<String, AttributeValue> item = storedItem(alice).orElseThrow();
    assertThat(item.toString()).doesNotContain(code).doesNotContain(alice);
    assertThat(Long.parseLong(item.get("expiresAt").n())).isGreaterThan(Instant.now().getEpochSecond());

    APIGatewayProxyResponseEvent verified = verifyCode(alice.toUpperCase(), code);
    assertThat(verified.getStatusCode()).isEqualTo(200);
    SessionClaims claims = SessionTokens.verify(body(verified).path("token").asText(),
        aws.secrets().sessionKeys().getPublic(), SessionTokens.DEFAULT_ISSUER, SessionTokens.DEFAULT_AUDIENCE, Instant.now(),
        Duration.ZERO);
    assertThat(claims.subject()).isEqualTo(alice);
    assertThat(claims.roles()).containsExactly(Role.BUYER);

    assertError(verifyCode(alice, code), 401, "invalid_code");
  }

  @Test
  @DisplayName("after 5 wrong codes the 6th attempt is refused with 429 even with the right code")
  void bruteForceStopsAtFive() throws Exception {
    String mallory = unique("mallory");
    sendTo(mallory);
    String code = awaitCode(mallory);
    String wrong = code.equals("000000") ? "111111" : "000000";

    for (int attempt = 1; attempt <= OtpTable.MAX_ATTEMPTS; attempt++) {
      assertError(verifyCode(mallory, wrong), 401, "invalid_code");
    }
    assertError(verifyCode(mallory, code), 429, "too_many_attempts");
  }

  @Test
  @DisplayName("10 concurrent guesses at one code are counted before they are compared: at most 5 are ever compared")
  void concurrentGuessesCounted() throws Exception {
    String eve = unique("eve");
    sendTo(eve);
    String code = awaitCode(eve);
    String wrong = code.equals("000000") ? "111111" : "000000";

    List<Integer> statuses = runConcurrently(10, () -> verifyCode(eve, wrong).getStatusCode());

    assertThat(statuses).containsOnly(401, 429);
    assertThat(statuses.stream().filter(status -> status == 401)).hasSize(OtpTable.MAX_ATTEMPTS);
    assertError(verifyCode(eve, code), 429, "too_many_attempts");
  }

  @Test
  @DisplayName("10 concurrent sends to one address store and mail exactly 5 codes; the rest get 429")
  void concurrentSendsLimitedToFivePerHour() throws Exception {
    String carol = unique("carol");

    List<Integer> statuses = runConcurrently(10, () -> sendTo(carol).getStatusCode());

    assertThat(statuses.stream().filter(status -> status == 202)).hasSize(OtpTable.MAX_SENDS_PER_WINDOW);
    assertThat(statuses.stream().filter(status -> status == 429)).hasSize(10 - OtpTable.MAX_SENDS_PER_WINDOW);
    assertThat(storedItem(carol).orElseThrow().get("sendsInWindow").n()).isEqualTo("5");
    assertError(sendTo(carol), 429, "too_many_codes");
  }

  @Test
  @DisplayName("a code older than 5 minutes is refused as expired")
  void expiredCode() throws Exception {
    String dave = unique("dave");
    sendTo(dave);
    String code = awaitCode(dave);
    VerifyOtpHandler later = new VerifyOtpHandler(new HandlerEnvironment(aws.functionEnvironment("VerifyOtpFunction")),
        Clock.offset(Clock.systemUTC(), Duration.ofMinutes(6)));

    assertError(later.handleRequest(json("POST", "/verify-otp",
        "{\"email\":\"" + dave + "\",\"code\":\"" + code + "\"}"), null), 401, "code_expired");
  }

  @Test
  @DisplayName("an organizer listed in BOXOFFICE_ORGANIZER_EMAILS gets a session with both roles")
  void organizerRole() throws Exception {
    String boss = "boss@example.test";
    sendTo(boss);

    APIGatewayProxyResponseEvent verified = verifyCode(boss, awaitCode(boss));

    SessionClaims claims = SessionTokens.verify(body(verified).path("token").asText(),
        aws.secrets().sessionKeys().getPublic(), SessionTokens.DEFAULT_ISSUER, SessionTokens.DEFAULT_AUDIENCE, Instant.now(),
        Duration.ZERO);
    assertThat(claims.roles()).containsExactlyInAnyOrder(Role.BUYER, Role.ORGANIZER);
  }

  @Test
  @DisplayName("malformed bodies, wrong content types and malformed codes answer 4xx and touch no code")
  void badInput() {
    assertError(send.handleRequest(json("POST", "/send-otp", "{"), null), 400, "malformed_json");
    assertError(send.handleRequest(json("POST", "/send-otp", "{\"email\":42}"), null), 400, "invalid_field");
    assertError(send.handleRequest(json("POST", "/send-otp", "{}"), null), 400, "invalid_field");
    assertError(send.handleRequest(ApiRequests.request("POST", "/send-otp", "application/x-www-form-urlencoded",
        "email=a@b.test", false), null), 415, "unsupported_media_type");
    assertError(send.handleRequest(ApiRequests.request("POST", "/send-otp", null, null, false), null), 415,
        "unsupported_media_type");
    assertError(verify.handleRequest(json("POST", "/verify-otp", "{\"email\":\"a@b.test\",\"code\":\"12345a\"}"),
        null), 400, "invalid_field");
    assertError(verify.handleRequest(json("POST", "/verify-otp", "{\"email\":\"a@b.test\",\"code\":[\"123456\"]}"),
        null), 400, "invalid_field");
    assertError(verify.handleRequest(json("POST", "/verify-otp", "{\"email\":\"a@b.test\"}"), null), 400,
        "invalid_field");
    assertError(verify.handleRequest(json("POST", "/verify-otp", "{\"email\":\"nobody@example.test\","
        + "\"code\":\"123456\"}"), null), 401, "invalid_code");
    assertThat(storedItem("nobody@example.test")).isEmpty();
  }

  private APIGatewayProxyResponseEvent sendTo(String address) {
    return send.handleRequest(json("POST", "/send-otp", "{\"email\":\"" + address + "\"}"), null);
  }

  private APIGatewayProxyResponseEvent verifyCode(String address, String code) {
    return verify.handleRequest(json("POST", "/verify-otp",
        "{\"email\":\"" + address + "\",\"code\":\"" + code + "\"}"), null);
  }

  private String awaitCode(String address) throws InterruptedException {
    JsonNode mail = aws.inbox().awaitMail(address, candidate -> SIGN_IN_SUBJECT.equals(candidate.path("subject")
        .asText()));
    Matcher matcher = CODE.matcher(mail.path("text").asText());
    assertThat(matcher.find()).as("a code in %s", mail).isTrue();
    return matcher.group(1);
  }

  private List<JsonNode> otpMails(String address) {
    return aws.inbox().mailsTo(address).stream()
        .filter(mail -> SIGN_IN_SUBJECT.equals(mail.path("subject").asText())).toList();
  }

  private Optional<Map<String, AttributeValue>> storedItem(String address) {
    String table = aws.resources().tableName("OtpTable");
    Map<String, AttributeValue> item = aws.admin().dynamoDb().getItem(get -> get.tableName(table)
        .key(Map.of("emailHash", AttributeValue.fromS(passwords.emailHash(address)))).consistentRead(true)).item();
    return item == null || item.isEmpty() ? Optional.empty() : Optional.of(item);
  }

  private <T> List<T> runConcurrently(int count, Callable<T> task) throws Exception {
    List<Future<T>> futures = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      futures.add(pool.submit(task));
    }
    List<T> results = new ArrayList<>();
    for (Future<T> future : futures) {
      results.add(future.get());
    }
    return results;
  }

  private static String unique(String name) {
    return name + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
  }
}
