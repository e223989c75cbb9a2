package dev.boxoffice.lambdas;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.boxoffice.codecs.ErrorBody;
import dev.boxoffice.codecs.Json;
import java.util.HashMap;
import java.util.Map;

/**
 * The shape every routed handler shares: a proxy event in, a proxy response out, with CORS headers on every answer,
 * {@link ApiException}s turned into their status and JSON error body, and anything unexpected logged once and
 * answered 500 without a trace. {@code BOXOFFICE_ALLOWED_ORIGIN} sets the allowed origin (default {@code *}; the API
 * authenticates with bearer tokens, not cookies).
 */
public abstract class ApiFunction
    implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {

  public static final String ALLOWED_ORIGIN = "BOXOFFICE_ALLOWED_ORIGIN";

  private final Map<String, String> corsHeaders;

  protected ApiFunction(HandlerEnvironment environment) {
    this.corsHeaders = Map.of(
        "Access-Control-Allow-Origin", environment.optional(ALLOWED_ORIGIN).orElse("*"),
        "Access-Control-Allow-Headers", "Authorization,Content-Type",
        "Access-Control-Allow-Methods", "GET,POST,OPTIONS",
        "Access-Control-Expose-Headers", "Retry-After",
        "Vary", "Origin");
  }

  /** Answers the request, or throws an {@link ApiException} for a 4xx. */
  protected abstract APIGatewayProxyResponseEvent handle(APIGatewayProxyRequestEvent request);

  @Override
  public final APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent request, Context context) {
    Log.invocation(context);
    if (request == null) {
      return error(ApiException.badRequest("malformed_request", "No request", null));
    }
    if ("OPTIONS".equals(request.getHttpMethod())) {
      return withCors(new APIGatewayProxyResponseEvent().withStatusCode(204));
    }
    try {
      return withCors(handle(request));
    } catch (ApiException e) {
      return error(e);
    } catch (RuntimeException e) {
      Log.error(getClass().getSimpleName() + " failed on " + request.getHttpMethod() + " " + request.getPath(), e);
      return withCors(json(500, ErrorBody.of("internal_error", "Something went wrong on our side; try again")));
    }
  }

  protected static APIGatewayProxyResponseEvent json(int status, Object body) {
    return new APIGatewayProxyResponseEvent()
        .withStatusCode(status)
        .withHeaders(Map.of("Content-Type", "application/json"))
        .withBody(Json.write(body))
        .withIsBase64Encoded(false);
  }

  private APIGatewayProxyResponseEvent error(ApiException e) {
    APIGatewayProxyResponseEvent response = json(e.status(), e.body());
    Map<String, String> headers = new HashMap<>(response.getHeaders());
    headers.putAll(e.headers());
    return withCors(response.withHeaders(headers));
  }

  private APIGatewayProxyResponseEvent withCors(APIGatewayProxyResponseEvent response) {
    Map<String, String> headers = new HashMap<>(corsHeaders);
    if (response.getHeaders() != null) {
      headers.putAll(response.getHeaders());
    }
    return response.withHeaders(headers);
  }
}
