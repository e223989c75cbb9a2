package dev.boxoffice.local.stepfunctions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The in-process engine: Task, Retry, Catch, timeouts, Map, Parallel and JSONata, on a manual clock. */
@ExtendWith(VertxExtension.class)
class EngineTest {

  private static final String ROLE = "arn:aws:iam::000000000000:role/test";

  private final ManualScheduler clock = new ManualScheduler();
  private final List<String> invocations = new CopyOnWriteArrayList<>();
  private LambdaInvoker lambda;
  private StepFunctionsEngine engine;

  @BeforeEach
  void createEngine(Vertx vertx) {
    lambda = (function, payload) -> {
      invocations.add(function + " " + payload);
      return Future.succeededFuture("{\"doubled\":" + Json.parse(payload).path("n").asInt() * 2 + "}");
    };
    // semantics on a manual clock, which throttled transitions would wait on forever; StepFunctionsQuotasTest covers them
    engine = new StepFunctionsEngine(vertx, StepFunctionsConfig.local().withQuotas(StepFunctionsQuotas.none()),
        (function, payload) -> lambda.invoke(function, payload), clock);
  }

  private Future<Execution> execute(String definition, String input) {
    StateMachine machine = engine.createStateMachine("m" + System.nanoTime(), definition, ROLE);
    return engine.startExecution(machine.arn(), null, input).completion();
  }

