package dev.boxoffice.local.stepfunctions;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Measures 1,000 executions of a 10-state Pass/Choice machine started side by side and prints the time; it checks
 * that all of them succeed, never how fast.
 */
@ExtendWith(VertxExtension.class)
class ConcurrentExecutionsBenchmarkTest {

  private static final int EXECUTIONS = 1_000;
  private static final String TEN_STATES = """
      {"StartAt":"Start","States":{
        "Start":{"Type":"Pass","Parameters":{"n.$":"$.n","path":[]},"Next":"IsSmall"},
        "IsSmall":{"Type":"Choice","Choices":[{"Variable":"$.n","NumericLessThan":500,"Next":"Small"}],
          "Default":"Large"},
        "Small":{"Type":"Pass","Parameters":{"n.$":"States.MathAdd($.n, 1)","size":"small"},"Next":"IsEven"},
        "Large":{"Type":"Pass","Parameters":{"n.$":"States.MathAdd($.n, -1)","size":"large"},"Next":"IsEven"},
        "IsEven":{"Type":"Choice","Choices":[
          {"Variable":"$.size","StringEquals":"small","Next":"Tag"},
          {"And":[{"Variable":"$.n","IsNumeric":true},{"Variable":"$.n","NumericGreaterThanEquals":0}],
            "Next":"Tag"}],"Default":"Broken"},
        "Tag":{"Type":"Pass","Result":"tagged","ResultPath":"$.tag","Next":"Format"},
        "Format":{"Type":"Pass","Parameters":{"summary.$":"States.Format('{} {}', $.size, $.n)","n.$":"$.n"},
          "Next":"Final"},
        "Final":{"Type":"Choice","Choices":[{"Variable":"$.summary","IsPresent":true,"Next":"Done"}],
          "Default":"Broken"},
        "Broken":{"Type":"Fail","Error":"Unexpected"},
        "Done":{"Type":"Succeed"}}}""";

  @Test
  @DisplayName("1,000 executions of a 10-state Pass/Choice machine run side by side and all succeed")
  void thousandConcurrentExecutions(Vertx vertx, VertxTestContext test) {
    StepFunctionsEngine engine = new StepFunctionsEngine(vertx, StepFunctionsConfig.local(),
        LambdaInvoker.none());
    StateMachine machine = engine.createStateMachine("benchmark", TEN_STATES, null);
    List<Double> rounds = new ArrayList<>();
    runAll(engine, machine, "warm-up")
        .compose(warmUp -> measure(engine, machine, "round-1", rounds))
        .compose(first -> measure(engine, machine, "round-2", rounds))
        .compose(second -> measure(engine, machine, "round-3", rounds))
        .onComplete(test.succeeding(executions -> test.verify(() -> {
          List<Double> sorted = rounds.stream().sorted().toList();
          System.out.printf("benchmark: %d concurrent executions of a 10-state Pass/Choice machine: median %.0f ms,"
              + " best %.0f ms, rounds %s%n", EXECUTIONS, sorted.get(1), sorted.get(0),
              rounds.stream().map(millis -> String.format("%.0f ms", millis)).toList());
          assertThat(executions).hasSize(EXECUTIONS)
              .allSatisfy(execution -> assertThat(execution.status()).isEqualTo(ExecutionStatus.SUCCEEDED));
          assertThat(executions.get(0).history()).hasSize(1 + 2 * 8 + 1);
          engine.close();
          test.completeNow();
        })));
  }

  private static Future<List<Execution>> measure(StepFunctionsEngine engine, StateMachine machine, String prefix,
      List<Double> rounds) {
    long started = System.nanoTime();
    return runAll(engine, machine, prefix).onSuccess(executions ->
        rounds.add((System.nanoTime() - started) / 1_000_000.0));
  }

  private static Future<List<Execution>> runAll(StepFunctionsEngine engine, StateMachine machine, String prefix) {
    List<Future<Execution>> completions = new ArrayList<>();
    for (int i = 0; i < EXECUTIONS; i++) {
      Execution execution = engine.startExecution(machine.arn(), prefix + "-" + i, "{\"n\":" + i + "}");
      completions.add(execution.completion());
    }
    return Future.all(completions).map(all -> all.list());
  }
}
