package dev.boxoffice.local.aws.cloudformation;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Builds the REST APIs of a template from its RestApi, Resource and Method resources. */
final class ApiRoutes {

  static final String ROOT_RESOURCE_PREFIX = "root-resource-of:";
  private static final Pattern FUNCTION_IN_URI = Pattern.compile(":function:([^/:]+)");

  private final CloudFormationTemplate template;

  ApiRoutes(CloudFormationTemplate template) {
    this.template = template;
  }

  List<RestApiDefinition> restApis() {
    List<RestApiDefinition> apis = new ArrayList<>();
    template.resourceIdsOfType("AWS::ApiGateway::RestApi").forEach(apiId -> {
      JsonNode properties = template.resolvedProperties(apiId, "Name", "BinaryMediaTypes");
      List<String> binaryMediaTypes = new ArrayList<>();
      properties.path("BinaryMediaTypes").forEach(type -> binaryMediaTypes.add(type.asText().replace("~1", "/")));
      List<ApiMethod> methods = new ArrayList<>();
      template.resourceIdsOfType("AWS::ApiGateway::Method").forEach(methodId -> {
        JsonNode method = template.resolvedProperties(methodId, "RestApiId", "ResourceId", "HttpMethod", "Integration");
        if (method.path("RestApiId").asText().equals(apiId)) {
          methods.add(new ApiMethod(
              resourcePath(method.path("ResourceId").asText(), methodId),
              method.path("HttpMethod").asText().toUpperCase(),
              integration(methodId, method.path("Integration"))));
        }
      });
      apis.add(new RestApiDefinition(apiId, properties.path("Name").asText(apiId), binaryMediaTypes, methods,
          gatewayResponseHeaders(apiId)));
    });
    return apis;
  }

  private Map<String, Map<String, String>> gatewayResponseHeaders(String apiId) {
    Map<String, Map<String, String>> headersByType = new LinkedHashMap<>();
    template.resourceIdsOfType("AWS::ApiGateway::GatewayResponse").forEach(responseId -> {
      JsonNode response = template.resolvedProperties(responseId, "RestApiId", "ResponseType", "ResponseParameters");
      if (response.path("RestApiId").asText().equals(apiId)) {
        headersByType.put(response.path("ResponseType").asText(),
            headers(response.path("ResponseParameters"), "gatewayresponse.header."));
      }
    });
    return headersByType;
  }

  private static Map<String, String> headers(JsonNode responseParameters, String prefix) {
    Map<String, String> headers = new LinkedHashMap<>();
    responseParameters.properties().forEach(parameter -> {
      if (parameter.getKey().startsWith(prefix)) {
        headers.put(parameter.getKey().substring(prefix.length()), unquote(parameter.getValue().asText()));
      }
    });
    return headers;
  }

  private String resourcePath(String resourceId, String methodId) {
    List<String> parts = new ArrayList<>();
    String current = resourceId;
    while (!current.startsWith(ROOT_RESOURCE_PREFIX)) {
      if (!template.resourceIdsOfType("AWS::ApiGateway::Resource").contains(current) || parts.size() > 64) {
        throw new TemplateException(methodId + ": ResourceId " + current + " is not an AWS::ApiGateway::Resource");
      }
      JsonNode resource = template.resolvedProperties(current, "PathPart", "ParentId");
      parts.addFirst(resource.path("PathPart").asText());
      current = resource.path("ParentId").asText();
    }
    return "/" + String.join("/", parts);
  }

  private ApiMethod.Integration integration(String methodId, JsonNode integration) {
    String type = integration.path("Type").asText();
    switch (type) {
      case "AWS_PROXY" -> {
        Matcher function = FUNCTION_IN_URI.matcher(integration.path("Uri").asText());
        if (!function.find()) {
          throw new TemplateException(methodId + ": Integration.Uri names no Lambda function");
        }
        return new ApiMethod.LambdaProxy(function.group(1));
      }
      case "MOCK" -> {
        JsonNode response = integration.path("IntegrationResponses").path(0);
        return new ApiMethod.Mock(response.path("StatusCode").asInt(200),
            headers(response.path("ResponseParameters"), "method.response.header."));
      }
      default -> throw new TemplateException(
          methodId + ": integration type " + type + " is not served locally (AWS_PROXY and MOCK are)");
    }
  }

  private static String unquote(String staticValue) {
    if (staticValue.length() >= 2 && staticValue.startsWith("'") && staticValue.endsWith("'")) {
      return staticValue.substring(1, staticValue.length() - 1);
    }
    return staticValue;
  }
}
