package dev.boxoffice.local.aws.sns;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The parameters of one AWS query-protocol request, from a form-encoded body or a URL query string. */
final class QueryRequest {

  private final Map<String, String> parameters;

  private QueryRequest(Map<String, String> parameters) {
    this.parameters = parameters;
  }

  static QueryRequest parse(String encoded) {
    Map<String, String> parameters = new LinkedHashMap<>();
    if (encoded == null || encoded.isEmpty()) {
      return new QueryRequest(parameters);
    }
    for (String pair : encoded.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int equals = pair.indexOf('=');
      String name = decode(equals < 0 ? pair : pair.substring(0, equals));
      String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
      parameters.putIfAbsent(name, value);
    }
    return new QueryRequest(parameters);
  }

  private static String decode(String encoded) {
    try {
      return URLDecoder.decode(encoded, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw SnsException.malformedQueryString("The query string or form body is not valid URL encoding: "
          + e.getMessage());
    }
  }

  Optional<String> optional(String name) {
    return Optional.ofNullable(parameters.get(name));
  }

  /** A parameter SNS requires; missing or empty it answers InvalidParameter naming it. */
  String required(String name) {
    String value = parameters.get(name);
    if (value == null || value.isEmpty()) {
      throw SnsException.invalidParameter(name + " is required");
    }
    return value;
  }

  boolean flag(String name) {
    return Boolean.parseBoolean(parameters.getOrDefault(name, "false"));
  }

  /**
   * A query-protocol map such as {@code Attributes.entry.1.key / Attributes.entry.1.value}, in entry order;
   * {@code keyName}/{@code valueName} are the member names of the map ("key"/"value" or "Name"/"Value").
   */
  Map<String, String> map(String prefix, String keyName, String valueName) {
    Map<String, String> entries = new LinkedHashMap<>();
    for (int index = 1; ; index++) {
      String entry = prefix + ".entry." + index + ".";
      String key = parameters.get(entry + keyName);
      if (key == null) {
        break;
      }
      entries.put(key, parameters.getOrDefault(entry + valueName, ""));
    }
    return Collections.unmodifiableMap(entries);
  }

  /** The raw parameters under a map entry, for maps whose values are structures (MessageAttributes). */
  Map<String, Map<String, String>> structureMap(String prefix, String keyName, String valueName) {
    Map<String, Map<String, String>> entries = new LinkedHashMap<>();
    for (int index = 1; ; index++) {
      String entry = prefix + ".entry." + index + ".";
      String key = parameters.get(entry + keyName);
      if (key == null) {
        break;
      }
      String valuePrefix = entry + valueName + ".";
      Map<String, String> members = new LinkedHashMap<>();
      parameters.forEach((name, value) -> {
        if (name.startsWith(valuePrefix)) {
          members.put(name.substring(valuePrefix.length()), value);
        }
      });
      entries.put(key, members);
    }
    return entries;
  }
}
