package dev.boxoffice.local.stepfunctions;

import com.dashjoin.jsonata.JException;
import com.dashjoin.jsonata.Jsonata;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * JSONata for ASL through com.dashjoin:jsonata, with the functions Step Functions adds ($partition, $range, $hash,
 * $random, $uuid, $parse) and the {@code $states} and workflow variables bound.
 */
final class JsonataEvaluator {

  private static final int MAX_CACHED_EXPRESSIONS = 10_000;
  private static final Map<String, String> COMPILE_ERRORS = new ConcurrentHashMap<>();

  private JsonataEvaluator() {
  }

  static boolean isExpression(JsonNode value) {
    return value != null && value.isTextual() && isExpression(value.textValue());
  }

  static boolean isExpression(String text) {
    String trimmed = text.trim();
    return trimmed.startsWith("{%") && trimmed.endsWith("%}") && trimmed.length() >= 4;
  }

  static String body(String text) {
    String trimmed = text.trim();
    return trimmed.substring(2, trimmed.length() - 2).trim();
  }

  /** The parse error of an expression, or null when it compiles. */
  static String compileError(String expression) {
    if (COMPILE_ERRORS.size() > MAX_CACHED_EXPRESSIONS) {
      COMPILE_ERRORS.clear();
    }
    String error = COMPILE_ERRORS.computeIfAbsent(expression, text -> {
      try {
        Jsonata.jsonata(text);
        return "";
      } catch (JException e) {
        return describe(e);
      } catch (RuntimeException e) {
        return String.valueOf(e.getMessage());
      }
    });
    return error.isEmpty() ? null : error;
  }

  /**
   * Evaluates {@code expression} with {@code $states} and the variables bound.
   *
   * @param field where the expression sits, as AWS names it in its error message, e.g. {@code Output/FunctionResult}
   */
  static JsonNode evaluate(String expression, JsonNode states, Map<String, JsonNode> variables, String stateName,
      long enteredEventId, String field) {
    try {
      Jsonata compiled = Jsonata.jsonata(expression);
      // Keeps JSON null apart from undefined (no result): AWS fails only on the latter.
      compiled.setOutputConvertNulls(false);
      Jsonata.Frame frame = compiled.createFrame();
      frame.bind("states", toJava(states));
      for (Map.Entry<String, JsonNode> variable : variables.entrySet()) {
        frame.bind(variable.getKey(), toJava(variable.getValue()));
      }
      bindAwsFunctions(frame);
      Object result = compiled.evaluate(null, frame);
      if (result == null) {
        throw new StatesError(StatesError.QUERY_EVALUATION_ERROR, prefix(stateName, enteredEventId)
            + "The JSONata expression '" + expression + "' specified for the field '" + field
            + "' returned nothing (undefined).");
      }
      try {
        return toJson(result);
      } catch (UnsupportedValue e) {
        throw new StatesError(StatesError.QUERY_EVALUATION_ERROR, prefix(stateName, enteredEventId)
            + "The JSONata expression '" + expression + "' specified for the field '" + field
            + "' returned an unsupported result type.");
      }
    } catch (JException e) {
      throw new StatesError(StatesError.QUERY_EVALUATION_ERROR, prefix(stateName, enteredEventId)
          + "The JSONata expression '" + expression + "' specified for the field '" + field
          + "' threw an error during evaluation. " + describe(e));
    } catch (StatesError e) {
      throw e;
    } catch (RuntimeException e) {
      throw new StatesError(StatesError.QUERY_EVALUATION_ERROR, prefix(stateName, enteredEventId)
          + "The JSONata expression '" + expression + "' specified for the field '" + field
          + "' threw an error during evaluation. " + e.getMessage());
    }
  }

  private static String prefix(String stateName, long enteredEventId) {
    return "An error occurred while executing the state '" + stateName + "' (entered at the event id #"
        + enteredEventId + "). ";
  }

  private static String describe(JException e) {
    return e.getError() == null ? e.getMessage() : e.getError() + ": " + e.getMessage();
  }

