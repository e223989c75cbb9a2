package dev.boxoffice.local.aws.apigateway;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import dev.boxoffice.local.aws.UnreadableRequest;
import dev.boxoffice.local.aws.cloudformation.ApiMethod;
import dev.boxoffice.local.aws.cloudformation.CloudFormationTemplate;
import dev.boxoffice.local.aws.cloudformation.RestApiDefinition;
import dev.boxoffice.local.aws.iam.Decision;
import dev.boxoffice.local.aws.iam.LocalIam;
import dev.boxoffice.local.aws.lambda.LambdaFunctionError;
import dev.boxoffice.local.aws.lambda.LambdaInvoker;
import dev.boxoffice.local.aws.lambda.LambdaServiceError;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * API Gateway for the local stack: serves the REST API methods of the CloudFormation template on 127.0.0.1 and hands
 * each request to its Lambda proxy integration as an {@link APIGatewayProxyRequestEvent}. Paths are served from the
 * root (no stage prefix). Unlike API Gateway, which answers 403 "Missing Authentication Token" for both, an unknown
 * path answers 404 and a known path with an unknown method 405, so a wrong URL is obvious during development.
 *
 * <p>Longer than most classes on purpose: the whole translation between an HTTP request and API Gateway's proxy
 * event (and back), CORS and the integration's errors, which must agree with each other, is read here in one piece.
 */
