package dev.boxoffice.local.aws.cloudformation;

import java.util.Map;

/**
 * An {@code AWS::ApiGateway::Method}: the full resource path it answers on (as API Gateway names it, e.g.
 * {@code /events/{eventId}}), its HTTP method ({@code ANY} included) and where the request goes.
 */
public record ApiMethod(String resourcePath, String httpMethod, Integration integration) {

  /** What API Gateway does with a request that matched the method. */
  public sealed interface Integration permits LambdaProxy, Mock {
  }

  /** An {@code AWS_PROXY} integration: the request goes to the function as a proxy event. */
  public record LambdaProxy(String functionName) implements Integration {
  }

  /** A {@code MOCK} integration, as used for CORS pre-flight: a fixed status and headers. */
  public record Mock(int statusCode, Map<String, String> headers) implements Integration {
  }
}
