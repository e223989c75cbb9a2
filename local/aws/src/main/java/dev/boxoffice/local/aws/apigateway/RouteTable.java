package dev.boxoffice.local.aws.apigateway;

import dev.boxoffice.local.aws.cloudformation.ApiMethod;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The resources of a REST API and their methods, matched the way API Gateway matches them: literal path parts beat
 * {@code {param}} parts, which beat a greedy {@code {proxy+}}.
 */
final class RouteTable {

  private final List<Resource> resources;

  RouteTable(List<ApiMethod> methods) {
    Map<String, Map<String, ApiMethod>> byPath = new LinkedHashMap<>();
    methods.forEach(method ->
        byPath.computeIfAbsent(method.resourcePath(), path -> new LinkedHashMap<>()).put(method.httpMethod(), method));
    List<Resource> sorted = new ArrayList<>();
    byPath.forEach((path, methodsOfPath) -> sorted.add(new Resource(path, segments(path), methodsOfPath)));
    sorted.sort(Comparator.comparingInt(Resource::rank).reversed());
    this.resources = List.copyOf(sorted);
  }

  /** A resource matched by a request path, with the path parameters it binds. */
  record Match(Resource resource, Map<String, String> pathParameters) {
  }

  record Resource(String path, List<String> segments, Map<String, ApiMethod> methods) {

    Optional<ApiMethod> method(String httpMethod) {
      return Optional.ofNullable(methods.get(httpMethod)).or(() -> Optional.ofNullable(methods.get("ANY")));
    }

    Set<String> allowedMethods() {
      return new TreeSet<>(methods.keySet());
    }

    private int rank() {
      int rank = 0;
      for (String segment : segments) {
        rank = rank * 3 + (isGreedy(segment) ? 0 : isParameter(segment) ? 1 : 2);
      }
      return rank * 64 + segments.size();
    }
  }

  Optional<Match> match(List<String> requestSegments) {
    for (Resource resource : resources) {
      Map<String, String> parameters = bind(resource.segments(), requestSegments);
      if (parameters != null) {
        return Optional.of(new Match(resource, parameters));
      }
    }
    return Optional.empty();
  }

  static List<String> segments(String path) {
    List<String> segments = new ArrayList<>();
    for (String segment : path.split("/")) {
      if (!segment.isEmpty()) {
        segments.add(segment);
      }
    }
    return segments;
  }

  private static Map<String, String> bind(List<String> template, List<String> request) {
    Map<String, String> parameters = new LinkedHashMap<>();
    for (int i = 0; i < template.size(); i++) {
      String part = template.get(i);
      if (isGreedy(part)) {
        if (i >= request.size()) {
          return null;
        }
        parameters.put(part.substring(1, part.length() - 2), String.join("/", request.subList(i, request.size())));
        return parameters;
      }
      if (i >= request.size()) {
        return null;
      }
      if (isParameter(part)) {
        parameters.put(part.substring(1, part.length() - 1), request.get(i));
      } else if (!part.equals(request.get(i))) {
        return null;
      }
    }
    return template.size() == request.size() ? parameters : null;
  }

  private static boolean isParameter(String segment) {
    return segment.startsWith("{") && segment.endsWith("}");
  }

  private static boolean isGreedy(String segment) {
    return segment.startsWith("{") && segment.endsWith("+}");
  }
}
