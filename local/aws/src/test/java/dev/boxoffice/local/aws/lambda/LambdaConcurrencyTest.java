package dev.boxoffice.local.aws.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.boxoffice.local.aws.cloudformation.FunctionDefinition;
import dev.boxoffice.local.aws.testhandlers.SlowHandler;
import dev.boxoffice.local.aws.testhandlers.SlowInitHandler;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@DisplayName("The local Lambda runtime's execution environments, concurrency and timeouts")
class LambdaConcurrencyTest {

  private static final String SLOW = SlowHandler.class.getName() + "::handleRequest";
  private static final Duration PATIENCE = Duration.ofSeconds(20);

  private LambdaRunner runner;

  @AfterEach
  void closeRunner() {
    if (runner != null) {
      runner.close();
    }
  }

  @Test
  @DisplayName("a function with reserved concurrency 2 runs two invocations at once, a third at that moment is "
      + "refused at once with TooManyRequestsException (429, ReservedFunctionConcurrentInvocationLimitExceeded), and "
      + "the next one after them runs warm")
  void reservedConcurrency(Vertx vertx) throws Exception {
    runner = runner(vertx, LambdaQuotas.aws(), function("slow", SLOW, 5, 2));
    Future<String> first = runner.invoke("slow", sleep(1_000));
    Future<String> second = runner.invoke("slow", sleep(1_000));
    long refusedAt = System.nanoTime();
    Future<String> third = runner.invoke("slow", sleep(0));

    assertThat(third.failed()).as("refused without waiting").isTrue();
    assertThat((System.nanoTime() - refusedAt) / 1_000_000).isLessThan(500);
    assertThat(third.cause()).isInstanceOfSatisfying(LambdaServiceError.class, throttle -> {
      assertThat(throttle.statusCode()).isEqualTo(429);
      assertThat(throttle.errorType()).isEqualTo("TooManyRequestsException");
      assertThat(throttle.reason()).isEqualTo("ReservedFunctionConcurrentInvocationLimitExceeded");
      assertThat(throttle.errorMessage()).isEqualTo("Rate Exceeded.");
    });
    List<Long> instances = List.of(instance(first), instance(second));
    long fourth = instance(runner.invoke("slow", sleep(0)));

    assertThat(instances).doesNotHaveDuplicates();
    assertThat(instances).contains(fourth);
    FunctionStatistics statistics = runner.statistics("slow");
    assertThat(statistics.coldStarts()).isEqualTo(2);
    assertThat(statistics.throttles()).isEqualTo(1);
    assertThat(statistics.peakConcurrency()).isEqualTo(2);
    assertThat(statistics.environments()).isEqualTo(2);
  }

  @Test
  @DisplayName("functions without reserved concurrency share the account's limit: beyond it, "
      + "ConcurrentInvocationLimitExceeded")
  void accountConcurrency(Vertx vertx) throws Exception {
    runner = runner(vertx, new LambdaQuotas(3, Duration.ofMinutes(5)), function("a", SLOW, 5, null),
        function("b", SLOW, 5, null));
    List<Future<String>> running = List.of(runner.invoke("a", sleep(800)), runner.invoke("a", sleep(800)),
        runner.invoke("b", sleep(800)));
    Future<String> refused = runner.invoke("b", sleep(0));

    assertThat(refused.failed()).isTrue();
    assertThat(((LambdaServiceError) refused.cause()).reason()).isEqualTo("ConcurrentInvocationLimitExceeded");
    for (Future<String> invocation : running) {
      instance(invocation);
    }
    instance(runner.invoke("b", sleep(0)));
  }

