package dev.boxoffice.lambdas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalAwsExtension.class)
@DisplayName("check-subscription (invoked by the subscription state machine)")
class CheckSubscriptionHandlerTest {

  private final LocalAws aws;
  private final CheckSubscriptionHandler handler;

  CheckSubscriptionHandlerTest(LocalAws aws) {
    this.aws = aws;
    this.handler = new CheckSubscriptionHandler(aws.environment());
  }

  @Test
  @DisplayName("an address reads none before subscribing, pending until it confirms, then confirmed with its ARN")
  void lifecycle() throws Exception {
    String address = "lifecycle-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";

    assertThat(handler.handleRequest(Map.of("email", address), null)).isEqualTo(Map.of("status", "none"));

    aws.pendingSubscriber(address, OtpHandlersTest.policyFor(address));
    assertThat(handler.handleRequest(Map.of("email", address), null)).isEqualTo(Map.of("status", "pending"));

    String arn = aws.confirmedSubscriber(address, OtpHandlersTest.policyFor(address));
    assertThat(handler.handleRequest(Map.of("email", address.toUpperCase()), null))
        .isEqualTo(Map.of("status", "confirmed", "subscriptionArn", arn));
  }

  @Test
  @DisplayName("input that can never succeed fails with InvalidInputException, the error type a Catch can match")
  void invalidInput() {
    Map<String, Object> nullEmail = new HashMap<>();
    nullEmail.put("email", null);
    for (Map<String, Object> input : new Map[] {Map.of(), Map.of("email", "not-an-address"), Map.of("email", 42),
        Map.of("email", "a@b.test", "extra", true), nullEmail}) {
      assertThatThrownBy(() -> handler.handleRequest(input, null)).isInstanceOf(InvalidInputException.class);
    }
    assertThatThrownBy(() -> handler.handleRequest(null, null)).isInstanceOf(InvalidInputException.class);
  }
}
