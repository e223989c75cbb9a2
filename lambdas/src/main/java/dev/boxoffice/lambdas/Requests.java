package dev.boxoffice.lambdas;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.boxoffice.codecs.Json;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Reading proxy events safely: headers case-insensitively, bodies with a size cap, JSON into a codecs record. */
public final class Requests {

  private Requests() {
  }

  public static Optional<String> header(APIGatewayProxyRequestEvent request, String name) {
    Optional<String> single = firstMatching(request.getHeaders(), name);
    if (single.isPresent()) {
      return single;
    }
    Map<String, List<String>> multi = request.getMultiValueHeaders();
    if (multi == null) {
      return Optional.empty();
    }
    return multi.entrySet().stream()
        .filter(entry -> entry.getKey() != null && entry.getKey().equalsIgnoreCase(name))
        .flatMap(entry -> entry.getValue() == null ? Stream.empty() : entry.getValue().stream())
        .findFirst();
  }

  /** The media type of the body, lower-case, without parameters such as {@code ; charset=utf-8}. */
  public static Optional<String> mediaType(APIGatewayProxyRequestEvent request) {
    return header(request, "Content-Type")
        .map(value -> value.split(";", 2)[0].trim().toLowerCase(Locale.ROOT))
        .filter(value -> !value.isEmpty());
  }

  public static Optional<String> queryParameter(APIGatewayProxyRequestEvent request, String name) {
    Map<String, String> parameters = request.getQueryStringParameters();
    return parameters == null ? Optional.empty() : Optional.ofNullable(parameters.get(name));
  }

  public static String sourceIp(APIGatewayProxyRequestEvent request) {
    var context = request.getRequestContext();
    if (context == null || context.getIdentity() == null || context.getIdentity().getSourceIp() == null) {
      return "unknown";
    }
    return context.getIdentity().getSourceIp();
  }

  /** The raw body, base64-decoded when API Gateway encoded it; 413 beyond {@code maxBytes}, 400 when absent. */
  public static byte[] body(APIGatewayProxyRequestEvent request, int maxBytes) {
    String body = request.getBody();
    if (body == null || body.isEmpty()) {
      throw ApiException.badRequest("missing_body", "The request needs a body", null);
    }
    boolean encoded = Boolean.TRUE.equals(request.getIsBase64Encoded());
    long roughSize = encoded ? body.length() / 4L * 3 : body.length();
    if (roughSize > maxBytes + 3L) {
      throw ApiException.payloadTooLarge("The body may be at most " + maxBytes + " bytes");
    }
    byte[] bytes;
    if (encoded) {
      try {
        bytes = Base64.getDecoder().decode(body);
      } catch (IllegalArgumentException e) {
        throw ApiException.badRequest("malformed_body", "The body is not valid base64", null);
      }
    } else {
      bytes = body.getBytes(StandardCharsets.UTF_8);
    }
    if (bytes.length > maxBytes) {
      throw ApiException.payloadTooLarge("The body may be at most " + maxBytes + " bytes");
    }
    return bytes;
  }

  /** The JSON body read as {@code type}: 415 unless it is {@code application/json}, 400 when it does not parse. */
  public static <T> T jsonBody(APIGatewayProxyRequestEvent request, Class<T> type, int maxBytes) {
    if (!mediaType(request).filter("application/json"::equals).isPresent()) {
      throw ApiException.unsupportedMediaType("Send the body as application/json");
    }
    String json = new String(body(request, maxBytes), StandardCharsets.UTF_8);
    try {
      T value = Json.read(json, type);
      if (value == null) {
        throw ApiException.badRequest("malformed_json", "The body must be a JSON object", null);
      }
      return value;
    } catch (UnrecognizedPropertyException e) {
      throw ApiException.badRequest("unknown_field", "Unknown field '" + e.getPropertyName() + "'", fieldOf(e));
    } catch (JsonMappingException e) {
      String field = fieldOf(e);
      throw field == null
          ? ApiException.badRequest("malformed_json", "The body does not have the expected shape", null)
          : ApiException.invalidField(field, "'" + field + "' has the wrong type or format");
    } catch (JsonProcessingException e) {
      throw ApiException.badRequest("malformed_json", "The body is not valid JSON", null);
    }
  }

  private static String fieldOf(JsonMappingException e) {
    String path = e.getPath().stream()
        .map(reference -> reference.getFieldName() != null
            ? reference.getFieldName()
            : "[" + reference.getIndex() + "]")
        .collect(Collectors.joining("."))
        .replace(".[", "[");
    return path.isEmpty() ? null : path;
  }

  private static Optional<String> firstMatching(Map<String, String> headers, String name) {
    if (headers == null) {
      return Optional.empty();
    }
    return headers.entrySet().stream()
        .filter(entry -> entry.getKey() != null && entry.getKey().equalsIgnoreCase(name) && entry.getValue() != null)
        .map(Map.Entry::getValue)
        .findFirst();
  }
}
