package dev.boxoffice.local.stepfunctions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.InvalidPathException;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.PathNotFoundException;
import com.jayway.jsonpath.spi.json.JacksonJsonNodeJsonProvider;
import com.jayway.jsonpath.spi.mapper.JacksonMappingProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * JSONPath reads through Jayway json-path on Jackson trees, plus the ASL rules around it: {@code $$} addresses the
 * context object and an indefinite path that finds nothing yields an empty array.
 */
final class JsonPaths {

  private static final Configuration CONFIGURATION = Configuration.builder()
      .jsonProvider(new JacksonJsonNodeJsonProvider(Json.MAPPER))
      .mappingProvider(new JacksonMappingProvider(Json.MAPPER))
      .build();

  private static final int MAX_CACHED_PATHS = 10_000;
  private static final Map<String, JsonPath> COMPILED = new ConcurrentHashMap<>();

  private JsonPaths() {
  }

  private static JsonPath compile(String path) {
    JsonPath compiled = COMPILED.get(path);
    if (compiled == null) {
      if (COMPILED.size() >= MAX_CACHED_PATHS) {
        COMPILED.clear();
      }
      compiled = JsonPath.compile(withAwsBracketEscapes(path));
      COMPILED.put(path, compiled);
    }
    return compiled;
  }

  /**
   * Rewrites the quoted names of bracket notation so Jayway reads them as AWS does: inside {@code '...'} only
   * {@code \'} and {@code \\} are escapes, so {@code $['a\'b']} names {@code a'b} while {@code $['a\"b']} keeps
   * its backslash (Jayway alone would also unescape {@code \"}, {@code \n} and the like).
   */
  static String withAwsBracketEscapes(String path) {
    if (path.indexOf('\\') < 0) {
      return path;
    }
    StringBuilder rewritten = new StringBuilder(path.length() + 8);
    int i = 0;
    while (i < path.length()) {
      char c = path.charAt(i);
      if (c == '[' && i + 1 < path.length() && isQuote(path.charAt(i + 1))) {
        QuotedName name = quotedName(path, i + 1);
        if (name == null) {
          rewritten.append(path, i, path.length());
          break;
        }
        rewritten.append("['").append(name.value().replace("\\", "\\\\").replace("'", "\\'")).append('\'');
        i = name.end();
      } else {
        rewritten.append(c);
        i++;
      }
    }
    return rewritten.toString();
  }

  private static boolean isQuote(char c) {
    return c == '\'' || c == '"';
  }

  /** A quoted bracket name, unescaped, and the index just past its closing quote. */
  private record QuotedName(String value, int end) {
  }

  /** Reads the name quoted at {@code start} (the opening quote); null when it is not closed. */
  private static QuotedName quotedName(String path, int start) {
    char quote = path.charAt(start);
    StringBuilder value = new StringBuilder();
    int i = start + 1;
    while (i < path.length()) {
      char c = path.charAt(i);
      if (c == '\\' && i + 1 < path.length() && (path.charAt(i + 1) == quote || path.charAt(i + 1) == '\\')) {
        value.append(path.charAt(i + 1));
        i += 2;
      } else if (c == quote) {
        return new QuotedName(value.toString(), i + 1);
      } else {
        value.append(c);
        i++;
      }
    }
    return null;
  }

  static boolean isContextPath(String path) {
    return path.startsWith("$$");
  }

  /** Whether {@code path} is a JSONPath (on the input or on the context object) that Jayway compiles. */
  static boolean isValid(String path) {
    if (path == null || !path.startsWith("$")) {
      return false;
    }
    try {
      compile(isContextPath(path) ? path.substring(1) : path);
      return true;
    } catch (InvalidPathException | IllegalArgumentException e) {
      return false;
    }
  }

  /** Whether {@code path} is a valid JSONPath or a reference to a variable, with or without a path below it. */
  static boolean isValidReference(String path) {
    if (Payloads.isVariableReference(path)) {
      int end = 1;
      while (end < path.length() && path.charAt(end) != '.' && path.charAt(end) != '[') {
        end++;
      }
      return end == path.length() || isValid("$" + path.substring(end));
    }
    return isValid(path);
  }

  /**
   * Reads {@code path} from {@code input}, or from {@code context} when it starts with {@code $$}.
   *
   * @throws PathNotFoundException when a definite path does not exist
   */
  static JsonNode read(String path, JsonNode input, JsonNode context) {
    boolean onContext = isContextPath(path);
    JsonPath compiled = compile(onContext ? path.substring(1) : path);
    JsonNode root = onContext ? context : input;
    try {
      JsonNode result = JsonPath.using(CONFIGURATION).parse(root).read(compiled, JsonNode.class);
      if (result == null) {
        return Json.NODES.nullNode();
      }
      if (result.isNull() && outOfRange(onContext ? path.substring(1) : path, root)) {
        throw new PathNotFoundException("No results for path: " + path);
      }
      return result;
    } catch (PathNotFoundException e) {
      if (!compiled.isDefinite()) {
        return Json.NODES.arrayNode();
      }
      throw e;
    }
  }

