package dev.boxoffice.backend.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatedRequest;
import io.vertx.openapi.validation.impl.RequestParameterImpl;
import io.vertx.openapi.validation.impl.ValidatableRequestImpl;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PrecompiledRequestValidatorTest {

  private static final String TICKET_TYPE = "4f1c8f0e-3b9a-4c57-9d1e-2a6b7c8d9e0f";

  private static Vertx vertx;
  private static PrecompiledRequestValidator validator;

  @BeforeAll
  static void loadContract() throws Exception {
    vertx = Vertx.vertx();
    OpenAPIContract contract = OpenAPIContract.from(vertx, ApiRouter.CONTRACT).await(30, TimeUnit.SECONDS);
    validator = new PrecompiledRequestValidator(vertx, contract);
  }

  @AfterAll
  static void close() throws Exception {
    vertx.close().await(30, TimeUnit.SECONDS);
  }

  @Test
  @DisplayName("a valid purchase is validated before validate returns, with its header, path and body read")
  void validatesOnTheCallingThread() {
    Future<ValidatedRequest> validated = validator.validate(purchase("key-1", "{\"quantity\":2}"), "purchaseTickets");

    assertThat(validated.isComplete()).isTrue();
    assertThat(validated.succeeded()).as("%s", validated.cause()).isTrue();
    assertThat(validated.result().getHeaders().get("Idempotency-Key").getString()).isEqualTo("key-1");
    assertThat(validated.result().getPathParameters().get("ticketTypeId").getString()).isEqualTo(TICKET_TYPE);
    assertThat(validated.result().getBody().getJsonObject().getInteger("quantity")).isEqualTo(2);
  }

  @Test
  @DisplayName("the precompiled validators enforce the contract: a bad body and a bad header are refused")
  void refusesWhatTheContractRefuses() {
    Future<ValidatedRequest> tooMany = validator.validate(purchase("key-1", "{\"quantity\":51}"), "purchaseTickets");
    Future<ValidatedRequest> badKey = validator.validate(purchase("a key", "{\"quantity\":1}"), "purchaseTickets");

    assertThat(tooMany.failed()).isTrue();
    assertThat(tooMany.cause()).isInstanceOf(SchemaValidationException.class);
    assertThat(ValidationFailures.toErrorBody((SchemaValidationException) tooMany.cause()).field())
        .isEqualTo("quantity");
    assertThat(badKey.failed()).isTrue();
    assertThat(badKey.cause().getMessage()).contains("Idempotency-Key");
  }

  @Test
  @DisplayName("a string parameter is its text: a key that looks like JSON stays the key it was sent as")
  void stringParametersAreNotParsedAsJson() {
    for (String key : new String[] {"\"quoted\"", "12.5", "true", "{\"a\":1}"}) {
      Future<ValidatedRequest> validated = validator.validate(purchase(key, "{\"quantity\":1}"), "purchaseTickets");

      assertThat(validated.succeeded()).as("%s: %s", key, validated.cause()).isTrue();
      assertThat(validated.result().getHeaders().get("Idempotency-Key").getString()).isEqualTo(key);
    }
  }

  private static ValidatableRequestImpl purchase(String idempotencyKey, String body) {
    Map<String, RequestParameter> headers = Map.of("Idempotency-Key", new RequestParameterImpl(idempotencyKey));
    Map<String, RequestParameter> path = Map.of("ticketTypeId", new RequestParameterImpl(TICKET_TYPE));
    return new ValidatableRequestImpl(Map.of(), headers, path, Map.of(),
        new RequestParameterImpl(Buffer.buffer(body)), "application/json");
  }
}