  private static void bindAwsFunctions(Jsonata.Frame frame) {
    frame.bind("partition", Jsonata.function("partition", (List<?> args) -> {
      expect(args, "$partition(array, size)", List.class, Number.class);
      List<?> array = (List<?>) args.get(0);
      int size = ((Number) args.get(1)).intValue();
      if (size <= 0) {
        throw new IllegalArgumentException("$partition needs a positive chunk size");
      }
      List<List<Object>> chunks = new ArrayList<>();
      for (int i = 0; i < array.size(); i += size) {
        chunks.add(new ArrayList<>(array.subList(i, Math.min(array.size(), i + size))));
      }
      return chunks;
    }, null));
    frame.bind("range", Jsonata.function("range", (List<?> args) -> {
      expect(args, "$range(start, end, step)", Number.class, Number.class, Number.class);
      long start = ((Number) args.get(0)).longValue();
      long end = ((Number) args.get(1)).longValue();
      long step = ((Number) args.get(2)).longValue();
      if (step == 0) {
        throw new IllegalArgumentException("$range needs a step other than 0");
      }
      List<Object> values = new ArrayList<>();
      for (long value = start; step > 0 ? value <= end : value >= end; value += step) {
        values.add(value);
      }
      // JSONata sequences of one item collapse to the item; AWS's $range behaves that way.
      return values.size() == 1 ? values.get(0) : values;
    }, null));
    frame.bind("hash", Jsonata.function("hash", (List<?> args) -> {
      expect(args, "$hash(text, algorithm)", String.class, String.class);
      String algorithm = String.valueOf(args.get(1));
      if (!Set.of("MD5", "SHA-1", "SHA-256", "SHA-384", "SHA-512").contains(algorithm)) {
        throw new IllegalArgumentException("$hash does not support the algorithm " + algorithm);
      }
      try {
        return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm)
            .digest(String.valueOf(args.get(0)).getBytes(StandardCharsets.UTF_8)));
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }, null));
    frame.bind("random", Jsonata.function("random", (List<?> args) -> ThreadLocalRandom.current().nextDouble(),
        null));
    frame.bind("uuid", Jsonata.function("uuid", (List<?> args) -> UUID.randomUUID().toString(), null));
    frame.bind("parse", Jsonata.function("parse", (List<?> args) -> {
      expect(args, "$parse(text)", String.class);
      try {
        return toJava(Json.parse(String.valueOf(args.get(0))));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("$parse got text that is not JSON: " + e.getMessage());
      }
    }, null));
  }

  private static void expect(List<?> args, String signature, Class<?>... types) {
    boolean matches = args.size() == types.length;
    for (int i = 0; matches && i < types.length; i++) {
      matches = types[i].isInstance(args.get(i));
    }
    if (!matches) {
      throw new IllegalArgumentException("The arguments do not match " + signature);
    }
  }

  static Object toJava(JsonNode node) {
    if (node == null || node.isMissingNode()) {
      return null;
    }
    if (node.isNull()) {
      return Jsonata.NULL_VALUE;
    }
    if (node.isObject()) {
      Map<String, Object> map = new LinkedHashMap<>();
      Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        map.put(field.getKey(), toJava(field.getValue()));
      }
      return map;
    }
    if (node.isArray()) {
      List<Object> list = new ArrayList<>(node.size());
      for (JsonNode element : node) {
        list.add(toJava(element));
      }
      return list;
    }
    if (node.isIntegralNumber()) {
      return node.canConvertToLong() ? (Object) node.longValue() : node.doubleValue();
    }
    if (node.isNumber()) {
      return node.doubleValue();
    }
    if (node.isBoolean()) {
      return node.booleanValue();
    }
    return node.asText();
  }

  static JsonNode toJson(Object value) {
    if (value == null || value == Jsonata.NULL_VALUE) {
      return Json.NODES.nullNode();
    }
    if (value instanceof Map<?, ?> map) {
      ObjectNode object = Json.object();
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        object.set(String.valueOf(entry.getKey()), toJson(entry.getValue()));
      }
      return object;
    }
    if (value instanceof List<?> list) {
      ArrayNode array = Json.NODES.arrayNode();
      for (Object element : list) {
        array.add(toJson(element));
      }
      return array;
    }
    if (value instanceof Double || value instanceof Float || value instanceof BigDecimal) {
      double number = ((Number) value).doubleValue();
      if (number == Math.rint(number) && Math.abs(number) < 1e15) {
        return Json.integer((long) number);
      }
      return Json.NODES.numberNode(number);
    }
    if (value instanceof BigInteger big) {
      return Json.NODES.numberNode(big);
    }
    if (value instanceof Number number) {
      return Json.integer(number.longValue());
    }
    if (value instanceof Boolean bool) {
      return Json.NODES.booleanNode(bool);
    }
    if (value instanceof String text) {
      return Json.NODES.textNode(text);
    }
    throw new UnsupportedValue();
  }

  /** A result that has no JSON form, such as a function. */
  static final class UnsupportedValue extends RuntimeException {
    UnsupportedValue() {
      super("not a JSON value", null, false, false);
    }
  }
}