  /** Jayway reads an array index past the end as null; AWS treats it as a path that is not found. */
  private static boolean outOfRange(String path, JsonNode root) {
    List<Object> segments;
    try {
      segments = referenceSegments(path);
    } catch (IllegalArgumentException notAReferencePath) {
      return false;
    }
    JsonNode current = root;
    for (Object segment : segments) {
      current = segment instanceof Integer index ? current.get(index) : current.get((String) segment);
      if (current == null) {
        return true;
      }
    }
    return false;
  }

  /** Whether a definite path exists in the input (for Choice's IsPresent). */
  static boolean exists(String path, JsonNode input, JsonNode context) {
    try {
      read(path, input, context);
      return true;
    } catch (PathNotFoundException e) {
      return false;
    }
  }

  /** Whether {@code path} is a reference path: only names and array indexes, so a value can be written there. */
  static boolean isReferencePath(String path) {
    try {
      referenceSegments(path);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * Writes {@code value} into a copy of {@code target} at the reference path {@code path}, creating objects on the
   * way as ResultPath does.
   */
  static JsonNode write(String path, JsonNode target, JsonNode value) {
    List<Object> segments = referenceSegments(path);
    if (segments.isEmpty()) {
      return value;
    }
    JsonNode root = target.deepCopy();
    if (!root.isObject() && !(root.isArray() && segments.get(0) instanceof Integer)) {
      throw new StatesError(StatesError.RESULT_PATH_MATCH_FAILURE,
          "Unable to apply ResultPath '" + path + "' to input '" + Json.write(target) + "'");
    }
    JsonNode current = root;
    for (int i = 0; i < segments.size(); i++) {
      Object segment = segments.get(i);
      boolean last = i == segments.size() - 1;
      if (segment instanceof String name) {
        if (!current.isObject()) {
          throw new StatesError(StatesError.RESULT_PATH_MATCH_FAILURE,
              "Unable to apply ResultPath '" + path + "' to input '" + Json.write(target) + "'");
        }
        ObjectNode object = (ObjectNode) current;
        if (last) {
          object.set(name, value);
        } else {
          JsonNode child = object.get(name);
          if (child == null || !(child.isObject() || child.isArray())) {
            child = object.putObject(name);
          }
          current = child;
        }
      } else {
        int index = (Integer) segment;
        if (!current.isArray() || index >= current.size()) {
          throw new StatesError(StatesError.RESULT_PATH_MATCH_FAILURE,
              "Unable to apply ResultPath '" + path + "' to input '" + Json.write(target) + "'");
        }
        ArrayNode array = (ArrayNode) current;
        if (last) {
          array.set(index, value);
        } else {
          current = array.get(index);
        }
      }
    }
    return root;
  }

  private static List<Object> referenceSegments(String path) {
    if (path == null || !path.startsWith("$") || path.startsWith("$$")) {
      throw new IllegalArgumentException(path);
    }
    List<Object> segments = new ArrayList<>();
    int i = 1;
    while (i < path.length()) {
      char c = path.charAt(i);
      if (c == '.') {
        int end = i + 1;
        while (end < path.length() && path.charAt(end) != '.' && path.charAt(end) != '[') {
          end++;
        }
        String name = path.substring(i + 1, end);
        if (name.isEmpty() || name.contains("*") || name.contains("@")) {
          throw new IllegalArgumentException(path);
        }
        segments.add(name);
        i = end;
      } else if (c == '[' && i + 1 < path.length() && isQuote(path.charAt(i + 1))) {
        QuotedName name = quotedName(path, i + 1);
        if (name == null || name.end() >= path.length() || path.charAt(name.end()) != ']') {
          throw new IllegalArgumentException(path);
        }
        segments.add(name.value());
        i = name.end() + 1;
      } else if (c == '[') {
        int end = path.indexOf(']', i);
        if (end < 0) {
          throw new IllegalArgumentException(path);
        }
        String inner = path.substring(i + 1, end).trim();
        if (inner.length() >= 2 && isQuote(inner.charAt(0)) && inner.charAt(inner.length() - 1) == inner.charAt(0)) {
          segments.add(inner.substring(1, inner.length() - 1));
        } else if (inner.matches("\\d+")) {
          segments.add(Integer.parseInt(inner));
        } else {
          throw new IllegalArgumentException(path);
        }
        i = end + 1;
      } else {
        throw new IllegalArgumentException(path);
      }
    }
    return segments;
  }
}