  @Test
  @DisplayName("a lambda:invoke task sends Payload to the Lambda invoker and wraps the response in Payload")
  void lambdaInvoke(VertxTestContext test) {
    String definition = """
        {"StartAt":"Double","States":{"Double":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
          "Parameters":{"FunctionName":"doubler","Payload":{"n.$":"$.value"}},
          "ResultSelector":{"result.$":"$.Payload.doubled"},"ResultPath":"$.out","End":true}}}""";
    execute(definition, "{\"value\":21}").onComplete(test.succeeding(execution -> test.verify(() -> {
      assertThat(execution.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
      assertThat(Json.parse(execution.output())).isEqualTo(Json.parse("{\"value\":21,\"out\":{\"result\":42}}"));
      assertThat(invocations).containsExactly("doubler {\"n\":21}");
      test.completeNow();
    })));
  }

  @Test
  @DisplayName("a plain Lambda function ARN passes the state input and returns the function output as the result")
  void plainLambdaArn(VertxTestContext test) {
    String definition = """
        {"StartAt":"Double","States":{"Double":{"Type":"Task",
          "Resource":"arn:aws:lambda:us-east-1:000000000000:function:doubler","End":true}}}""";
    execute(definition, "{\"n\":5}").onComplete(test.succeeding(execution -> test.verify(() -> {
      assertThat(Json.parse(execution.output())).isEqualTo(Json.parse("{\"doubled\":10}"));
      assertThat(execution.history()).extracting(HistoryEvent::type).contains("LambdaFunctionScheduled",
          "LambdaFunctionSucceeded");
      test.completeNow();
    })));
  }

  @Test
  @DisplayName("Retry waits IntervalSeconds times BackoffRate, capped by MaxDelaySeconds, then Catch takes over")
  void retryThenCatch(VertxTestContext test) {
    AtomicInteger attempts = new AtomicInteger();
    lambda = (function, payload) -> {
      attempts.incrementAndGet();
      return Future.failedFuture(new StatesError("Boom", "attempt " + attempts.get()));
    };
    String definition = """
        {"StartAt":"Call","States":{
          "Call":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"f"},
            "Retry":[{"ErrorEquals":["Boom"],"IntervalSeconds":2,"BackoffRate":3,"MaxAttempts":3,
              "MaxDelaySeconds":10}],
            "Catch":[{"ErrorEquals":["States.ALL"],"ResultPath":"$.failure","Next":"Recovered"}],
            "Next":"Recovered"},
          "Recovered":{"Type":"Pass","End":true}}}""";
    List<Duration> delays = new ArrayList<>();
    Future<Execution> done = execute(definition, "{\"order\":7}");
    clock.nextDelay()
        .compose(delay -> advance(delays, delay))
        .compose(delay -> advance(delays, delay))
        .compose(delay -> advance(delays, delay))
        .compose(v -> done)
        .onComplete(test.succeeding(execution -> test.verify(() -> {
          assertThat(delays).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(6), Duration.ofSeconds(10));
          assertThat(attempts.get()).isEqualTo(4);
          assertThat(execution.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
          assertThat(Json.parse(execution.output())).isEqualTo(Json.parse(
              "{\"order\":7,\"failure\":{\"Error\":\"Boom\",\"Cause\":\"attempt 4\"}}"));
          test.completeNow();
        })));
  }

  private Future<Duration> advance(List<Duration> delays, Duration delay) {
    delays.add(delay);
    Future<Duration> next = delays.size() < 3 ? clock.nextDelay() : Future.succeededFuture();
    clock.advance(delay);
    return next;
  }

  @Test
  @DisplayName("a task that outlives TimeoutSeconds fails the execution with States.Timeout")
  void taskTimeout(VertxTestContext test) {
    lambda = (function, payload) -> Promise.<String>promise().future();
    String definition = """
        {"StartAt":"Slow","States":{"Slow":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
          "Parameters":{"FunctionName":"slow"},"TimeoutSeconds":30,"End":true}}}""";
    Future<Execution> done = execute(definition, "{}");
    clock.nextDelay().onSuccess(delay -> test.verify(() -> {
      assertThat(delay).isEqualTo(Duration.ofSeconds(30));
      clock.advance(delay);
    }));
    done.onComplete(test.succeeding(execution -> test.verify(() -> {
      assertThat(execution.status()).isEqualTo(ExecutionStatus.FAILED);
      assertThat(execution.error()).isEqualTo("States.Timeout");
      assertThat(execution.history()).extracting(HistoryEvent::type).contains("TaskTimedOut", "ExecutionFailed");
      test.completeNow();
    })));
  }

  @Test
  @DisplayName("a Wait state waits on the injected clock, not on a sleeping thread")
  void waitState(VertxTestContext test) {
    String definition = """
        {"StartAt":"Pause","States":{"Pause":{"Type":"Wait","Seconds":3600,"Next":"Done"},
          "Done":{"Type":"Succeed"}}}""";
    Future<Execution> done = execute(definition, "{\"a\":1}");
    clock.nextDelay().onSuccess(delay -> test.verify(() -> {
      assertThat(delay).isEqualTo(Duration.ofHours(1));
      clock.advance(delay);
    }));
    done.onComplete(test.succeeding(execution -> test.verify(() -> {
      assertThat(execution.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
      assertThat(execution.output()).isEqualTo("{\"a\":1}");
      test.completeNow();
    })));
  }

  @Test
  @DisplayName("a waitForTaskToken task hands $$.Task.Token to the function and resumes on SendTaskSuccess")
  void waitForTaskToken(VertxTestContext test) {
    lambda = (function, payload) -> {
      String token = Json.parse(payload).get("token").textValue();
      engine.sendTaskSuccess(token, "{\"approved\":true}");
      return Future.succeededFuture("{}");
    };
    String definition = """
        {"StartAt":"Approve","States":{"Approve":{"Type":"Task",
          "Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken",
          "Parameters":{"FunctionName":"approver","Payload":{"token.$":"$$.Task.Token"}},"End":true}}}""";
    execute(definition, "{}").onComplete(test.succeeding(execution -> test.verify(() -> {
      assertThat(execution.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
      assertThat(execution.output()).isEqualTo("{\"approved\":true}");
      test.completeNow();
    })));
  }

  @Test
  @DisplayName("a callback task without heartbeat within HeartbeatSeconds fails with States.HeartbeatTimeout")
  void heartbeatTimeout(VertxTestContext test) {
    String definition = """
        {"StartAt":"Approve","States":{"Approve":{"Type":"Task",
          "Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken","HeartbeatSeconds":60,
          "Parameters":{"FunctionName":"approver","Payload":{"token.$":"$$.Task.Token"}},"End":true}}}""";
    Future<Execution> done = execute(definition, "{}");
    clock.nextDelay().onSuccess(delay -> test.verify(() -> {
      assertThat(delay).isEqualTo(Duration.ofSeconds(60));
      clock.advance(delay);
    }));
    done.onComplete(test.succeeding(execution -> test.verify(() -> {
      assertThat(execution.error()).isEqualTo("States.HeartbeatTimeout");
      test.completeNow();
    })));
  }

  @Test
  @DisplayName("Map runs items with MaxConcurrency, ItemSelector and tolerated failures, keeping item order")
  void map(VertxTestContext test) {
    AtomicInteger running = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    lambda = (function, payload) -> {
      peak.accumulateAndGet(running.incrementAndGet(), Math::max);
      JsonNode item = Json.parse(payload);
      Promise<String> result = Promise.promise();
      Vertx.currentContext().runOnContext(v -> {
        running.decrementAndGet();
        if (item.path("value").asInt() == 3) {
          result.fail(new StatesError("BadItem", "three"));
        } else {
          result.complete("{\"v\":" + item.path("value").asInt() * 10 + ",\"i\":" + item.path("index").asInt()
              + "}");
        }
      });
      return result.future();
    };
    String definition = """
        {"StartAt":"Each","States":{"Each":{"Type":"Map","ItemsPath":"$.items","MaxConcurrency":2,
          "ToleratedFailureCount":1,
          "ItemSelector":{"value.$":"$$.Map.Item.Value","index.$":"$$.Map.Item.Index"},
          "ItemProcessor":{"ProcessorConfig":{"Mode":"INLINE"},"StartAt":"Work","States":{
            "Work":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:000000000000:function:work","End":true}}},
          "End":true}}}""";
    execute(definition, "{\"items\":[1,2,3,4]}").onComplete(test.succeeding(execution -> test.verify(() -> {
      assertThat(execution.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
      assertThat(Json.parse(execution.output())).isEqualTo(Json.parse(
          "[{\"v\":10,\"i\":0},{\"v\":20,\"i\":1},{\"Error\":\"BadItem\",\"Cause\":\"three\"},{\"v\":40,\"i\":3}]"));
      assertThat(peak.get()).isLessThanOrEqualTo(2);
      test.completeNow();
    })));
  }

  @Test
  @DisplayName("a Map iteration failure beyond the tolerated count fails with States.ExceedToleratedFailureThreshold")
  void mapBeyondTolerance(VertxTestContext test) {
    String definition = """
        {"StartAt":"Each","States":{"Each":{"Type":"Map","ToleratedFailureCount":1,
          "ItemProcessor":{"StartAt":"Check","States":{
            "Check":{"Type":"Choice","Choices":[{"Variable":"$","NumericGreaterThan":1,"Next":"Bad"}],
              "Default":"Good"},
            "Bad":{"Type":"Fail","Error":"TooBig"},"Good":{"Type":"Succeed"}}},"End":true}}}""";
    execute(definition, "[1,2,3]").onComplete(test.succeeding(execution -> test.verify(() -> {
      assertThat(execution.status()).isEqualTo(ExecutionStatus.FAILED);
      assertThat(execution.error()).isEqualTo("States.ExceedToleratedFailureThreshold");
      test.completeNow();
    })));
  }

  @Test
  @DisplayName("Parallel gives each branch the input and outputs the branch results in order")
  void parallel(VertxTestContext test) {
    String definition = """
        {"StartAt":"Both","States":{"Both":{"Type":"Parallel","End":true,"Branches":[
          {"StartAt":"A","States":{"A":{"Type":"Pass","Parameters":{"a.$":"$.x"},"End":true}}},
          {"StartAt":"B","States":{"B":{"Type":"Pass","Result":"b","End":true}}}]}}}""";
    execute(definition, "{\"x\":1}").onComplete(test.succeeding(execution -> test.verify(() -> {
      assertThat(Json.parse(execution.output())).isEqualTo(Json.parse("[{\"a\":1},\"b\"]"));
      assertThat(execution.history()).extracting(HistoryEvent::type).contains("ParallelStateStarted",
          "ParallelStateSucceeded", "ParallelStateExited");
      test.completeNow();
    })));
  }

  @Test
  @DisplayName("a failing branch fails the Parallel state at once, not after its siblings, and Catch handles it")
  void parallelFailure(VertxTestContext test) {
    String definition = """
        {"StartAt":"Both","States":{"Both":{"Type":"Parallel","Next":"Handled",
          "Catch":[{"ErrorEquals":["Custom"],"Next":"Handled"}],"Branches":[
          {"StartAt":"A","States":{"A":{"Type":"Fail","Error":"Custom","Cause":"branch A"}}},
          {"StartAt":"B","States":{"B":{"Type":"Wait","Seconds":86400,"End":true}}}]},
          "Handled":{"Type":"Pass","End":true}}}""";
    execute(definition, "{}").onComplete(test.succeeding(execution -> test.verify(() -> {
      assertThat(Json.parse(execution.output())).isEqualTo(Json.parse(
          "{\"Error\":\"Custom\",\"Cause\":\"branch A\"}"));
      test.completeNow();
    })));
  }

  @Test
  @DisplayName("JSONata states evaluate Arguments, Output and Assign, and later states read the variables")
  void jsonataVariables(VertxTestContext test) {
    String definition = """
        {"QueryLanguage":"JSONata","StartAt":"Call","States":{
          "Call":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
            "Arguments":{"FunctionName":"doubler","Payload":{"n":"{% $states.input.n + 1 %}"}},
            "Assign":{"doubled":"{% $states.result.Payload.doubled %}"},"Output":"{% $states.input %}",
            "Next":"Use"},
          "Use":{"Type":"Pass","Output":{"total":"{% $doubled + $states.input.n %}",
            "parts":"{% $partition([1,2,3], 2) %}"},"End":true}}}""";
    execute(definition, "{\"n\":4}").onComplete(test.succeeding(execution -> test.verify(() -> {
      assertThat(execution.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
      assertThat(Json.parse(execution.output())).isEqualTo(Json.parse(
          "{\"total\":14,\"parts\":[[1,2],[3]]}"));
      test.completeNow();
    })));
  }

  @Test
  @DisplayName("an unsupported Task resource fails the execution with a clear States.Runtime error")
  void unsupportedResource(VertxTestContext test) {
    String definition = """
        {"StartAt":"S3","States":{"S3":{"Type":"Task","Resource":"arn:aws:states:::s3:putObject","End":true}}}""";
    execute(definition, "{}").onComplete(test.succeeding(execution -> test.verify(() -> {
      assertThat(execution.error()).isEqualTo("States.Runtime");
      assertThat(execution.cause()).contains("Unsupported Task resource: arn:aws:states:::s3:putObject");
      test.completeNow();
    })));
  }

  @Test
  @DisplayName("a function error without Retry or Catch fails the execution with the function's error type")
  void functionError(VertxTestContext test) {
    lambda = (function, payload) -> Future.failedFuture(LambdaInvoker.functionError("SoldOut", "no seats"));
    String definition = """
        {"StartAt":"Call","States":{"Call":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
          "Parameters":{"FunctionName":"f"},"End":true}}}""";
    execute(definition, "{}").onComplete(test.succeeding(execution -> test.verify(() -> {
      assertThat(execution.status()).isEqualTo(ExecutionStatus.FAILED);
      assertThat(execution.error()).isEqualTo("SoldOut");
      assertThat(Json.parse(execution.cause())).isEqualTo(Json.parse(
          "{\"errorMessage\":\"no seats\",\"errorType\":\"SoldOut\",\"stackTrace\":[]}"));
      assertThat(execution.history()).extracting(HistoryEvent::type).containsSubsequence("ExecutionStarted",
          "TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskFailed", "ExecutionFailed");
      test.completeNow();
    })));
  }
  @Test
  @DisplayName("an execution running past the machine's TimeoutSeconds ends TIMED_OUT")
  void executionTimeout(VertxTestContext test) {
    String definition = """
        {"TimeoutSeconds":5,"StartAt":"Pause","States":{"Pause":{"Type":"Wait","Seconds":60,"End":true}}}""";
    Future<Execution> done = execute(definition, "{}");
    clock.nextDelay().compose(first -> clock.nextDelay().map(second -> List.of(first, second)))
        .onSuccess(delays -> test.verify(() -> {
          assertThat(delays).containsExactly(Duration.ofSeconds(5), Duration.ofSeconds(60));
          clock.advance(Duration.ofSeconds(5));
        }));
    done.onComplete(test.succeeding(execution -> test.verify(() -> {
      assertThat(execution.status()).isEqualTo(ExecutionStatus.TIMED_OUT);
      assertThat(execution.history()).last().extracting(HistoryEvent::type).isEqualTo("ExecutionTimedOut");
      test.completeNow();
    })));
  }

  @Test
  @DisplayName("stopping an execution drops its task tokens, so a late SendTaskSuccess finds no task")
  void stopDropsTaskTokens(VertxTestContext test) {
    Promise<String> tokenSeen = Promise.promise();
    lambda = (function, payload) -> {
      tokenSeen.tryComplete(Json.parse(payload).get("token").textValue());
      return Future.succeededFuture("{}");
    };
    String definition = """
        {"StartAt":"Approve","States":{"Approve":{"Type":"Task",
          "Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken",
          "Parameters":{"FunctionName":"approver","Payload":{"token.$":"$$.Task.Token"}},"End":true}}}""";
    StateMachine machine = engine.createStateMachine("stoppable", definition, ROLE);
    Execution execution = engine.startExecution(machine.arn(), "to-stop", "{}");
    tokenSeen.future().onComplete(test.succeeding(token -> test.verify(() -> {
      engine.stopExecution(execution.arn(), "Stopped", "by the test");
      assertThat(execution.status()).isEqualTo(ExecutionStatus.ABORTED);
      assertThatThrownBy(() -> engine.sendTaskSuccess(token, "{}"))
          .isInstanceOf(StepFunctionsException.class)
          .extracting(e -> ((StepFunctionsException) e).code()).isEqualTo("TaskDoesNotExist");
      test.completeNow();
    })));
  }

  @Test
  @DisplayName("JSONata Choice conditions route the execution and a Catch Output shapes the error")
  void jsonataChoiceAndCatch(VertxTestContext test) {
    String definition = """
        {"QueryLanguage":"JSONata","StartAt":"Route","States":{
          "Route":{"Type":"Choice","Choices":[
            {"Condition":"{% $states.input.seats > 4 %}","Next":"Group"}],"Default":"Single"},
          "Group":{"Type":"Fail","Error":"TooMany","Cause":"{% 'asked for ' & $string($states.input.seats) %}"},
          "Single":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
            "Arguments":{"FunctionName":"f"},
            "Catch":[{"ErrorEquals":["States.ALL"],"Output":"{% {'reason': $states.errorOutput.Error} %}",
              "Next":"Handled"}],"End":true},
          "Handled":{"Type":"Succeed"}}}""";
    lambda = (function, payload) -> Future.failedFuture(new StatesError("Busy", "try later"));
    execute(definition, "{\"seats\":2}")
        .compose(single -> execute(definition, "{\"seats\":9}").map(group -> List.of(single, group)))
        .onComplete(test.succeeding(runs -> test.verify(() -> {
          assertThat(runs.get(0).output()).isEqualTo("{\"reason\":\"Busy\"}");
          assertThat(runs.get(1).error()).isEqualTo("TooMany");
          assertThat(runs.get(1).cause()).isEqualTo("asked for 9");
          test.completeNow();
        })));
  }

  @Test
  @DisplayName("an intrinsic function failure is a States.IntrinsicFailure that Catch handles")
  void intrinsicFailureIsCatchable(VertxTestContext test) {
    String definition = """
        {"StartAt":"Pick","States":{
          "Pick":{"Type":"Parallel","Branches":[{"StartAt":"Get","States":{"Get":{"Type":"Pass",
            "Parameters":{"item.$":"States.ArrayGetItem($.list, 5)"},"End":true}}}],
            "Catch":[{"ErrorEquals":["States.IntrinsicFailure"],"ResultPath":"$.error","Next":"Done"}],"End":true},
          "Done":{"Type":"Pass","OutputPath":"$.error.Error","End":true}}}""";
    execute(definition, "{\"list\":[1,2]}").onComplete(test.succeeding(execution -> test.verify(() -> {
      assertThat(execution.output()).isEqualTo("\"States.IntrinsicFailure\"");
      test.completeNow();
    })));
  }
  @Test
  @DisplayName("a JSONata Map takes Items and ItemSelector from expressions and waits Seconds from an expression")
  void jsonataMapAndWait(VertxTestContext test) {
    String definition = """
        {"QueryLanguage":"JSONata","StartAt":"Each","States":{
          "Each":{"Type":"Map","Items":"{% $states.input.seats %}",
            "ItemSelector":{"seat":"{% $states.context.Map.Item.Value %}",
              "position":"{% $states.context.Map.Item.Index %}"},
            "ItemProcessor":{"StartAt":"Label","States":{"Label":{"Type":"Pass",
              "Output":"{% $states.input.seat & '#' & $string($states.input.position) %}","End":true}}},
            "Next":"Hold"},
          "Hold":{"Type":"Wait","Seconds":"{% $count($states.input) * 10 %}","End":true}}}""";
    Future<Execution> done = execute(definition, "{\"seats\":[\"A1\",\"B2\"]}");
    clock.nextDelay().onSuccess(delay -> test.verify(() -> {
      assertThat(delay).isEqualTo(Duration.ofSeconds(20));
      clock.advance(delay);
    }));
    done.onComplete(test.succeeding(execution -> test.verify(() -> {
      assertThat(execution.output()).isEqualTo("[\"A1#0\",\"B2#1\"]");
      test.completeNow();
    })));
  }
  @Test
  @DisplayName("Map reads MaxConcurrencyPath and ToleratedFailureCountPath from the state input")
  void mapSettingsFromPaths(VertxTestContext test) {
    String definition = """
        {"StartAt":"Each","States":{"Each":{"Type":"Map","ItemsPath":"$.items","MaxConcurrencyPath":"$.limit",
          "ToleratedFailureCountPath":"$.tolerate",
          "ItemProcessor":{"StartAt":"Check","States":{
            "Check":{"Type":"Choice","Choices":[{"Variable":"$","NumericGreaterThan":1,"Next":"Bad"}],
              "Default":"Good"},
            "Bad":{"Type":"Fail","Error":"TooBig","Cause":"over one"},"Good":{"Type":"Succeed"}}},"End":true}}}""";
    execute(definition, "{\"items\":[1,2,3],\"limit\":1,\"tolerate\":2}")
        .onComplete(test.succeeding(execution -> test.verify(() -> {
          assertThat(execution.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
          assertThat(Json.parse(execution.output())).isEqualTo(Json.parse("[1,"
              + "{\"Error\":\"TooBig\",\"Cause\":\"over one\"},{\"Error\":\"TooBig\",\"Cause\":\"over one\"}]"));
          test.completeNow();
        })));
  }
  @Test
  @DisplayName("an endless loop fails once its history reaches AWS's 25,000 events")
  void historyLimit(VertxTestContext test) {
    String definition = """
        {"StartAt":"Again","States":{"Again":{"Type":"Pass","Next":"Check"},
          "Check":{"Type":"Choice","Choices":[{"Variable":"$.stop","IsPresent":true,"Next":"Done"}],
            "Default":"Again"},
          "Done":{"Type":"Succeed"}}}""";
    execute(definition, "{}").onComplete(test.succeeding(execution -> test.verify(() -> {
      assertThat(execution.status()).isEqualTo(ExecutionStatus.FAILED);
      assertThat(execution.cause()).contains("maximum number of history events (25000)");
      assertThat(execution.history()).hasSize(25_000);
      test.completeNow();
    })));
  }
}
