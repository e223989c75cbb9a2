package dev.boxoffice.local.stepfunctions;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The task tokens of {@code .waitForTaskToken} tasks that wait for SendTaskSuccess, SendTaskFailure or heartbeats. */
final class TaskTokens {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Map<String, Waiting> waiting = new ConcurrentHashMap<>();

  /** A task parked until a callback arrives; callbacks run on the execution's context. */
  private record Waiting(String executionArn, Promise<JsonNode> promise, Context context, Runnable onHeartbeat) {
  }

  enum Outcome { DELIVERED, UNKNOWN }

  static String newToken() {
    byte[] bytes = new byte[48];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** Parks a task under {@code token} until a callback or {@link #abandon(String)}. */
  Future<JsonNode> await(String token, String executionArn, Context context, Runnable onHeartbeat) {
    Promise<JsonNode> promise = Promise.promise();
    waiting.put(token, new Waiting(executionArn, promise, context, onHeartbeat));
    return promise.future();
  }

  void abandon(String token) {
    waiting.remove(token);
  }

  /** Drops the tokens of a stopped execution so late callbacks get TaskDoesNotExist. */
  void abandonExecution(String executionArn) {
    waiting.values().removeIf(task -> {
      if (!task.executionArn().equals(executionArn)) {
        return false;
      }
      task.context().runOnContext(v -> task.promise().tryFail(new Interpreter.Cancelled()));
      return true;
    });
  }

  Outcome succeed(String token, JsonNode output) {
    Waiting task = waiting.remove(token);
    if (task == null) {
      return Outcome.UNKNOWN;
    }
    task.context().runOnContext(v -> task.promise().tryComplete(output));
    return Outcome.DELIVERED;
  }

  Outcome fail(String token, String error, String cause) {
    Waiting task = waiting.remove(token);
    if (task == null) {
      return Outcome.UNKNOWN;
    }
    task.context().runOnContext(v -> task.promise().tryFail(new StatesError(error, cause)));
    return Outcome.DELIVERED;
  }

  Outcome heartbeat(String token) {
    Waiting task = waiting.get(token);
    if (task == null) {
      return Outcome.UNKNOWN;
    }
    task.context().runOnContext(v -> task.onHeartbeat().run());
    return Outcome.DELIVERED;
  }
}
