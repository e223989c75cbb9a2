package dev.boxoffice.local.aws.testhandlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test-only Lambda handler: answers with what it received (route, parameters, body, its environment and Context),
 * and echoes binary bodies back as binary.
 */
public class EchoHandler implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {

  public static final AtomicInteger CONSTRUCTED = new AtomicInteger();

  private final Map<String, String> environment;

  public EchoHandler(Map<String, String> environment) {
    this.environment = environment;
    CONSTRUCTED.incrementAndGet();
  }

  @Override
  public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent request, Context context) {
    if (Boolean.TRUE.equals(request.getIsBase64Encoded())) {
      return new APIGatewayProxyResponseEvent()
          .withStatusCode(200)
          .withHeaders(Map.of("Content-Type", request.getHeaders().get("Content-Type")))
          .withBody(request.getBody())
          .withIsBase64Encoded(true);
    }
    JsonObject echo = new JsonObject()
        .put("resource", request.getResource())
        .put("path", request.getPath())
        .put("httpMethod", request.getHttpMethod())
        .put("pathParameters", request.getPathParameters())
        .put("queryStringParameters", request.getQueryStringParameters())
        .put("body", request.getBody())
        .put("isBase64Encoded", request.getIsBase64Encoded())
        .put("stage", request.getRequestContext().getStage())
        .put("environment", environment)
        .put("functionName", context.getFunctionName())
        .put("memoryLimitInMB", context.getMemoryLimitInMB())
        .put("remainingTimeInMillis", context.getRemainingTimeInMillis())
        .put("constructed", CONSTRUCTED.get())
        .put("onEventLoop", io.vertx.core.Context.isOnEventLoopThread());
    return new APIGatewayProxyResponseEvent()
        .withStatusCode(request.getHttpMethod().equals("POST") ? 201 : 200)
        .withHeaders(Map.of("Content-Type", "application/json", "Access-Control-Allow-Origin", "*"))
        .withBody(echo.encode());
  }
}
