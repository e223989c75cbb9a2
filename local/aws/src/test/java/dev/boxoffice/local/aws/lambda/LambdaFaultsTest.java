package dev.boxoffice.local.aws.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.boxoffice.local.aws.cloudformation.FunctionDefinition;
import dev.boxoffice.local.aws.testhandlers.RecordingHandler;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@DisplayName("Faults injected into the local Lambda runtime, as AWS FIS's aws:lambda:invocation-error")
class LambdaFaultsTest {

  private LambdaRunner runner;

  @AfterEach
  void closeRunner() {
    if (runner != null) {
      runner.close();
    }
    RecordingHandler.RAN.clear();
  }

  @Test
  @DisplayName("half of a function's first attempts run and are reported failed; their retries, with the same payload,"
      + " succeed; other functions are untouched")
  void halfOfFirstAttemptsFail(Vertx vertx) throws Exception {
    FunctionDefinition printer = new FunctionDefinition("PrinterFunction", "stack-printer-1A2B",
        RecordingHandler.class.getName() + "::handleRequest", 5, 128, Map.of(), null, null);
    FunctionDefinition other = new FunctionDefinition("OtherFunction", "stack-other-3C4D",
        RecordingHandler.class.getName() + "::handleRequest", 5, 128, Map.of(), null, null);
    runner = new LambdaRunner(vertx, Map.of(printer.functionName(), printer, other.functionName(), other),
        function -> Map.of(), getClass().getClassLoader(), LambdaQuotas.aws());
    runner.injectFaults(LambdaFaults.parse("PrinterFunction=50"));

    List<Integer> failed = new ArrayList<>();
    for (int piece = 0; piece < 10; piece++) {
      Future<String> attempt = runner.invoke(printer.functionName(), "{\"piece\": " + piece + "}");
      attempt.otherwiseEmpty().await(10, TimeUnit.SECONDS);
      if (attempt.failed()) {
        assertThat(attempt.cause()).isInstanceOfSatisfying(LambdaFunctionError.class,
            error -> assertThat(error.errorType()).isEqualTo(LambdaFaults.ERROR_TYPE));
        failed.add(piece);
      }
    }
    assertThat(failed).hasSize(5);
    assertThat(RecordingHandler.RAN).as("every first attempt ran, the failed ones too").hasSize(10);
    for (int piece : failed) {
      assertThat(runner.invoke(printer.functionName(), "{\"piece\": " + piece + "}").await(10, TimeUnit.SECONDS))
          .as("the retry of piece %d", piece).contains("\"done\"");
    }
    for (int piece = 0; piece < 4; piece++) {
      assertThat(runner.invoke(other.functionName(), "{\"piece\": " + piece + "}").await(10, TimeUnit.SECONDS))
          .contains("\"done\"");
    }
    assertThat(runner.faults().injected(printer.functionName())).isEqualTo(5);
    assertThat(runner.faults().injected(other.functionName())).isZero();
  }

  @Test
  @DisplayName("a malformed experiment is refused when the stack starts, naming the entry")
  void malformedRefused() {
    assertThatThrownBy(() -> LambdaFaults.parse("PrinterFunction=150"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PrinterFunction=150");
    assertThatThrownBy(() -> LambdaFaults.parse("PrinterFunction"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Function=percent");
    assertThat(LambdaFaults.parse(" ").isEmpty()).isTrue();
  }
}