public final class ApiGatewayRouter extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(ApiGatewayRouter.class);
  private static final long MAX_PAYLOAD_BYTES = 10L * 1024 * 1024;
  /** API Gateway's quota on the request line and header values together, 10,240 bytes. */
  private static final int MAX_REQUEST_LINE_AND_HEADERS = 10 * 1024;
  private static final String STAGE = "local";

  private final RouteTable routes;
  private final List<String> binaryMediaTypes;
  private final Map<String, Map<String, String>> gatewayResponseHeaders;
  private final String apiId;
  private final String restApiId;
  private final LambdaInvoker lambdas;
  private final LocalIam permissions;
  private final int port;
  private final PojoSerializer<APIGatewayProxyRequestEvent> eventSerializer =
      LambdaEventSerializers.serializerFor(APIGatewayProxyRequestEvent.class, getClass().getClassLoader());
  private HttpServer server;

  /**
   * A router that invokes its functions without asking whether API Gateway may.
   *
   * @param port port on 127.0.0.1, 0 for a free one (see {@link #actualPort()})
   */
  public ApiGatewayRouter(CloudFormationTemplate template, LambdaInvoker lambdas, int port) {
    this(template, lambdas, port, null);
  }

  /**
   * A router whose invocations need the function's permission for API Gateway ({@code AWS::Lambda::Permission} with
   * the route's source ARN), as in AWS: without it a route answers 500.
   */
  public ApiGatewayRouter(CloudFormationTemplate template, LambdaInvoker lambdas, int port, LocalIam permissions) {
    List<RestApiDefinition> apis = template.restApis();
    List<ApiMethod> methods = new ArrayList<>();
    List<String> binaryTypes = new ArrayList<>();
    Map<String, Map<String, String>> responseHeaders = new LinkedHashMap<>();
    apis.forEach(api -> {
      methods.addAll(api.methods());
      binaryTypes.addAll(api.binaryMediaTypes());
      responseHeaders.putAll(api.gatewayResponseHeaders());
    });
    this.routes = new RouteTable(methods);
    this.binaryMediaTypes = List.copyOf(binaryTypes);
    this.gatewayResponseHeaders = Map.copyOf(responseHeaders);
    this.apiId = apis.isEmpty() ? "none" : apis.getFirst().logicalId().toLowerCase();
    this.restApiId = apis.isEmpty() ? "none" : template.ref(apis.getFirst().logicalId());
    this.lambdas = lambdas;
    this.port = port;
    this.permissions = permissions;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    router.route().handler(this::refuseOversizedHead);
    router.route().handler(BodyHandler.create(false).setBodyLimit(MAX_PAYLOAD_BYTES));
    router.route().handler(this::dispatch);
    router.errorHandler(413, context -> apiError(context.response(), 413, "Request Too Long"));
    router.errorHandler(500, context -> {
      LOG.error("router failure on {} {}", context.request().method(), context.request().path(), context.failure());
      apiError(context.response(), 500, "Internal server error");
    });
    return vertx.createHttpServer(
            UnreadableRequest.limitedTo(MAX_REQUEST_LINE_AND_HEADERS, MAX_REQUEST_LINE_AND_HEADERS))
        .requestHandler(router)
        .invalidRequestHandler(request -> unreadable(request, UnreadableRequest.of(request)))
        .listen(port, "127.0.0.1")
        .onSuccess(listening -> {
          server = listening;
          LOG.info("API Gateway listening at {}", endpoint());
        });
  }

  public int actualPort() {
    return server.actualPort();
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + actualPort());
  }

  /**
   * The parser limits the request line and the headers one at a time; API Gateway's quota is on both together, so a
   * request under each limit can still be over the quota.
   */
  private void refuseOversizedHead(RoutingContext context) {
    HttpServerRequest request = context.request();
    int requestLine = request.method().name().length() + request.uri().length() + " HTTP/1.1\r\n ".length();
    int headers = 0;
    for (Map.Entry<String, String> header : request.headers()) {
      headers += header.getKey().length() + header.getValue().length() + ": \r\n".length();
    }
    if (requestLine + headers > MAX_REQUEST_LINE_AND_HEADERS) {
      unreadable(request, requestLine > headers
          ? UnreadableRequest.URI_TOO_LONG : UnreadableRequest.HEADERS_TOO_LARGE);
    } else {
      context.next();
    }
  }

  private void unreadable(HttpServerRequest request, UnreadableRequest why) {
    gatewayResponseHeaders.getOrDefault("DEFAULT_4XX", Map.of()).forEach(request.response()::putHeader);
    why.answer(request, "application/json", new JsonObject().put("message", why.reason()).encode());
  }

  private void dispatch(RoutingContext context) {
    String method = context.request().method().name();
    Optional<RouteTable.Match> match;
    try {
      match = routes.match(decodedSegments(context.request().path()));
    } catch (IllegalArgumentException malformedEscape) {
      apiError(context.response(), 400, "Bad Request");
      return;
    }
    if (match.isEmpty()) {
      apiError(context.response(), 404, "Not Found");
      return;
    }
    Optional<ApiMethod> apiMethod = match.get().resource().method(method);
    if (apiMethod.isEmpty()) {
      context.response().putHeader("Allow", String.join(", ", match.get().resource().allowedMethods()));
      apiError(context.response(), 405, "Method Not Allowed");
      return;
    }
    switch (apiMethod.get().integration()) {
      case ApiMethod.Mock mock -> {
        mock.headers().forEach(context.response()::putHeader);
        context.response().setStatusCode(mock.statusCode()).end();
      }
      case ApiMethod.LambdaProxy proxy -> {
        if (!mayInvoke(apiMethod.get(), method, proxy.functionName())) {
          apiError(context.response(), 500, "Internal server error");
          return;
        }
        String event = eventJson(context, apiMethod.get(), match.get().pathParameters());
        lambdas.invoke(proxy.functionName(), event)
            .onSuccess(result -> writeProxyResponse(context.response(), proxy.functionName(), result))
            .onFailure(failure -> integrationFailed(context.response(), proxy.functionName(), failure));
      }
    }
  }

  /** Whether the function's resource policy lets API Gateway invoke it for this route, as Lambda checks it. */
  private boolean mayInvoke(ApiMethod apiMethod, String httpMethod, String functionName) {
    if (permissions == null) {
      return true;
    }
    String sourceArn = "arn:aws:execute-api:" + permissions.region() + ":" + permissions.account() + ":"
        + restApiId + "/" + STAGE + "/" + httpMethod + apiMethod.resourcePath();
    String functionArn = "arn:aws:lambda:" + permissions.region() + ":" + permissions.account() + ":function:"
        + functionName;
    Decision decision = permissions.authorize(permissions.serviceCall("apigateway.amazonaws.com", sourceArn),
        "lambda:InvokeFunction", functionArn);
    if (!decision.allowed()) {
      LOG.warn("Execution failed due to configuration error: Invalid permissions on Lambda function {} for {}",
          functionName, sourceArn);
    }
    return decision.allowed();
  }

  private String eventJson(RoutingContext context, ApiMethod method, Map<String, String> pathParameters) {
    var request = context.request();
    String requestId = UUID.randomUUID().toString();
    Map<String, String> headers = new LinkedHashMap<>();
    Map<String, List<String>> multiValueHeaders = new LinkedHashMap<>();
    request.headers().forEach(header -> {
      headers.put(header.getKey(), header.getValue());
      multiValueHeaders.computeIfAbsent(header.getKey(), name -> new ArrayList<>()).add(header.getValue());
    });
    Map<String, String> query = new LinkedHashMap<>();
    Map<String, List<String>> multiValueQuery = new LinkedHashMap<>();
    context.queryParams().forEach(parameter -> {
      query.put(parameter.getKey(), parameter.getValue());
      multiValueQuery.computeIfAbsent(parameter.getKey(), name -> new ArrayList<>()).add(parameter.getValue());
    });
    Buffer body = context.body().buffer();
    boolean binary = body != null && body.length() > 0 && isBinary(request.getHeader("Content-Type"));
    String bodyText = body == null || body.length() == 0
        ? null
        : binary ? Base64.getEncoder().encodeToString(body.getBytes()) : body.toString(StandardCharsets.UTF_8);
    APIGatewayProxyRequestEvent event = new APIGatewayProxyRequestEvent()
        .withResource(method.resourcePath())
        .withPath(request.path())
        .withHttpMethod(request.method().name())
        .withHeaders(headers.isEmpty() ? null : headers)
        .withMultiValueHeaders(multiValueHeaders.isEmpty() ? null : multiValueHeaders)
        .withQueryStringParameters(query.isEmpty() ? null : query)
        .withMultiValueQueryStringParameters(multiValueQuery.isEmpty() ? null : multiValueQuery)
        .withPathParameters(pathParameters.isEmpty() ? null : pathParameters)
        .withBody(bodyText)
        .withIsBase64Encoded(binary)
        .withRequestContext(new APIGatewayProxyRequestEvent.ProxyRequestContext()
            .withAccountId("000000000000")
            .withApiId(apiId)
            .withStage(STAGE)
            .withRequestId(requestId)
            .withResourcePath(method.resourcePath())
            .withHttpMethod(request.method().name())
            .withPath("/" + STAGE + request.path())
            .withIdentity(new APIGatewayProxyRequestEvent.RequestIdentity()
                .withSourceIp(request.remoteAddress() == null ? null : request.remoteAddress().hostAddress())
                .withUserAgent(request.getHeader("User-Agent"))));
    ByteArrayOutputStream json = new ByteArrayOutputStream();
    eventSerializer.toJson(event, json);
    return json.toString(StandardCharsets.UTF_8);
  }

  private void writeProxyResponse(HttpServerResponse response, String functionName, String resultJson) {
    int status;
    Map<String, List<String>> headers = new LinkedHashMap<>();
    Buffer body;
    try {
      JsonObject result = new JsonObject(resultJson);
      status = result.getInteger("statusCode", 0);
      if (status < 100 || status > 599) {
        throw new IllegalArgumentException("statusCode " + status + " is not an HTTP status");
      }
      result.getJsonObject("headers", new JsonObject()).forEach(header ->
          headers.put(header.getKey(), new ArrayList<>(List.of(String.valueOf(header.getValue())))));
      result.getJsonObject("multiValueHeaders", new JsonObject()).forEach(header -> {
        List<String> values = headers.computeIfAbsent(header.getKey(), name -> new ArrayList<>());
        values.clear();
        ((JsonArray) header.getValue()).forEach(value -> values.add(String.valueOf(value)));
      });
      String bodyText = result.getString("body");
      body = bodyText == null
          ? Buffer.buffer()
          : result.getBoolean("isBase64Encoded", false)
              ? Buffer.buffer(Base64.getDecoder().decode(bodyText))
              : Buffer.buffer(bodyText);
    } catch (DecodeException | ClassCastException | IllegalArgumentException e) {
      LOG.warn("function {} returned a malformed proxy response: {}", functionName, e.getMessage());
      apiError(response, 502, "Internal server error");
      return;
    }
    headers.forEach(response::putHeader);
    response.setStatusCode(status).end(body);
  }

  /**
   * A function error is API Gateway's 502; Lambda refusing the invocation (a throttle, a missing function) is its
   * integration failure, a 500.
   */
  private void integrationFailed(HttpServerResponse response, String functionName, Throwable failure) {
    if (failure instanceof LambdaServiceError refused) {
      LOG.debug("Lambda refused invoking function {}: {} {}", functionName, refused.errorType(), refused.reason());
      apiError(response, 500, "Internal server error");
    } else if (failure instanceof LambdaFunctionError) {
      apiError(response, 502, "Internal server error");
    } else {
      LOG.error("invoking function {} failed", functionName, failure);
      apiError(response, 500, "Internal server error");
    }
  }

  private boolean isBinary(String contentType) {
    if (contentType == null) {
      return false;
    }
    String mediaType = contentType.split(";", 2)[0].trim().toLowerCase();
    for (String binaryType : binaryMediaTypes) {
      String pattern = binaryType.toLowerCase();
      if (pattern.equals("*/*") || pattern.equals(mediaType)
          || (pattern.endsWith("/*") && mediaType.startsWith(pattern.substring(0, pattern.length() - 1)))) {
        return true;
      }
    }
    return false;
  }

  private static List<String> decodedSegments(String path) {
    List<String> segments = new ArrayList<>();
    for (String segment : RouteTable.segments(path)) {
      segments.add(URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8));
    }
    return segments;
  }

  /** An error API Gateway answers itself, with the headers of the template's matching GatewayResponse. */
  private void apiError(HttpServerResponse response, int status, String message) {
    if (response.ended()) {
      return;
    }
    String specificType = switch (status) {
      case 404, 405 -> "MISSING_AUTHENTICATION_TOKEN";
      case 413 -> "REQUEST_TOO_LARGE";
      default -> "";
    };
    Map<String, String> headers = gatewayResponseHeaders.getOrDefault(specificType,
        gatewayResponseHeaders.getOrDefault(status < 500 ? "DEFAULT_4XX" : "DEFAULT_5XX", Map.of()));
    headers.forEach(response::putHeader);
    response.setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .putHeader("x-amzn-ErrorType", switch (status) {
          case 400 -> "BadRequestException";
          case 404 -> "NotFoundException";
          case 405 -> "MethodNotAllowedException";
          case 413 -> "RequestTooLongException";
          default -> "InternalServerErrorException";
        })
        .end(new JsonObject().put("message", message).encode());
  }
}
