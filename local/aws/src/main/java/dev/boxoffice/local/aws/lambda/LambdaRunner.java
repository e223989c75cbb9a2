package dev.boxoffice.local.aws.lambda;

import dev.boxoffice.local.aws.LocalCredentials;
import dev.boxoffice.local.aws.cloudformation.CloudFormationTemplate;
import dev.boxoffice.local.aws.cloudformation.FunctionDefinition;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the template's Lambda functions in-process the way Lambda runs them. Each invocation takes an execution
 * environment of its function: a warm idle one if there is one, else a new one, whose first invocation constructs the
 * handler with the function's environment (template variables, then the function's overrides, which carry the
 * credentials of its role, then the variables Lambda itself sets): a cold start, timed and logged. Environments run
 * invocations on threads of their own, one at a time, never on an event loop.
 *
 * <p>Concurrency is Lambda's: at most the function's {@code ReservedConcurrentExecutions} at once, or a share of the
 * account's limit; an invocation beyond it fails at once with {@code TooManyRequestsException} (429), as a synchronous
 * invocation does in AWS, and is never queued. The function's Timeout counts from the start of its handler; when it
 * runs out the invocation fails as {@code Sandbox.Timedout}, the environment is discarded and its thread interrupted,
 * and whatever the handler returns later completes nothing. Environments idle longer than the quotas' idle lifetime
 * are let go. An experiment may have first attempts fail after their handler ran ({@link LambdaFaults}).
 */
