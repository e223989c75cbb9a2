package dev.boxoffice.local.stepfunctions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The AWS Step Functions API (AWS JSON 1.0: {@code POST /} with {@code X-Amz-Target: AWSStepFunctions.<Action>})
 * over a {@link StepFunctionsEngine}, so the AWS SDK's SfnClient and the AWS CLI work against it. Each call is first
 * checked by {@link ApiAccess} (who signed it, may it do this) and then by the account's throttling quotas.
 *
 * <p>Longer than most classes on purpose: one short method per API action, each mapping AWS's request and answer
 * shapes onto the engine; grouping them keeps the action table and its error mapping in one place.
 */
public final class StepFunctionsApiVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(StepFunctionsApiVerticle.class);
  private static final String TARGET_PREFIX = "AWSStepFunctions.";
  private static final String CONTENT_TYPE = "application/x-amz-json-1.0";
  private static final int MAX_BODY_BYTES = 2 * 1024 * 1024;
  /** Step Functions documents no limit on the request line or headers; its API is a POST to {@code /}. */
  private static final int MAX_REQUEST_LINE = 16 * 1024;
  private static final int MAX_HEADERS = 16 * 1024;
  private static final int DEFAULT_PAGE_SIZE = 100;

  private final StepFunctionsEngine engine;
  private final ApiAccess access;
  private final ApiThrottle throttle;
  private volatile int actualPort = -1;

  /** The API open to every caller. */
  public StepFunctionsApiVerticle(StepFunctionsEngine engine) {
    this(engine, ApiAccess.open());
  }

  /** The API with each call checked by {@code access} before it runs. */
  public StepFunctionsApiVerticle(StepFunctionsEngine engine, ApiAccess access) {
    this.engine = engine;
    this.access = access;
    this.throttle = new ApiThrottle(engine);
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    router.post("/").handler(BodyHandler.create().setBodyLimit(MAX_BODY_BYTES));
    router.post("/").handler(this::dispatch);
    router.route().handler(ctx -> error(ctx, 404, "UnknownOperationException",
        "The Step Functions API is a POST to /, not " + ctx.request().method() + " " + ctx.request().path()));
    router.route().failureHandler(ctx -> error(ctx, ctx.statusCode() == 413 ? 413 : 400,
        ctx.statusCode() == 413 ? "RequestEntityTooLargeException" : "ValidationException",
        ctx.statusCode() == 413 ? "The request body exceeds " + MAX_BODY_BYTES + " bytes" : "Malformed request"));
    StepFunctionsConfig config = engine.config();
    return vertx.createHttpServer(new HttpServerOptions()
            .setMaxInitialLineLength(MAX_REQUEST_LINE).setMaxHeaderSize(MAX_HEADERS))
        .requestHandler(router)
        .invalidRequestHandler(StepFunctionsApiVerticle::unreadable)
        .listen(config.port(), config.host())
        .onSuccess(server -> {
          actualPort = server.actualPort();
          LOG.info("Step Functions API listening on http://{}:{}", config.host(), actualPort);
        });
  }

  /** The port the API listens on once started (useful with port 0). */
  public int actualPort() {
    return actualPort;
  }

  private void dispatch(RoutingContext ctx) {
    String target = ctx.request().getHeader("X-Amz-Target");
    if (target == null || !target.startsWith(TARGET_PREFIX)) {
      error(ctx, 400, "UnknownOperationException", "Missing or unknown X-Amz-Target header: " + target);
      return;
    }
    JsonNode request;
    try {
      String body = ctx.body().asString();
      request = body == null || body.isBlank() ? Json.object() : Json.parse(body);
      if (!request.isObject()) {
        throw new IllegalArgumentException("the body must be a JSON object");
      }
    } catch (IllegalArgumentException e) {
      error(ctx, 400, "SerializationException", "The request body is not valid JSON: " + e.getMessage());
      return;
    }
    String actionName = target.substring(TARGET_PREFIX.length());
    Function<JsonNode, ObjectNode> action = switch (actionName) {
      case "CreateStateMachine" -> this::createStateMachine;
      case "UpdateStateMachine" -> this::updateStateMachine;
      case "DescribeStateMachine" -> this::describeStateMachine;
      case "DescribeStateMachineForExecution" -> this::describeStateMachineForExecution;
      case "ListStateMachines" -> this::listStateMachines;
      case "DeleteStateMachine" -> this::deleteStateMachine;
      case "StartExecution" -> this::startExecution;
      case "DescribeExecution" -> this::describeExecution;
      case "ListExecutions" -> this::listExecutions;
      case "GetExecutionHistory" -> this::executionHistory;
      case "StopExecution" -> this::stopExecution;
      case "SendTaskSuccess" -> this::sendTaskSuccess;
      case "SendTaskFailure" -> this::sendTaskFailure;
      case "SendTaskHeartbeat" -> this::sendTaskHeartbeat;
      case "ValidateStateMachineDefinition" -> this::validateDefinition;
      case "TagResource" -> this::tagResource;
      case "UntagResource" -> this::untagResource;
      case "ListTagsForResource" -> this::listTags;
      default -> null;
    };
    if (action == null) {
      error(ctx, 400, "UnknownOperationException", "The local Step Functions does not support " + target);
      return;
    }
    try {
      access.check(ctx.request(), ctx.body().buffer(), actionName, resourceOf(actionName, request));
      throttle.admit(actionName, request);
      ctx.response().putHeader("Content-Type", CONTENT_TYPE).end(Json.write(action.apply(request)));
    } catch (StepFunctionsException e) {
      error(ctx, 400, e.code(), e.getMessage());
    } catch (RuntimeException e) {
      LOG.error("{} failed", target, e);
      error(ctx, 500, "InternalFailure", "The local Step Functions failed to handle " + target);
    }
  }

  /** The resource an action concerns, as Step Functions authorizes it; {@code *} for the account's. */
  private String resourceOf(String action, JsonNode request) {
    String field = switch (action) {
      case "UpdateStateMachine", "DescribeStateMachine", "DeleteStateMachine", "StartExecution",
           "ListExecutions" -> "stateMachineArn";
      case "DescribeExecution", "DescribeStateMachineForExecution", "GetExecutionHistory", "StopExecution" ->
          "executionArn";
      case "TagResource", "UntagResource", "ListTagsForResource" -> "resourceArn";
      default -> null;
    };
    if (action.equals("CreateStateMachine") && request.path("name").isTextual()) {
      StepFunctionsConfig config = engine.config();
      return "arn:aws:states:" + config.region() + ":" + config.accountId() + ":stateMachine:"
          + request.get("name").textValue();
    }
    return field != null && request.path(field).isTextual() ? request.get(field).textValue() : "*";
  }

  /**
   * A request line or header section over the limits, or bytes that are not HTTP, refused by the parser: answered
   * in AWS JSON like every other error (Vert.x would answer an empty 414, 431 or 400), then the connection closes.
   */
  private static void unreadable(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    int status = cause instanceof TooLongHttpLineException ? 414
        : cause instanceof TooLongHttpHeaderException ? 431 : 400;
    String code = switch (status) {
      case 414 -> "RequestURITooLongException";
      case 431 -> "RequestHeaderFieldsTooLargeException";
      default -> "SerializationException";
    };
    String message = switch (status) {
      case 414 -> "The request line is longer than " + MAX_REQUEST_LINE + " bytes";
      case 431 -> "The request headers are larger than " + MAX_HEADERS + " bytes";
      default -> "The request could not be parsed as HTTP";
    };
    request.response().setStatusCode(status).putHeader("Content-Type", CONTENT_TYPE)
        .putHeader("x-amzn-ErrorType", code).putHeader("Connection", "close")
        .end(Json.write(Json.object().put("__type", code).put("message", message)))
        .onComplete(written -> request.connection().close());
  }

  private static void error(RoutingContext ctx, int status, String code, String message) {
    ObjectNode body = Json.object().put("__type", code).put("message", message);
    ctx.response().setStatusCode(status).putHeader("Content-Type", CONTENT_TYPE)
        .putHeader("x-amzn-ErrorType", code).end(Json.write(body));
  }

  private ObjectNode createStateMachine(JsonNode request) {
    StateMachine machine = engine.createStateMachine(required(request, "name"), required(request, "definition"),
        text(request, "roleArn"), text(request, "type"));
    if (request.has("tags")) {
      engine.tagResource(machine.arn(), tags(request));
    }
    return Json.object().put("stateMachineArn", machine.arn()).put("creationDate", epoch(machine.creationDate()));
  }

  private ObjectNode updateStateMachine(JsonNode request) {
    StateMachine machine = engine.updateStateMachine(required(request, "stateMachineArn"),
        text(request, "definition"), text(request, "roleArn"));
    return Json.object().put("updateDate", epoch(machine.updateDate())).put("revisionId", machine.revisionId());
  }

  private ObjectNode describeStateMachine(JsonNode request) {
    return stateMachine(engine.describeStateMachine(required(request, "stateMachineArn")));
  }

  private ObjectNode describeStateMachineForExecution(JsonNode request) {
    StateMachine machine = engine.describeExecution(required(request, "executionArn")).stateMachine();
    ObjectNode body = stateMachine(machine);
    body.remove("status");
    body.remove("type");
    body.remove("creationDate");
    body.put("updateDate", epoch(machine.updateDate()));
    return body;
  }

  private static ObjectNode stateMachine(StateMachine machine) {
    ObjectNode body = Json.object()
        .put("stateMachineArn", machine.arn())
        .put("name", machine.name())
        .put("status", "ACTIVE")
        .put("definition", machine.definition())
        .put("roleArn", machine.roleArn())
        .put("type", machine.type())
        .put("creationDate", epoch(machine.creationDate()))
        .put("revisionId", machine.revisionId());
    body.putObject("loggingConfiguration").put("level", "OFF").put("includeExecutionData", false);
    return body;
  }

  private ObjectNode listStateMachines(JsonNode request) {
    ObjectNode body = Json.object();
    ArrayNode items = body.putArray("stateMachines");
    page(engine.listStateMachines(), request, body).forEach(machine -> items.addObject()
        .put("stateMachineArn", machine.arn())
        .put("name", machine.name())
        .put("type", machine.type())
        .put("creationDate", epoch(machine.creationDate())));
    return body;
  }

  private ObjectNode deleteStateMachine(JsonNode request) {
    engine.deleteStateMachine(required(request, "stateMachineArn"));
    return Json.object();
  }

  private ObjectNode startExecution(JsonNode request) {
    Execution execution = engine.startExecution(required(request, "stateMachineArn"), text(request, "name"),
        text(request, "input"), text(request, "traceHeader"));
    return Json.object().put("executionArn", execution.arn()).put("startDate", epoch(execution.startDate()));
  }

  private ObjectNode describeExecution(JsonNode request) {
    Execution execution = engine.describeExecution(required(request, "executionArn"));
    ObjectNode body = executionSummary(execution);
    body.put("input", execution.input());
    body.putObject("inputDetails").put("included", true);
    if (execution.output() != null) {
      body.put("output", execution.output());
      body.putObject("outputDetails").put("included", true);
    }
    if (execution.error() != null) {
      body.put("error", execution.error());
    }
    if (execution.cause() != null) {
      body.put("cause", execution.cause());
    }
    if (execution.traceHeader() != null) {
      body.put("traceHeader", execution.traceHeader());
    }
    body.put("redriveCount", 0);
    return body;
  }

  private static ObjectNode executionSummary(Execution execution) {
    ObjectNode body = Json.object()
        .put("executionArn", execution.arn())
        .put("stateMachineArn", execution.stateMachine().arn())
        .put("name", execution.name())
        .put("status", execution.status().name())
        .put("startDate", epoch(execution.startDate()));
    if (execution.stopDate() != null) {
      body.put("stopDate", epoch(execution.stopDate()));
    }
    return body;
  }

  private ObjectNode listExecutions(JsonNode request) {
    String statusFilter = text(request, "statusFilter");
    ExecutionStatus status = null;
    if (statusFilter != null) {
      try {
        status = ExecutionStatus.valueOf(statusFilter);
      } catch (IllegalArgumentException e) {
        throw new StepFunctionsException("ValidationException", "Invalid statusFilter: " + statusFilter);
      }
    }
    ObjectNode body = Json.object();
    ArrayNode items = body.putArray("executions");
    page(engine.listExecutions(required(request, "stateMachineArn"), status), request, body)
        .forEach(execution -> items.add(executionSummary(execution)));
    return body;
  }

  private ObjectNode executionHistory(JsonNode request) {
    List<HistoryEvent> events = engine.executionHistory(required(request, "executionArn"));
    if (request.path("reverseOrder").asBoolean(false)) {
      events = events.reversed();
    }
    boolean includeData = request.path("includeExecutionData").asBoolean(true);
    ObjectNode body = Json.object();
    ArrayNode items = body.putArray("events");
    for (HistoryEvent event : page(events, request, body)) {
      ObjectNode item = items.addObject()
          .put("timestamp", epoch(event.timestamp()))
          .put("type", event.type())
          .put("id", event.id())
          .put("previousEventId", event.previousEventId());
      if (event.detailsField() != null) {
        ObjectNode details = event.details().deepCopy();
        if (!includeData) {
          details.remove(List.of("input", "output", "parameters"));
        }
        item.set(event.detailsField(), details);
      }
    }
    return body;
  }

  private ObjectNode stopExecution(JsonNode request) {
    Execution execution = engine.stopExecution(required(request, "executionArn"), text(request, "error"),
        text(request, "cause"));
    return Json.object().put("stopDate", epoch(execution.stopDate()));
  }

  private ObjectNode sendTaskSuccess(JsonNode request) {
    engine.sendTaskSuccess(required(request, "taskToken"), required(request, "output"));
    return Json.object();
  }

  private ObjectNode sendTaskFailure(JsonNode request) {
    engine.sendTaskFailure(required(request, "taskToken"), text(request, "error"), text(request, "cause"));
    return Json.object();
  }

  private ObjectNode sendTaskHeartbeat(JsonNode request) {
    engine.sendTaskHeartbeat(required(request, "taskToken"));
    return Json.object();
  }

  private ObjectNode validateDefinition(JsonNode request) {
    List<String> problems = engine.validateDefinition(required(request, "definition"));
    ObjectNode body = Json.object().put("result", problems.isEmpty() ? "OK" : "FAIL");
    ArrayNode diagnostics = body.putArray("diagnostics");
    for (String problem : problems) {
      int codeEnd = Math.max(0, problem.indexOf(": "));
      int locationStart = problem.lastIndexOf(" at ");
      boolean located = locationStart > codeEnd;
      diagnostics.addObject()
          .put("severity", "ERROR")
          .put("code", problem.substring(0, codeEnd))
          .put("message", problem.substring(codeEnd == 0 ? 0 : codeEnd + 2,
              located ? locationStart : problem.length()))
          .put("location", located ? problem.substring(locationStart + 4) : "/");
    }
    body.put("truncated", false);
    return body;
  }

  private ObjectNode tagResource(JsonNode request) {
    engine.tagResource(required(request, "resourceArn"), tags(request));
    return Json.object();
  }

  private ObjectNode untagResource(JsonNode request) {
    List<String> keys = new ArrayList<>();
    request.path("tagKeys").forEach(key -> keys.add(key.asText()));
    engine.untagResource(required(request, "resourceArn"), keys);
    return Json.object();
  }

  private ObjectNode listTags(JsonNode request) {
    ObjectNode body = Json.object();
    ArrayNode items = body.putArray("tags");
    engine.listTags(required(request, "resourceArn"))
        .forEach((key, value) -> items.addObject().put("key", key).put("value", value));
    return body;
  }

  private static Map<String, String> tags(JsonNode request) {
    Map<String, String> tags = new LinkedHashMap<>();
    for (JsonNode tag : request.path("tags")) {
      if (!tag.path("key").isTextual()) {
        throw new StepFunctionsException("ValidationException", "Every tag needs a string key");
      }
      tags.put(tag.get("key").textValue(), tag.path("value").asText(""));
    }
    return tags;
  }

  /** One page of {@code items} by maxResults and the opaque nextToken (here an offset), setting the next one. */
  private static <T> List<T> page(List<T> items, JsonNode request, ObjectNode body) {
    int size = request.path("maxResults").asInt(0);
    if (size < 0 || size > 1000) {
      throw new StepFunctionsException("ValidationException", "maxResults must be between 0 and 1000");
    }
    if (size == 0) {
      size = DEFAULT_PAGE_SIZE;
    }
    int offset = 0;
    String token = text(request, "nextToken");
    if (token != null) {
      try {
        offset = Integer.parseInt(token);
      } catch (NumberFormatException e) {
        throw new StepFunctionsException("InvalidToken", "Invalid nextToken: " + token);
      }
      if (offset < 0 || offset > items.size()) {
        throw new StepFunctionsException("InvalidToken", "Invalid nextToken: " + token);
      }
    }
    int end = Math.min(items.size(), offset + size);
    if (end < items.size()) {
      body.put("nextToken", String.valueOf(end));
    }
    return items.subList(offset, end);
  }

  private static String required(JsonNode request, String field) {
    String value = text(request, field);
    if (value == null) {
      throw new StepFunctionsException("ValidationException", "1 validation error detected: Value null at '"
          + field + "' failed to satisfy constraint: Member must not be null");
    }
    return value;
  }

  private static String text(JsonNode request, String field) {
    JsonNode value = request.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw new StepFunctionsException("ValidationException", "The field '" + field + "' must be a string");
    }
    return value.textValue();
  }

  private static double epoch(Instant instant) {
    return instant.toEpochMilli() / 1000.0;
  }
}
