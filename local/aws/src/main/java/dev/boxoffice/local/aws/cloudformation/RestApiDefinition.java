package dev.boxoffice.local.aws.cloudformation;

import java.util.List;
import java.util.Map;

/**
 * An {@code AWS::ApiGateway::RestApi} with its methods, the media types it passes as binary and the headers of its
 * {@code AWS::ApiGateway::GatewayResponse}s by response type ({@code DEFAULT_4XX}, {@code RESOURCE_NOT_FOUND} ...),
 * which API Gateway adds to the errors it answers itself, typically for CORS.
 */
public record RestApiDefinition(
    String logicalId,
    String name,
    List<String> binaryMediaTypes,
    List<ApiMethod> methods,
    Map<String, Map<String, String>> gatewayResponseHeaders) {
}