public final class LambdaRunner implements LambdaInvoker, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LambdaRunner.class);

  private final Vertx vertx;
  private final Map<String, FunctionDefinition> functionsByName;
  private final Function<FunctionDefinition, Map<String, String>> environmentOverrides;
  private final ClassLoader classLoader;
  private final LambdaQuotas quotas;
  private final ConcurrencyLimits limits;
  private final Map<String, FunctionEnvironments> environments = new LinkedHashMap<>();
  private final AtomicInteger threads = new AtomicInteger();
  private final ExecutorService handlers = Executors.newCachedThreadPool(
      runnable -> daemon(runnable, "lambda-" + threads.incrementAndGet()));
  private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(
      runnable -> daemon(runnable, "lambda-watchdog"));
  private volatile boolean closed;
  private volatile LambdaFaults faults = LambdaFaults.none();

  /**
   * @param environmentOverrides what each function gets over its template variables: endpoints, secrets and the
   *     credentials ({@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY}, {@code AWS_SESSION_TOKEN}) of its role
   */
  public LambdaRunner(Vertx vertx, Map<String, FunctionDefinition> functionsByName,
                      Function<FunctionDefinition, Map<String, String>> environmentOverrides, ClassLoader classLoader,
                      LambdaQuotas quotas) {
    this.vertx = vertx;
    this.functionsByName = Map.copyOf(functionsByName);
    this.environmentOverrides = environmentOverrides;
    this.classLoader = classLoader;
    this.quotas = quotas;
    this.limits = new ConcurrencyLimits(functionsByName, quotas);
    functionsByName.forEach((name, function) -> environments.put(name, new FunctionEnvironments(function)));
    long reapEvery = Math.clamp(quotas.idleLifetime().toMillis() / 2, 50, 10_000);
    watchdog.scheduleWithFixedDelay(this::reapIdle, reapEvery, reapEvery, TimeUnit.MILLISECONDS);
  }

  /** A runner with AWS's default quotas. */
  public LambdaRunner(Vertx vertx, Map<String, FunctionDefinition> functionsByName,
                      Function<FunctionDefinition, Map<String, String>> environmentOverrides, ClassLoader classLoader) {
    this(vertx, functionsByName, environmentOverrides, classLoader, LambdaQuotas.aws());
  }

  /** A runner for the functions of the template, loading handler classes from the thread's context class loader. */
  public static LambdaRunner forTemplate(Vertx vertx, CloudFormationTemplate template,
                                         Function<FunctionDefinition, Map<String, String>> environmentOverrides,
                                         LambdaQuotas quotas) {
    return new LambdaRunner(vertx, template.functionsByName(), environmentOverrides,
        Thread.currentThread().getContextClassLoader(), quotas);
  }

  /** {@link #forTemplate(Vertx, CloudFormationTemplate, Function, LambdaQuotas)} with AWS's default quotas. */
  public static LambdaRunner forTemplate(Vertx vertx, CloudFormationTemplate template,
                                         Function<FunctionDefinition, Map<String, String>> environmentOverrides) {
    return forTemplate(vertx, template, environmentOverrides, LambdaQuotas.aws());
  }

  public Map<String, FunctionDefinition> functions() {
    return functionsByName;
  }

  public LambdaQuotas quotas() {
    return quotas;
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

  /** The function named by a name, an ARN or a qualified ARN. */
  public FunctionDefinition function(String functionNameOrArn) {
    String name = functionNameOrArn.substring(functionNameOrArn.lastIndexOf(':') + 1);
    if (functionNameOrArn.startsWith("arn:") && functionNameOrArn.matches(".*:function:[^:]+:[^:]+$")) {
      String withoutQualifier = functionNameOrArn.substring(0, functionNameOrArn.lastIndexOf(':'));
      name = withoutQualifier.substring(withoutQualifier.lastIndexOf(':') + 1);
    }
    FunctionDefinition function = functionsByName.get(name);
    if (function == null) {
      throw new NoSuchElementException(functionNameOrArn);
    }
    return function;
  }

  /** From now on, fails the first attempts {@code faults} names, after their handler ran. */
  public void injectFaults(LambdaFaults faults) {
    this.faults = faults;
  }

  public LambdaFaults faults() {
    return faults;
  }

  /** What the environments of {@code functionName} have done so far. */
  public FunctionStatistics statistics(String functionName) {
    FunctionEnvironments function = environments.get(functionName);
    if (function == null) {
      throw new NoSuchElementException("no function " + functionName);
    }
    return function.statistics();
  }

  @Override
  public Future<String> invoke(String functionNameOrArn, String payloadJson) {
    return invoke(functionNameOrArn, payloadJson, null);
  }

  /**
   * Invokes the function within the X-Ray trace of {@code callerTraceHeader} (null: a trace of its own), as Lambda
   * does with active tracing: the function's context names the trace ({@link LocalLambdaContext#getXrayTraceId()}).
   */
  public Future<String> invoke(String functionNameOrArn, String payloadJson, String callerTraceHeader) {
    FunctionDefinition function;
    try {
      function = function(functionNameOrArn);
    } catch (NoSuchElementException unknown) {
      return Future.failedFuture(LambdaServiceError.notFound(functionNameOrArn));
    }
    if (closed) {
      return Future.failedFuture(new IllegalStateException("the Lambda runner is closed"));
    }
    FunctionEnvironments pool = environments.get(function.functionName());
    String throttle = limits.tryAcquire(function.functionName());
    if (throttle != null) {
      pool.throttled();
      LOG.debug("{}: invocation throttled ({})", function.functionName(), throttle);
      return Future.failedFuture(LambdaServiceError.tooManyRequests(throttle));
    }
    boolean reportedFailed = faults.failsThisAttempt(function.logicalId(), function.functionName(), payloadJson);
    Promise<String> outcome = Promise.promise();
    Invocation invocation = new Invocation(pool, pool.take(), payloadJson, reportedFailed,
        LambdaTraceHeaders.forInvocation(callerTraceHeader), vertx.getOrCreateContext(), outcome);
    try {
      handlers.execute(invocation);
    } catch (RejectedExecutionException runnerClosed) {
      invocation.end(null, new LambdaFunctionError("Runtime.Unknown", "the Lambda runner is closed", null), true);
    }
    return outcome.future();
  }

  /**
   * Stops running functions, after one line per function invoked of what Lambda's CloudWatch metrics would have shown
   * (invocations, throttles, timeouts, cold starts, peak concurrency): the figures a benchmark reads from the log.
   */
  @Override
  public void close() {
    closed = true;
    environments.forEach((name, function) -> {
      FunctionStatistics statistics = function.statistics();
      if (statistics.invocations() + statistics.throttles() > 0) {
        LOG.info("Lambda {}: {} invocations, {} throttles, {} timeouts, {} cold starts, peak concurrency {}{}", name,
            statistics.invocations(), statistics.throttles(), statistics.timeouts(), statistics.coldStarts(),
            statistics.peakConcurrency(), faults.isEmpty() ? "" : ", " + faults.injected(name) + " injected faults");
      }
    });
    watchdog.shutdownNow();
    handlers.shutdownNow();
  }

  private void reapIdle() {
    environments.values().forEach(function -> {
      int reaped = function.reap(quotas.idleLifetime());
      if (reaped > 0) {
        LOG.debug("{}: {} idle execution environment(s) shut down", function.function().functionName(), reaped);
      }
    });
  }

  private static Thread daemon(Runnable runnable, String name) {
    Thread thread = new Thread(runnable, name);
    thread.setDaemon(true);
    return thread;
  }

  /** One invocation in one environment: ended exactly once, by its handler or by its Timeout. */
  private final class Invocation implements Runnable {

    private final FunctionEnvironments pool;
    private final FunctionEnvironments.Environment environment;
    private final String payloadJson;
    /** Chosen by the experiment's faults: the handler runs and the invocation is then reported failed. */
    private final boolean reportedFailed;
    private final String traceHeader;
    private final Context caller;
    private final Promise<String> outcome;
    private final AtomicBoolean ended = new AtomicBoolean();
    private Thread handlerThread;

    Invocation(FunctionEnvironments pool, FunctionEnvironments.Environment environment, String payloadJson,
               boolean reportedFailed, String traceHeader, Context caller, Promise<String> outcome) {
      this.pool = pool;
      this.environment = environment;
      this.payloadJson = payloadJson;
      this.reportedFailed = reportedFailed;
      this.traceHeader = traceHeader;
      this.caller = caller;
      this.outcome = outcome;
    }

    @Override
    public void run() {
      FunctionDefinition function = pool.function();
      if (environment.handler == null && !initialize(function)) {
        return;
      }
      long timeoutMillis = function.timeoutSeconds() * 1000L;
      synchronized (this) {
        handlerThread = Thread.currentThread();
      }
      ScheduledFuture<?> timeout = watchdog.schedule(this::timedOut, timeoutMillis, TimeUnit.MILLISECONDS);
      try {
        String result = environment.handler.invoke(payloadJson,
            new LocalLambdaContext(function, System.currentTimeMillis() + timeoutMillis, traceHeader));
        if (reportedFailed) {
          end(null, LambdaFaults.error(function.functionName()), false);
        } else {
          end(result, null, false);
        }
      } catch (LambdaFunctionError error) {
        end(null, error, false);
      } catch (Throwable failure) {
        if (!ended.get()) {
          LOG.warn("function {} failed", function.functionName(), failure);
        }
        end(null, new LambdaFunctionError(failure.getClass().getName(), String.valueOf(failure.getMessage()),
            failure), false);
      } finally {
        timeout.cancel(false);
        synchronized (this) {
          handlerThread = null;
          Thread.interrupted();
        }
      }
    }

    /** The cold start: constructs the handler; false when it cannot be, which fails the invocation. */
    private boolean initialize(FunctionDefinition function) {
      long started = System.nanoTime();
      try {
        environment.handler = HandlerMethod.load(function.handler(), environmentOf(function), classLoader);
      } catch (LambdaFunctionError initFailure) {
        LOG.warn("function {} cannot start: {}", function.functionName(), initFailure.getMessage(),
            initFailure.getCause());
        end(null, initFailure, true);
        return false;
      }
      long initNanos = System.nanoTime() - started;
      pool.coldStarted(initNanos);
      LOG.info("{}: cold start of execution environment {}, Init Duration: {} ms", function.functionName(),
          environment.id, String.format("%.2f", initNanos / 1e6));
      return true;
    }

    private void timedOut() {
      FunctionDefinition function = pool.function();
      if (!end(null, new LambdaFunctionError("Sandbox.Timedout",
          "Task timed out after " + function.timeoutSeconds() + ".00 seconds", null), true)) {
        return;
      }
      LOG.warn("{}: invocation timed out after {} s; its execution environment {} is discarded",
          function.functionName(), function.timeoutSeconds(), environment.id);
      synchronized (this) {
        if (handlerThread != null) {
          handlerThread.interrupt();
        }
      }
    }

    /**
     * Ends the invocation unless it has ended: frees its concurrency, keeps or discards the environment and settles
     * the caller's future on the caller's context. Returns false for the loser of a handler/timeout race, whose
     * result is dropped.
     */
    boolean end(String result, LambdaFunctionError error, boolean discardEnvironment) {
      if (!ended.compareAndSet(false, true)) {
        return false;
      }
      limits.release(pool.function().functionName());
      if (discardEnvironment) {
        pool.discard("Sandbox.Timedout".equals(error == null ? null : error.errorType()));
      } else {
        pool.giveBack(environment);
      }
      caller.runOnContext(ignored -> {
        if (error == null) {
          outcome.tryComplete(result);
        } else {
          outcome.tryFail(error);
        }
      });
      return true;
    }
  }
}
