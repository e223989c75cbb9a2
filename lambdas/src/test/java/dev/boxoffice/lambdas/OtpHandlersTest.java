package dev.boxoffice.lambdas;

import static dev.boxoffice.lambdas.ApiRequests.assertError;
import static dev.boxoffice.lambdas.ApiRequests.body;
import static dev.boxoffice.lambdas.ApiRequests.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
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
  /** A network of this test's own, so that the budgets other tests spend never decide this one's answers. */
  private final String network = ApiRequests.randomNetwork();

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

    String challenge = challengeOf(sendTo(stranger));
    assertThat(storedItem(stranger, challenge)).isPresent();

    JsonNode mail = aws.inbox().awaitMail(stranger, candidate -> SIGN_IN_SUBJECT.equals(
        candidate.path("subject").asText()));
    assertThat(mail.path("from").asText()).isEqualTo("tickets@" + LocalCloudSettings.LOCAL_MAIL_DOMAIN);
    assertThat(mail.path("html").asText()).contains("sign-in code is");
    assertThat(mail.path("headers").has("List-Unsubscribe")).as("no unsubscribe on a sign-in code").isFalse();
    assertThat(verifyCode(stranger, awaitCode(stranger), challenge).getStatusCode()).isEqualTo(200);
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
    String challenge = challengeOf(sent);
    String code = awaitCode(alice);
    String bobsChallenge = challengeOf(sendTo(bob));
    awaitCode(bob);
    assertThat(otpMails(bob)).as("bob gets his own code only").hasSize(1);
    assertThat(otpMails(alice)).hasSize(1);

    Map<String, AttributeValue> item = storedItem(alice, challenge).orElseThrow();
    assertThat(item.toString()).doesNotContain(code).doesNotContain(alice).doesNotContain(network);
    assertThat(Long.parseLong(item.get("expiresAt").n())).isGreaterThan(Instant.now().getEpochSecond());
    assertError(verifyCode(alice, code, bobsChallenge), 401, "invalid_code");

    APIGatewayProxyResponseEvent verified = verifyCode(alice.toUpperCase(), code, challenge);
    assertThat(verified.getStatusCode()).isEqualTo(200);
    SessionClaims claims = SessionTokens.verify(body(verified).path("token").asText(),
        aws.secrets().sessionKeys().getPublic(), SessionTokens.DEFAULT_ISSUER, SessionTokens.DEFAULT_AUDIENCE, Instant.now(),
        Duration.ZERO);
    assertThat(claims.subject()).isEqualTo(alice);
    assertThat(claims.roles()).containsExactly(Role.BUYER);
    assertThat(storedItem(alice, challenge)).as("a used code is gone").isEmpty();

    assertError(verifyCode(alice, code, challenge), 401, "invalid_code");
  }

  @Test
  @DisplayName("after 5 wrong codes even the right code is refused, with the answer a wrong code gets")
  void bruteForceStopsAtFive() throws Exception {
    String mallory = unique("mallory");
    String challenge = challengeOf(sendTo(mallory));
    String code = awaitCode(mallory);
    String wrong = code.equals("000000") ? "111111" : "000000";

    for (int attempt = 1; attempt <= OtpTable.MAX_ATTEMPTS; attempt++) {
      assertError(verifyCode(mallory, wrong, challenge), 401, "invalid_code");
    }
    assertError(verifyCode(mallory, code, challenge), 401, "invalid_code");
  }

  @Test
  @DisplayName("10 concurrent guesses at one code are counted before they are compared: at most 5 are ever compared")
  void concurrentGuessesCounted() throws Exception {
    String eve = unique("eve");
    String challenge = challengeOf(sendTo(eve));
    String code = awaitCode(eve);
    String wrong = code.equals("000000") ? "111111" : "000000";

    List<Integer> statuses = runConcurrently(10, () -> verifyCode(eve, wrong, challenge).getStatusCode());

    assertThat(statuses).containsOnly(401);
    assertThat(storedItem(eve, challenge).orElseThrow().get("attempts").n())
        .isEqualTo(Integer.toString(OtpTable.MAX_ATTEMPTS));
    assertError(verifyCode(eve, code, challenge), 401, "invalid_code");
  }

  @Test
  @DisplayName("10 concurrent sends to one address from one network mail exactly its 3 codes; the rest get 429 with "
      + "Retry-After")
  void concurrentSendsLimitedPerAddressAndNetwork() throws Exception {
    String carol = unique("carol");
    int allowance = SignInLimits.CODES_PER_ADDRESS_AND_NETWORK.allowance();

    List<APIGatewayProxyResponseEvent> answers = runConcurrently(10, () -> sendTo(carol));

    assertThat(answers.stream().filter(answer -> answer.getStatusCode() == 202)).hasSize(allowance);
    assertThat(answers.stream().filter(answer -> answer.getStatusCode() == 429)).hasSize(10 - allowance);
    APIGatewayProxyResponseEvent refused = sendTo(carol);
    assertError(refused, 429, "too_many_codes");
    assertThat(Long.parseLong(refused.getHeaders().get("Retry-After")))
        .isBetween(1L, SignInLimits.CODES_PER_ADDRESS_AND_NETWORK.firstDelay().toSeconds());
    aws.inbox().awaitMail(carol, mail -> SIGN_IN_SUBJECT.equals(mail.path("subject").asText()));
    Thread.sleep(1000);
    assertThat(otpMails(carol)).hasSizeLessThanOrEqualTo(allowance);
  }

  @Test
  @DisplayName("a code older than 5 minutes is refused with the answer a wrong code gets")
  void expiredCode() throws Exception {
    String dave = unique("dave");
    String challenge = challengeOf(sendTo(dave));
    String code = awaitCode(dave);
    VerifyOtpHandler later = new VerifyOtpHandler(new HandlerEnvironment(aws.functionEnvironment("VerifyOtpFunction")),
        Clock.offset(Clock.systemUTC(), Duration.ofMinutes(6)));

    assertError(later.handleRequest(fromNetwork(json("POST", "/verify-otp",
        "{\"email\":\"" + dave + "\",\"code\":\"" + code + "\",\"challenge\":\"" + challenge + "\"}")), null),
        401, "invalid_code");
  }

  @Test
  @DisplayName("an unknown address, an unknown challenge, a wrong, an expired, a used and a used-up code all get the "
      + "same status and body")
  void oneAnswerForEveryFailure() throws Exception {
    String frank = unique("frank");
    String challenge = challengeOf(sendTo(frank));
    String code = awaitCode(frank);
    String wrong = code.equals("000000") ? "111111" : "000000";
    VerifyOtpHandler later = new VerifyOtpHandler(new HandlerEnvironment(aws.functionEnvironment("VerifyOtpFunction")),
        Clock.offset(Clock.systemUTC(), Duration.ofMinutes(6)));
    String otherChallenge = challengeOf(sendTo(unique("grace")));

    List<APIGatewayProxyResponseEvent> answers = new ArrayList<>();
    answers.add(verifyCode(unique("nobody"), "123456", challenge));
    answers.add(verifyCode(frank, code, otherChallenge));
    answers.add(verifyCode(frank, wrong, challenge));
    answers.add(later.handleRequest(fromNetwork(json("POST", "/verify-otp",
        "{\"email\":\"" + frank + "\",\"code\":\"" + code + "\",\"challenge\":\"" + challenge + "\"}")), null));
    assertThat(verifyCode(frank, code, challenge).getStatusCode()).isEqualTo(200);
    answers.add(verifyCode(frank, code, challenge));
    String henry = unique("henry");
    String henrysChallenge = challengeOf(sendTo(henry));
    for (int attempt = 0; attempt < OtpTable.MAX_ATTEMPTS; attempt++) {
      verifyCode(henry, "000000", henrysChallenge);
      verifyCode(henry, "111111", henrysChallenge);
    }
    answers.add(verifyCode(henry, awaitCode(henry), henrysChallenge));

    for (APIGatewayProxyResponseEvent answer : answers) {
      assertError(answer, 401, "invalid_code");
      assertThat(answer.getBody()).isEqualTo(answers.get(0).getBody());
    }
  }

  @Test
  @DisplayName("an organizer listed in BOXOFFICE_ORGANIZER_EMAILS gets a session with both roles")
  void organizerRole() throws Exception {
    String boss = "boss@example.test";
    String challenge = challengeOf(sendTo(boss));

    APIGatewayProxyResponseEvent verified = verifyCode(boss, awaitCode(boss), challenge);

    SessionClaims claims = SessionTokens.verify(body(verified).path("token").asText(),
        aws.secrets().sessionKeys().getPublic(), SessionTokens.DEFAULT_ISSUER, SessionTokens.DEFAULT_AUDIENCE, Instant.now(),
        Duration.ZERO);
    assertThat(claims.roles()).containsExactlyInAnyOrder(Role.BUYER, Role.ORGANIZER);
  }

  @Test
  @DisplayName("malformed bodies, wrong content types, malformed codes and challenges answer 4xx and touch no code")
  void badInput() {
    assertError(send.handleRequest(json("POST", "/send-otp", "{"), null), 400, "malformed_json");
    assertError(send.handleRequest(json("POST", "/send-otp", "{\"email\":42}"), null), 400, "invalid_field");
    assertError(send.handleRequest(json("POST", "/send-otp", "{}"), null), 400, "invalid_field");
    assertError(send.handleRequest(ApiRequests.request("POST", "/send-otp", "application/x-www-form-urlencoded",
        "email=a@b.test", false), null), 415, "unsupported_media_type");
    assertError(send.handleRequest(ApiRequests.request("POST", "/send-otp", null, null, false), null), 415,
        "unsupported_media_type");
    String challenge = "A".repeat(22);
    assertError(verify.handleRequest(json("POST", "/verify-otp", "{\"email\":\"a@b.test\",\"code\":\"12345a\","
        + "\"challenge\":\"" + challenge + "\"}"), null), 400, "invalid_field");
    assertError(verify.handleRequest(json("POST", "/verify-otp", "{\"email\":\"a@b.test\",\"code\":[\"123456\"]}"),
        null), 400, "invalid_field");
    assertError(verify.handleRequest(json("POST", "/verify-otp", "{\"email\":\"a@b.test\"}"), null), 400,
        "invalid_field");
    assertThat(assertError(verify.handleRequest(json("POST", "/verify-otp",
        "{\"email\":\"a@b.test\",\"code\":\"123456\"}"), null), 400, "invalid_field").path("field").asText())
        .isEqualTo("challenge");
    assertThat(assertError(verify.handleRequest(json("POST", "/verify-otp",
        "{\"email\":\"a@b.test\",\"code\":\"123456\",\"challenge\":\"../x\"}"), null), 400, "invalid_field")
        .path("field").asText()).isEqualTo("challenge");
    assertError(verifyCode("nobody@example.test", "123456", challenge), 401, "invalid_code");
    assertThat(storedItem("nobody@example.test", challenge)).isEmpty();
  }

  private APIGatewayProxyResponseEvent sendTo(String address) {
    return send.handleRequest(fromNetwork(json("POST", "/send-otp", "{\"email\":\"" + address + "\"}")), null);
  }

  private APIGatewayProxyResponseEvent verifyCode(String address, String code, String challenge) {
    return verify.handleRequest(fromNetwork(json("POST", "/verify-otp",
        "{\"email\":\"" + address + "\",\"code\":\"" + code + "\",\"challenge\":\"" + challenge + "\"}")), null);
  }

  private APIGatewayProxyRequestEvent fromNetwork(APIGatewayProxyRequestEvent request) {
    return ApiRequests.fromIp(request, network);
  }

  private static String challengeOf(APIGatewayProxyResponseEvent sent) {
    assertThat(sent.getStatusCode()).as(sent.getBody()).isEqualTo(202);
    String challenge = body(sent).path("challenge").asText();
    assertThat(challenge).matches("[A-Za-z0-9_-]{22}");
    return challenge;
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

  private Optional<Map<String, AttributeValue>> storedItem(String address, String challenge) {
    String table = aws.resources().tableName("OtpTable");
    String slot = passwords.codeSlot(passwords.emailHash(address), challenge);
    Map<String, AttributeValue> item = aws.admin().dynamoDb().getItem(get -> get.tableName(table)
        .key(Map.of("codeSlot", AttributeValue.fromS(slot))).consistentRead(true)).item();
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
