package dev.boxoffice.local.stepfunctions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/**
 * Runs every case of the shared ASL conformance set (recorded on real AWS), then the engine's own cases in
 * {@code src/test/resources/asl-conformance}, through the HTTP API with the AWS SDK and compares status, output, error
 * and cause.
 */
class AslConformanceTest {

  /** The pass count reached so far; CI fails if it drops. */
  private static final int MINIMUM_PASSED = 689;
  private static final int LISTED_FAILURES = 40;
  private static final Duration CASE_TIMEOUT = Duration.ofSeconds(30);
  /** Machine names stay unique across both sets, which share one engine. */
  private static final AtomicInteger SEQUENCE = new AtomicInteger();

  private static LocalSfnApi api;
  private static SfnClient sfn;

  @BeforeAll
  static void startApi() throws Exception {
    // the harness creates a state machine per case, 689 in seconds; AWS's CreateStateMachine bucket (100, refilled at
    // 1 per second) would stretch the run to ten minutes without telling anything about the cases
    api = LocalSfnApi.start(StepFunctionsConfig.local().withQuotas(StepFunctionsQuotas.none()),
        LambdaInvoker.none());
    sfn = api.sfn();
  }

  @AfterAll
  static void stopApi() {
    api.close();
  }

  @Test
  @DisplayName("the recorded AWS behaviour of every shared conformance case is reproduced through the HTTP API")
  void sharedCases() throws Exception {
    Path directory = ConformanceCases.directory();
    if (!Files.isDirectory(directory)) {
      fail("The ASL conformance cases are missing: no directory " + directory + " (they belong in "
          + "../shared/asl-conformance/cases beside the clone, or where $" + ConformanceCases.DIRECTORY_VARIABLE
          + " points)");
    }
    Outcome outcome = runAll(directory, "conformance", LISTED_FAILURES);
    assertThat(outcome.passed()).as("conformance cases passed").isGreaterThanOrEqualTo(MINIMUM_PASSED);
  }

  @Test
  @DisplayName("the engine's own cases (AWS error texts, Assign order, nested intrinsics, bracket paths) all pass")
  void engineCases() throws Exception {
    Outcome outcome = runAll(ConformanceCases.engineDirectory(), "engine conformance", Integer.MAX_VALUE);
    assertThat(outcome.passed()).as("engine cases found").isPositive();
    assertThat(outcome.failures()).as("engine cases that differ from AWS").isEmpty();
  }

  /** How a directory of cases went: the count that passed and a line per case that did not. */
  private record Outcome(int passed, List<String> failures) {
  }

  private static Outcome runAll(Path directory, String label, int listedFailures) throws Exception {
    List<Path> files;
    try (Stream<Path> listing = Files.list(directory)) {
      files = listing.filter(file -> file.toString().endsWith(".json")).sorted().toList();
    }
    assertThat(files).as("conformance case files in " + directory).isNotEmpty();
    List<String> failures = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger passed = new AtomicInteger();
    ExecutorService workers = Executors.newFixedThreadPool(16);
    try {
      List<Future<?>> runs = new ArrayList<>();
      for (Path file : files) {
        runs.add(workers.submit(() -> {
          String id = file.getFileName().toString();
          try {
            JsonNode testCase = Json.MAPPER.readTree(file.toFile());
            id = testCase.path("id").asText(id);
            String problem = run(testCase, "conformance-" + SEQUENCE.incrementAndGet());
            if (problem == null) {
              passed.incrementAndGet();
            } else {
              failures.add(id + ": " + problem);
            }
          } catch (IOException | InterruptedException | RuntimeException e) {
            failures.add(id + ": " + e);
          }
        }));
      }
      for (Future<?> run : runs) {
        run.get();
      }
    } finally {
      workers.shutdown();
      workers.awaitTermination(1, TimeUnit.MINUTES);
    }
    System.out.println(label + ": " + passed.get() + " passed, " + failures.size() + " failed");
    failures.stream().sorted().limit(listedFailures).forEach(failure -> System.out.println("  " + failure));
    return new Outcome(passed.get(), List.copyOf(failures));
  }

  /** Runs one case; returns null when it behaves as recorded, else what differed. */
  private static String run(JsonNode testCase, String machineName) throws InterruptedException {
    String machineArn = sfn.createStateMachine(request -> request.name(machineName)
        .definition(testCase.get("definition").textValue())
        .roleArn("arn:aws:iam::000000000000:role/conformance")).stateMachineArn();
    String executionArn = sfn.startExecution(request -> request.stateMachineArn(machineArn)
        .input(testCase.get("input").textValue())).executionArn();
    long deadline = System.nanoTime() + CASE_TIMEOUT.toNanos();
    DescribeExecutionResponse execution = sfn.describeExecution(request -> request.executionArn(executionArn));
    while (execution.status() == ExecutionStatus.RUNNING) {
      if (System.nanoTime() > deadline) {
        return "still RUNNING after " + CASE_TIMEOUT;
      }
      Thread.sleep(20);
      execution = sfn.describeExecution(request -> request.executionArn(executionArn));
    }
    ObjectNode actual = Json.object();
    actual.put("status", execution.statusAsString());
    JsonNode expected = testCase.get("expect");
    if (expected.has("output")) {
      actual.set("output", execution.output() == null ? null : Json.parse(execution.output()));
    }
    if (expected.has("error")) {
      actual.put("error", execution.error());
    }
    if (expected.has("cause")) {
      actual.put("cause", execution.cause());
    }
    Set<String> ignored = new HashSet<>();
    testCase.path("ignore_paths").forEach(path -> ignored.add(path.textValue()));
    Map<String, String> patterns = new HashMap<>();
    testCase.path("patterns").fields().forEachRemaining(entry -> patterns.put(entry.getKey(),
        entry.getValue().textValue()));
    List<String> differences = new ArrayList<>();
    compare("$", expected, actual, ignored, patterns, differences);
    if (!differences.isEmpty()) {
      return String.join("; ", differences) + " (actual " + Json.write(actual) + ")";
    }
    return null;
  }

  private static void compare(String path, JsonNode expected, JsonNode actual, Set<String> ignored,
      Map<String, String> patterns, List<String> differences) {
    if (actual == null || actual.isMissingNode()) {
      differences.add(path + " is missing");
      return;
    }
    if (ignored.contains(path)) {
      return;
    }
    String pattern = patterns.get(path);
    if (pattern != null) {
      if (!actual.isTextual() || !Pattern.compile(pattern, Pattern.DOTALL).matcher(actual.textValue()).matches()) {
        differences.add(path + " = " + actual + " does not match /" + pattern + "/");
      }
      return;
    }
    if (expected.isObject() && actual.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> fields = expected.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        compare(path + "[\"" + field.getKey() + "\"]", field.getValue(), actual.get(field.getKey()), ignored,
            patterns, differences);
      }
      actual.fieldNames().forEachRemaining(name -> {
        if (!expected.has(name)) {
          differences.add(path + "[\"" + name + "\"] is unexpected");
        }
      });
      return;
    }
    if (expected.isArray() && actual.isArray() && expected.size() == actual.size()) {
      for (int i = 0; i < expected.size(); i++) {
        compare(path + "[" + i + "]", expected.get(i), actual.get(i), ignored, patterns, differences);
      }
      return;
    }
    if (!Values.jsonEquals(expected, actual)) {
      differences.add(path + ": expected " + expected + " but was " + actual);
    }
  }
}
