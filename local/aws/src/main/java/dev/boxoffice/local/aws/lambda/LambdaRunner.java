package dev.boxoffice.local.aws.lambda;

import dev.boxoffice.local.aws.LocalCredentials;
import dev.boxoffice.local.aws.cloudformation.CloudFormationTemplate;
import dev.boxoffice.local.aws.cloudformation.FunctionDefinition;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the template's Lambda functions in-process. Each function gets one container: a thread of its own and one
 * handler instance, constructed on the first invocation with the function's environment (template variables, then
 * the function's overrides, which carry the credentials of its role, then the variables Lambda itself sets). Invocations of one function run one at a time, as in a single
 * Lambda container, and never on an event loop. A timeout fails the invocation and discards the container, as Lambda
 * does; the next invocation starts a fresh one.
 */
public final class LambdaRunner implements LambdaInvoker, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LambdaRunner.class);

  private final Vertx vertx;
  private final Map<String, FunctionDefinition> functionsByName;
  private final Function<FunctionDefinition, Map<String, String>> environmentOverrides;
  private final ClassLoader classLoader;
  private final Map<String, Container> containers = new ConcurrentHashMap<>();
  private volatile boolean closed;
  private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(
      runnable -> daemon(runnable, "lambda-timeout-watchdog"));

  /**
   * @param environmentOverrides what each function gets over its template variables: endpoints, secrets and the
   *     credentials ({@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY}) of its role
   */
  public LambdaRunner(Vertx vertx, Map<String, FunctionDefinition> functionsByName,
                      Function<FunctionDefinition, Map<String, String>> environmentOverrides, ClassLoader classLoader) {
    this.vertx = vertx;
    this.functionsByName = Map.copyOf(functionsByName);
    this.environmentOverrides = environmentOverrides;
    this.classLoader = classLoader;
  }

  /** A runner for the functions of the template, loading handler classes from the thread's context class loader. */
  public static LambdaRunner forTemplate(Vertx vertx, CloudFormationTemplate template,
                                         Function<FunctionDefinition, Map<String, String>> environmentOverrides) {
    return new LambdaRunner(vertx, template.functionsByName(), environmentOverrides,
        Thread.currentThread().getContextClassLoader());
  }

  public Map<String, FunctionDefinition> functions() {
    return functionsByName;
  }

  /** The environment a function's handler is constructed with. */
  public Map<String, String> environmentOf(FunctionDefinition function) {
    Map<String, String> environment = new LinkedHashMap<>(function.environment());
    environment.putAll(environmentOverrides.apply(function));
    environment.put("AWS_REGION", LocalCredentials.REGION);
    environment.put("AWS_DEFAULT_REGION", LocalCredentials.REGION);
    environment.put("AWS_LAMBDA_FUNCTION_NAME", function.functionName());
    environment.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(function.memorySizeMb()));
    environment.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
    return Map.copyOf(environment);
  }

  @Override
  public Future<String> invoke(String functionNameOrArn, String payloadJson) {
    String name = functionNameOrArn.substring(functionNameOrArn.lastIndexOf(':') + 1);
    if (functionNameOrArn.startsWith("arn:") && functionNameOrArn.matches(".*:function:[^:]+:[^:]+$")) {
      String withoutQualifier = functionNameOrArn.substring(0, functionNameOrArn.lastIndexOf(':'));
      name = withoutQualifier.substring(withoutQualifier.lastIndexOf(':') + 1);
    }
    FunctionDefinition function = functionsByName.get(name);
    if (function == null) {
      return Future.failedFuture(new LambdaFunctionError("ResourceNotFoundException",
          "Function not found: " + functionNameOrArn, null));
    }
    if (closed) {
      return Future.failedFuture(new IllegalStateException("the Lambda runner is closed"));
    }
    Promise<String> outcome = Promise.promise();
    dispatch(new Invocation(function, payloadJson, vertx.getOrCreateContext(), outcome));
    return outcome.future();
  }

  @Override
  public void close() {
    closed = true;
    watchdog.shutdownNow();
    containers.values().forEach(container -> container.thread.shutdownNow());
    containers.clear();
  }

  private static Thread daemon(Runnable runnable, String name) {
    Thread thread = new Thread(runnable, name);
    thread.setDaemon(true);
    return thread;
  }

  private final class Container {

    private final FunctionDefinition function;
    private final ExecutorService thread;
    private HandlerMethod handler;

    Container(FunctionDefinition function) {
      this.function = function;
      this.thread = Executors.newSingleThreadExecutor(runnable -> daemon(runnable, "lambda-" + function.functionName()));
    }

    void enqueue(Invocation invocation) {
      invocation.container = this;
      thread.execute(invocation);
    }

    void run(Invocation invocation) {
      try {
        if (handler == null) {
          handler = HandlerMethod.load(function.handler(), environmentOf(function), classLoader);
        }
      } catch (LambdaFunctionError initFailure) {
        LOG.warn("function {} cannot start: {}", function.functionName(), initFailure.getMessage(),
            initFailure.getCause());
        invocation.settle(null, initFailure);
        return;
      }
      long timeoutMillis = function.timeoutSeconds() * 1000L;
      ScheduledFuture<?> timeout = watchdog.schedule(() -> discardAfterTimeout(invocation),
          timeoutMillis, TimeUnit.MILLISECONDS);
      try {
        String result = handler.invoke(invocation.payloadJson,
            new LocalLambdaContext(function, System.currentTimeMillis() + timeoutMillis));
        invocation.settle(result, null);
      } catch (LambdaFunctionError error) {
        invocation.settle(null, error);
      } catch (Throwable failure) {
        LOG.warn("function {} failed", function.functionName(), failure);
        invocation.settle(null,
            new LambdaFunctionError(failure.getClass().getName(), String.valueOf(failure.getMessage()), failure));
      } finally {
        timeout.cancel(false);
      }
    }

    private void discardAfterTimeout(Invocation timedOut) {
      if (!timedOut.settle(null, new LambdaFunctionError("Sandbox.Timedout",
          "Task timed out after " + function.timeoutSeconds() + " seconds", null))) {
        return;
      }
      LOG.warn("function {} timed out after {} s; its container is discarded", function.functionName(),
          function.timeoutSeconds());
      containers.remove(function.functionName(), this);
      // shutdownNow stops the thread from taking queued work before it interrupts the handler, so nothing queued
      // runs on the discarded instance
      for (Runnable waiting : thread.shutdownNow()) {
        dispatch((Invocation) waiting);
      }
    }
  }

  /** Queues the invocation in the function's live container, replacing one a timeout discarded meanwhile. */
  private void dispatch(Invocation invocation) {
    while (true) {
      Container container = containers.computeIfAbsent(invocation.function.functionName(),
          ignored -> new Container(invocation.function));
      try {
        container.enqueue(invocation);
        return;
      } catch (RejectedExecutionException discarded) {
        containers.remove(invocation.function.functionName(), container);
      }
    }
  }

  /** One pending call: settled exactly once, on the caller's Vert.x context. */
  private final class Invocation implements Runnable {

    private final FunctionDefinition function;
    private final String payloadJson;
    private final Context caller;
    private final Promise<String> outcome;
    private final AtomicBoolean settled = new AtomicBoolean();
    private Container container;

    Invocation(FunctionDefinition function, String payloadJson, Context caller, Promise<String> outcome) {
      this.function = function;
      this.payloadJson = payloadJson;
      this.caller = caller;
      this.outcome = outcome;
    }

    @Override
    public void run() {
      container.run(this);
    }

    boolean settle(String result, LambdaFunctionError error) {
      if (!settled.compareAndSet(false, true)) {
        return false;
      }
      caller.runOnContext(ignored -> {
        if (error == null) {
          outcome.complete(result);
        } else {
          outcome.fail(error);
        }
      });
      return true;
    }
  }
}
