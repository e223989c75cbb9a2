package dev.boxoffice.lambdas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.boxoffice.local.cloud.LocalCloud;
import dev.boxoffice.local.cloud.LocalCloudExtension;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
@ExtendWith(LocalCloudExtension.class)
@DisplayName("check-subscription (invoked by the subscription state machine)")
class CheckSubscriptionHandlerTest {

  private final LocalCloud aws;
  private final CheckSubscriptionHandler handler;

  CheckSubscriptionHandlerTest(LocalCloud aws) {
    this.aws = aws;
    this.handler = new CheckSubscriptionHandler(aws.functionEnvironment("CheckSubscriptionFunction"));
  }

  @Test
  @DisplayName("an address reads none before subscribing, pending until it confirms, then confirmed with its ARN")
  void lifecycle() throws Exception {
    String address = "lifecycle-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";

    assertThat(handler.handleRequest(Map.of("email", address), null)).isEqualTo(Map.of("status", "none"));

    EmailSubscribers.pending(aws, address, OtpHandlersTest.policyFor(address));
    assertThat(handler.handleRequest(Map.of("email", address), null)).isEqualTo(Map.of("status", "pending"));

    String arn = EmailSubscribers.confirmed(aws, address, OtpHandlersTest.policyFor(address));
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
