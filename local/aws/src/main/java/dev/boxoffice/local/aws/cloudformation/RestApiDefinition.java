package dev.boxoffice.local.aws.cloudformation;

import java.util.List;

/** An {@code AWS::ApiGateway::RestApi} with its methods and the media types it passes as binary. */
public record RestApiDefinition(String logicalId, String name, List<String> binaryMediaTypes, List<ApiMethod> methods) {
}
