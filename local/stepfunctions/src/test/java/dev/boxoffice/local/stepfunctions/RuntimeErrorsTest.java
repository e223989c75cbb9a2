package dev.boxoffice.local.stepfunctions;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad data at run time fails the execution with the States.* error AWS uses, never with a crash. */
@ExtendWith(VertxExtension.class)
class RuntimeErrorsTest {

  private static final AtomicInteger NAMES = new AtomicInteger();
  private static final String BLOB = "x".repeat(150 * 1024);

  static Stream<Arguments> failures() {
    return Stream.of(
        Arguments.of("SecondsPath pointing at text",
            "{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Wait\",\"SecondsPath\":\"$.s\",\"End\":true}}}",
            "{\"s\":\"ten\"}", "States.Runtime", "cannot be parsed as a long value: $.s == ten"),
        Arguments.of("a Choice variable that is missing",
            "{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Choice\",\"Choices\":[{\"Variable\":\"$.gone\","
                + "\"StringEquals\":\"x\",\"Next\":\"B\"}],\"Default\":\"B\"},\"B\":{\"Type\":\"Succeed\"}}}",
            "{}", "States.Runtime", "condition path references an invalid value"),
        Arguments.of("no Choice matching and no Default",
            "{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Choice\",\"Choices\":[{\"Variable\":\"$.n\","
                + "\"NumericEquals\":1,\"Next\":\"B\"}]},\"B\":{\"Type\":\"Succeed\"}}}",
            "{\"n\":2}", "States.NoChoiceMatched", "No Matches!"),
        Arguments.of("a ResultPath into an array input",
            "{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\",\"Result\":1,\"ResultPath\":\"$.x\","
                + "\"End\":true}}}", "[1,2]", "States.ResultPathMatchFailure", "Unable to apply ResultPath"),
        Arguments.of("an intrinsic range over 1000 items",
            "{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\",\"Parameters\":{\"r.$\":"
                + "\"States.ArrayRange(0, 5000, 1)\"},\"End\":true}}}", "{}", "States.IntrinsicFailure",
            "more than 1000 items"),
        Arguments.of("a JSONata Output that yields nothing",
            "{\"QueryLanguage\":\"JSONata\",\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\","
                + "\"Output\":\"{% $states.input.gone %}\",\"End\":true}}}", "{}", "States.QueryEvaluationError",
            "returned nothing"),
        Arguments.of("a JSONata Condition that is not a boolean",
            "{\"QueryLanguage\":\"JSONata\",\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Choice\",\"Choices\":"
                + "[{\"Condition\":\"{% 'yes' %}\",\"Next\":\"B\"}]},\"B\":{\"Type\":\"Succeed\"}}}", "{}",
            "States.QueryEvaluationError", "must evaluate to a boolean"),
        Arguments.of("Map items that are not an array",
            "{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Map\",\"ItemsPath\":\"$.items\",\"ItemProcessor\":"
                + "{\"StartAt\":\"B\",\"States\":{\"B\":{\"Type\":\"Succeed\"}}},\"End\":true}}}",
            "{\"items\":5}", "States.Runtime", "must be an array"),
        Arguments.of("an array index past the end",
            "{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\",\"Parameters\":{\"v.$\":\"$.a[5]\"},"
                + "\"End\":true}}}", "{\"a\":[1]}", "States.Runtime", "The JSONPath '$.a[5]' specified for the "
                + "field 'v.$' could not be found"),
        Arguments.of("an undefined variable",
            "{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\",\"Parameters\":{\"v.$\":\"$nothing\"},"
                + "\"End\":true}}}", "{}", "States.Runtime", "The variable '$nothing' is not defined"),
        Arguments.of("a state output over 256 KiB",
            "{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\",\"Parameters\":{\"a.$\":\"$.blob\","
                + "\"b.$\":\"$.blob\"},\"End\":true}}}", "{\"blob\":\"" + BLOB + "\"}",
            "States.DataLimitExceeded", "exceeding the maximum number of bytes"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("failures")
  @DisplayName("bad data at run time fails the execution with AWS's States.* error and a readable cause")
  void failsWithTheAwsError(String description, String definition, String input, String error, String cause,
      Vertx vertx, VertxTestContext test) {
    StepFunctionsEngine engine = new StepFunctionsEngine(vertx, StepFunctionsConfig.local(), LambdaInvoker.none());
    StateMachine machine = engine.createStateMachine("errors-" + NAMES.incrementAndGet(), definition, null);
    engine.startExecution(machine.arn(), null, input).completion()
        .onComplete(test.succeeding(execution -> test.verify(() -> {
          assertThat(execution.status()).as(description).isEqualTo(ExecutionStatus.FAILED);
          assertThat(execution.error()).as(description).isEqualTo(error);
          assertThat(execution.cause()).as(description).contains(cause);
          assertThat(execution.history()).last().extracting(HistoryEvent::type).isEqualTo("ExecutionFailed");
          test.completeNow();
        })));
  }
}