  @Test
  @DisplayName("reserving so much that less than 100 is left for the other functions fails as AWS refuses it")
  void reservationsLeaveTheMinimum(Vertx vertx) {
    assertThatThrownBy(() -> runner(vertx, new LambdaQuotas(150, Duration.ofMinutes(5)),
        function("greedy", SLOW, 5, 60)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("decreases account's UnreservedConcurrentExecution below its minimum value of [100]");
  }

  @Test
  @DisplayName("each new environment is a cold start, timed; invocations one after the other reuse the warm one, "
      + "and an environment idle past its lifetime is shut down")
  void coldWarmAndReaped(Vertx vertx) throws Exception {
    runner = runner(vertx, new LambdaQuotas(1000, Duration.ofMillis(300)), function("slow", SLOW, 5, null));
    long first = instance(runner.invoke("slow", sleep(0)));
    long second = instance(runner.invoke("slow", sleep(0)));
    assertThat(second).isEqualTo(first);
    assertThat(runner.statistics("slow").coldStarts()).isEqualTo(1);
    assertThat(runner.statistics("slow").maxInit()).isPositive();

    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (runner.statistics("slow").environments() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(runner.statistics("slow").environments()).as("reaped").isZero();
    assertThat(instance(runner.invoke("slow", sleep(0)))).isNotEqualTo(first);
    assertThat(runner.statistics("slow").coldStarts()).isEqualTo(2);
  }

  @Test
  @DisplayName("a timed-out invocation fails as Sandbox.Timedout, frees its concurrency at once, its environment "
      + "is discarded, and what its handler returns later completes nothing and throws nothing")
  void timeoutDiscards(Vertx vertx) throws Exception {
    List<Throwable> unhandled = new CopyOnWriteArrayList<>();
    vertx.exceptionHandler(unhandled::add);
    runner = runner(vertx, LambdaQuotas.aws(), function("slow", SLOW, 1, 1));
    long warm = instance(runner.invoke("slow", sleep(0)));
    Future<String> timedOut = runner.invoke("slow", sleep(3_000));

    Throwable failure = timedOut.transform(Future::succeededFuture).await(PATIENCE.toSeconds(), TimeUnit.SECONDS)
        .cause();
    assertThat(failure).isInstanceOf(LambdaFunctionError.class);
    assertThat(((LambdaFunctionError) failure).errorType()).isEqualTo("Sandbox.Timedout");
    long next = instance(runner.invoke("slow", sleep(0)));
    assertThat(next).as("a fresh environment, within the reserved concurrency of 1").isNotEqualTo(warm);
    Thread.sleep(3_000);
    assertThat(unhandled).isEmpty();
    FunctionStatistics statistics = runner.statistics("slow");
    assertThat(statistics.timeouts()).isEqualTo(1);
    assertThat(statistics.environments()).isEqualTo(1);
  }

  @Test
  @DisplayName("the Timeout counts from the handler's start: a 1.5 s cold start does not time out a 1 s function")
  void timeoutStartsWithTheHandler(Vertx vertx) throws Exception {
    runner = runner(vertx, LambdaQuotas.aws(), function("slow-init", SlowInitHandler.class.getName(), 1, null));
    String result = runner.invoke("slow-init", "{}").await(PATIENCE.toSeconds(), TimeUnit.SECONDS);

    assertThat(new JsonObject(result).getLong("remainingTimeInMillis")).isBetween(500L, 1_000L);
    assertThat(runner.statistics("slow-init").maxInit()).isGreaterThanOrEqualTo(
        Duration.ofMillis(SlowInitHandler.INIT_MILLIS));
  }

  @Test
  @DisplayName("an invocation neither reaches a queue nor waits: fifty at once against a reserved concurrency of 5 "
      + "are five runs and forty-five immediate throttles")
  void noHiddenQueue(Vertx vertx) throws Exception {
    runner = runner(vertx, LambdaQuotas.aws(), function("slow", SLOW, 5, 5));
    List<Future<String>> all = IntStream.range(0, 50).mapToObj(i -> runner.invoke("slow", sleep(500))).toList();
    Future.join(all).otherwiseEmpty().await(PATIENCE.toSeconds(), TimeUnit.SECONDS);

    assertThat(all.stream().filter(Future::succeeded).count()).isEqualTo(5);
    assertThat(all.stream().filter(invocation -> invocation.cause() instanceof LambdaServiceError).count())
        .isEqualTo(45);
  }

  private static LambdaRunner runner(Vertx vertx, LambdaQuotas quotas, FunctionDefinition... functions) {
    Map<String, FunctionDefinition> byName = new java.util.LinkedHashMap<>();
    for (FunctionDefinition function : functions) {
      byName.put(function.functionName(), function);
    }
    return new LambdaRunner(vertx, byName, function -> Map.of(), LambdaConcurrencyTest.class.getClassLoader(),
        quotas);
  }

  private static FunctionDefinition function(String name, String handler, int timeoutSeconds, Integer reserved) {
    return new FunctionDefinition(name + "Function", name, handler, timeoutSeconds, 128, Map.of(), null, reserved);
  }

  private static String sleep(long millis) {
    return "{\"sleepMillis\": " + millis + "}";
  }

  private static long instance(Future<String> invocation) throws Exception {
    return new JsonObject(invocation.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).getLong("instanceId");
  }
}
