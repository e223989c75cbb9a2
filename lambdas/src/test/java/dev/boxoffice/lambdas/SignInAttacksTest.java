package dev.boxoffice.lambdas;

import static dev.boxoffice.lambdas.GatewayClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.boxoffice.local.cloud.LocalCloud;
import dev.boxoffice.local.cloud.LocalCloudExtension;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The attacks of issue #17 on sign-in, made over HTTP through the local API Gateway router (which hands the Lambdas
 * the connection's address as {@code sourceIp}) from clients on addresses of their own, against the real send-otp and
 * verify-otp functions, DynamoDB, SNS, SQS, the mailer and SES.
 */
@ExtendWith(LocalCloudExtension.class)
@DisplayName("Sign-in under attack")
class SignInAttacksTest {

  private static final Pattern CODE = Pattern.compile("sign-in code is ([0-9]{6})");
  private static final String SIGN_IN_SUBJECT = "Your Boxoffice sign-in code";

  private final LocalCloud aws;
  private final URI gateway;

  SignInAttacksTest(LocalCloud aws) {
    this.aws = aws;
    this.gateway = aws.apiGatewayEndpoint();
  }

  @Test
  @DisplayName("codes and guesses spread over many addresses from one network stop at the network's budgets, "
      + "whatever X-Forwarded-For says")
  void sprayFromOneNetworkIsStopped() throws Exception {
    GatewayClient attacker = GatewayClient.fromNewAddress(gateway);
    int codes = SignInLimits.CODES_PER_NETWORK.allowance();
    int attempts = SignInLimits.ATTEMPTS_PER_NETWORK.allowance();

    List<String> challenges = new ArrayList<>();
    List<HttpResponse<String>> refusedSends = new ArrayList<>();
    for (int index = 0; index < codes + 5; index++) {
      HttpResponse<String> sent = attacker.post("/send-otp", Map.of("email", unique("target")), spoofed());
      if (sent.statusCode() == 202) {
        challenges.add(json(sent).path("challenge").asText());
      } else {
        refusedSends.add(sent);
      }
    }
    assertThat(challenges).hasSize(codes);
    assertThat(refusedSends).hasSize(5).allSatisfy(refused -> assertRefused(refused, "too_many_requests"));

    List<Integer> guesses = new ArrayList<>();
    for (int index = 0; index < attempts + 5; index++) {
      HttpResponse<String> guessed = attacker.post("/verify-otp", Map.of("email", unique("target"), "code", "000000",
          "challenge", challenges.get(index % challenges.size())), spoofed());
      guesses.add(guessed.statusCode());
      if (guessed.statusCode() == 429) {
        assertRefused(guessed, "too_many_attempts");
      }
    }
    assertThat(guesses.subList(0, attempts)).containsOnly(401);
    assertThat(guesses.subList(attempts, attempts + 5)).containsOnly(429);

    GatewayClient bystander = GatewayClient.fromNewAddress(gateway);
    assertThat(bystander.post("/send-otp", Map.of("email", unique("bystander"))).statusCode())
        .as("another network is not affected").isEqualTo(202);
  }

  @Test
  @DisplayName("a victim signs in from their own network while attackers on three others hammer their address with "
      + "code requests and guesses")
  void victimSignsInDuringAttack() throws Exception {
    String victim = unique("victim");
    Set<String> mailsSeen = new HashSet<>();
    for (int network = 0; network < 3; network++) {
      GatewayClient attacker = GatewayClient.fromNewAddress(gateway);
      List<String> challenges = new ArrayList<>();
      for (int request = 0; request < 10; request++) {
        HttpResponse<String> sent = attacker.post("/send-otp", Map.of("email", victim), spoofed());
        if (sent.statusCode() == 202) {
          challenges.add(json(sent).path("challenge").asText());
        } else {
          assertRefused(sent, "too_many_codes");
        }
      }
      assertThat(challenges).hasSize(SignInLimits.CODES_PER_ADDRESS_AND_NETWORK.allowance());
      for (int guess = 0; guess < 40; guess++) {
        String challenge = guess < challenges.size() * OtpTable.MAX_ATTEMPTS
            ? challenges.get(guess % challenges.size()) : "A".repeat(22);
        int status = attacker.post("/verify-otp", Map.of("email", victim,
            "code", String.format("%06d", guess), "challenge", challenge), spoofed()).statusCode();
        assertThat(status).isIn(401, 429);
      }
    }
    awaitSignInMails(victim, 3 * SignInLimits.CODES_PER_ADDRESS_AND_NETWORK.allowance())
        .forEach(mail -> mailsSeen.add(mail.path("id").asText()));

    GatewayClient owner = GatewayClient.fromNewAddress(gateway);
    HttpResponse<String> sent = owner.post("/send-otp", Map.of("email", victim));
    assertThat(sent.statusCode()).as(sent.body()).isEqualTo(202);
    String challenge = json(sent).path("challenge").asText();
    JsonNode ownMail = awaitSignInMails(victim, mailsSeen.size() + 1).stream()
        .filter(mail -> !mailsSeen.contains(mail.path("id").asText())).findFirst().orElseThrow();
    HttpResponse<String> signedIn = owner.post("/verify-otp",
        Map.of("email", victim, "code", codeIn(ownMail), "challenge", challenge));

    assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(200);
    assertThat(json(signedIn).path("token").asText()).isNotBlank();
  }

  private List<JsonNode> awaitSignInMails(String address, int count) throws InterruptedException {
    long deadline = System.nanoTime() + 60_000_000_000L;
    List<JsonNode> mails = List.of();
    while (System.nanoTime() < deadline) {
      mails = aws.inbox().mailsTo(address).stream()
          .filter(mail -> SIGN_IN_SUBJECT.equals(mail.path("subject").asText())).toList();
      if (mails.size() >= count) {
        return mails;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("expected " + count + " sign-in mails to " + address + ", got " + mails.size());
  }

  private static String codeIn(JsonNode mail) {
    Matcher matcher = CODE.matcher(mail.path("text").asText());
    assertThat(matcher.find()).as("a code in %s", mail).isTrue();
    return matcher.group(1);
  }

  /** A 429 of the house shape that says when to come back. */
  private static void assertRefused(HttpResponse<String> response, String code) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(429);
    assertThat(json(response).path("code").asText()).isEqualTo(code);
    assertThat(response.headers().firstValueAsLong("Retry-After").orElse(0)).isPositive();
  }

  /** A header an attacker may set to any address; the limits must not read it. */
  private static Map<String, String> spoofed() {
    return Map.of("X-Forwarded-For", "203.0.113." + (1 + (int) (Math.random() * 254)));
  }

  private static String unique(String name) {
    return name + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
  }
}
