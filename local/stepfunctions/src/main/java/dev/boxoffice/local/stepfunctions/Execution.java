package dev.boxoffice.local.stepfunctions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One execution of a state machine: its identity, its input, its outcome once it ends and its event history.
 * The interpreter writes it from the execution's event loop; the API reads it from others, hence the locking.
 */
public final class Execution {

  private final String arn;
  private final String name;
  private final StateMachine stateMachine;
  private final String input;
  private final JsonNode inputNode;
  private final Instant startDate;
  private final String traceHeader;
  private final List<HistoryEvent> events = new ArrayList<>();
  private final Promise<Execution> completion = Promise.promise();
  private ExecutionStatus status = ExecutionStatus.RUNNING;
  private String output;
  private String error;
  private String cause;
  private Instant stopDate;

  Execution(String arn, String name, StateMachine stateMachine, String input, JsonNode inputNode, Instant startDate,
            String traceHeader) {
    this.traceHeader = traceHeader;
    this.arn = arn;
    this.name = name;
    this.stateMachine = stateMachine;
    this.input = input;
    this.inputNode = inputNode;
    this.startDate = startDate;
  }

  public String arn() {
    return arn;
  }

  public String name() {
    return name;
  }

  public StateMachine stateMachine() {
    return stateMachine;
  }

  public String input() {
    return input;
  }

  /** The X-Ray trace header StartExecution was given (null: none), which its Lambda tasks continue. */
  public String traceHeader() {
    return traceHeader;
  }

  JsonNode inputNode() {
    return inputNode;
  }

  public Instant startDate() {
    return startDate;
  }

  public synchronized ExecutionStatus status() {
    return status;
  }

  /** The output JSON of a SUCCEEDED execution, else null. */
  public synchronized String output() {
    return output;
  }

  public synchronized String error() {
    return error;
  }

  public synchronized String cause() {
    return cause;
  }

  public synchronized Instant stopDate() {
    return stopDate;
  }

  /** Completes with this execution once it has ended, whatever the status. */
  public Future<Execution> completion() {
    return completion.future();
  }

  public synchronized List<HistoryEvent> history() {
    return List.copyOf(events);
  }

  synchronized long addEvent(long previousEventId, Instant timestamp, String type, String detailsField,
      ObjectNode details) {
    long id = events.size() + 1L;
    events.add(new HistoryEvent(id, previousEventId, timestamp, type, detailsField, details));
    return id;
  }

  /** Records an event only while the execution runs; returns its id, or {@code previousEventId} if it has ended. */
  synchronized long addEventWhileRunning(long previousEventId, Instant timestamp, String type, String detailsField,
      ObjectNode details) {
    return status == ExecutionStatus.RUNNING ? addEvent(previousEventId, timestamp, type, detailsField, details)
        : previousEventId;
  }

  synchronized long lastEventId() {
    return events.size();
  }

  /**
   * Ends the execution with its closing history event unless it has ended already; returns whether this call ended
   * it.
   */
  boolean finish(ExecutionStatus finalStatus, String finalOutput, String finalError, String finalCause,
      Instant when, String eventType, String detailsField, ObjectNode details) {
    synchronized (this) {
      if (status != ExecutionStatus.RUNNING) {
        return false;
      }
      status = finalStatus;
      output = finalOutput;
      error = finalError;
      cause = finalCause;
      stopDate = when;
      addEvent(lastEventId(), when, eventType, detailsField, details);
    }
    completion.complete(this);
    return true;
  }

  synchronized boolean isRunning() {
    return status == ExecutionStatus.RUNNING;
  }
}
