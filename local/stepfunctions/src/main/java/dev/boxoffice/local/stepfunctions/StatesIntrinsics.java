package dev.boxoffice.local.stepfunctions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.jayway.jsonpath.PathNotFoundException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The ASL intrinsic functions ({@code States.Format(...)} and the rest): a small parser and their evaluation.
 *
 * <p>Longer than most classes on purpose: seventeen functions, each a few lines checking its arguments as AWS does
 * and naming the same error, next to the parser whose argument forms they share.
 */
final class StatesIntrinsics {

  private static final Set<String> FUNCTIONS = Set.of("States.Format", "States.StringToJson", "States.JsonToString",
      "States.Array", "States.ArrayPartition", "States.ArrayContains", "States.ArrayRange", "States.ArrayGetItem",
      "States.ArrayLength", "States.ArrayUnique", "States.Base64Encode", "States.Base64Decode", "States.Hash",
      "States.JsonMerge", "States.MathRandom", "States.MathAdd", "States.StringSplit", "States.UUID");
  private static final int MAX_ARRAY_RANGE = 1000;
  private static final int MAX_CACHED_CALLS = 10_000;
  private static final Map<String, Call> PARSED = new ConcurrentHashMap<>();

  private StatesIntrinsics() {
  }

  static boolean looksLikeCall(String text) {
    return text.startsWith("States.");
  }

  /** Parses a call so definitions are checked when created; fails with {@link IllegalArgumentException}. */
  static Call parse(String text) {
    Parser parser = new Parser(text);
    Call call = parser.call();
    parser.skipSpaces();
    if (!parser.atEnd()) {
      throw new IllegalArgumentException("unexpected text after the call at position " + parser.position);
    }
    return call;
  }

  /** What a call's path arguments read: the state input, the context object ({@code $$}) and the variables. */
  record Sources(JsonNode input, JsonNode context, Map<String, JsonNode> variables, Payloads.Site site) {
  }

  static JsonNode evaluate(String text, Sources sources) {
    Call call = PARSED.get(text);
    try {
      if (call == null) {
        if (PARSED.size() >= MAX_CACHED_CALLS) {
          PARSED.clear();
        }
        call = parse(text);
        PARSED.put(text, call);
      }
    } catch (IllegalArgumentException e) {
      throw new StatesError(StatesError.INTRINSIC_FAILURE, "Invalid intrinsic function call '" + text + "': "
          + e.getMessage());
    }
    return call.evaluate(sources);
  }

  sealed interface Argument permits Literal, PathArgument, Call {
    JsonNode evaluate(Sources sources);
  }

  record Literal(JsonNode value) implements Argument {
    @Override
    public JsonNode evaluate(Sources sources) {
      return value;
    }
  }

  /** A path argument: on the input ({@code $.a}), the context object ({@code $$.a}) or a variable ({@code $a}). */
  record PathArgument(String path) implements Argument {
    @Override
    public JsonNode evaluate(Sources sources) {
      try {
        if (Payloads.isVariableReference(path)) {
          return Payloads.readVariable(path, sources.variables(), sources.site());
        }
        return JsonPaths.read(path, sources.input(), sources.context());
      } catch (PathNotFoundException e) {
        throw new StatesError(StatesError.RUNTIME, "The JsonPath argument for the field '" + path
            + "' could not be found in the input '" + Json.write(sources.input()) + "'");
      }
    }
  }

  /** A call, itself usable as an argument of another call: {@code States.Format('{}', States.ArrayLength($.a))}. */
  record Call(String name, List<Argument> arguments) implements Argument {
    @Override
    public JsonNode evaluate(Sources sources) {
      List<JsonNode> values = new ArrayList<>(arguments.size());
      for (Argument argument : arguments) {
        values.add(argument.evaluate(sources));
      }
      try {
        return apply(name, values);
      } catch (StatesError e) {
        throw e;
      } catch (RuntimeException e) {
        throw failure(name, e.getMessage());
      }
    }
  }

  private static StatesError failure(String function, String reason) {
    return new StatesError(StatesError.INTRINSIC_FAILURE, "Invalid arguments in " + function + ": " + reason);
  }

  private static JsonNode apply(String name, List<JsonNode> args) {
    return switch (name) {
      case "States.Format" -> format(args);
      case "States.StringToJson" -> {
        String text = text(args, 0, name, 1);
        yield text.isBlank() ? Json.NODES.nullNode() : Json.parse(text);
      }
      case "States.JsonToString" -> Json.NODES.textNode(Json.write(one(args, name)));
      case "States.Array" -> Json.NODES.arrayNode().addAll(args);
      case "States.ArrayPartition" -> partition(array(args, 0, name, 2), integer(args, 1, name), name);
      case "States.ArrayContains" -> {
        ArrayNode array = array(args, 0, name, 2);
        JsonNode needle = args.get(1);
        boolean found = false;
        for (JsonNode element : array) {
          found |= Values.jsonEquals(element, needle);
        }
        yield Json.NODES.booleanNode(found);
      }
      case "States.ArrayRange" -> range(args, name);
      case "States.ArrayGetItem" -> {
        ArrayNode array = array(args, 0, name, 2);
        int index = integer(args, 1, name);
        if (index < 0 || index >= array.size()) {
          throw failure(name, "index " + index + " is out of bounds for an array of " + array.size() + " items");
        }
        yield array.get(index);
      }
      case "States.ArrayLength" -> Json.NODES.numberNode(array(args, 0, name, 1).size());
      case "States.ArrayUnique" -> {
        ArrayNode unique = Json.NODES.arrayNode();
        Set<JsonNode> seen = new LinkedHashSet<>();
        for (JsonNode element : array(args, 0, name, 1)) {
          if (seen.add(element)) {
            unique.add(element);
          }
        }
        yield unique;
      }
      case "States.Base64Encode" -> Json.NODES.textNode(Base64.getEncoder()
          .encodeToString(text(args, 0, name, 1).getBytes(StandardCharsets.UTF_8)));
      case "States.Base64Decode" -> Json.NODES.textNode(new String(Base64.getDecoder()
          .decode(text(args, 0, name, 1)), StandardCharsets.UTF_8));
      case "States.Hash" -> hash(args, name);
      case "States.JsonMerge" -> merge(args, name);
      case "States.MathRandom" -> random(args, name);
      case "States.MathAdd" -> {
        arity(args, 2, name);
        yield Json.integer(rounded(args.get(0), name) + rounded(args.get(1), name));
      }
      case "States.StringSplit" -> split(text(args, 0, name, 2), text(args, 1, name, 2));
      case "States.UUID" -> {
        arity(args, 0, name);
        yield Json.NODES.textNode(UUID.randomUUID().toString());
      }
      default -> throw failure(name, "unknown function");
    };
  }

  private static JsonNode format(List<JsonNode> args) {
    String name = "States.Format";
    if (args.isEmpty() || !args.get(0).isTextual()) {
      throw failure(name, "the first argument must be a string template");
    }
    String template = args.get(0).textValue();
    StringBuilder out = new StringBuilder();
    int next = 1;
    for (int i = 0; i < template.length(); i++) {
      char c = template.charAt(i);
      if (c == '\\' && i + 1 < template.length()) {
        out.append(template.charAt(++i));
      } else if (c == '{' && i + 1 < template.length() && template.charAt(i + 1) == '}') {
        if (next >= args.size()) {
          throw failure(name, "the template has more placeholders than arguments");
        }
        out.append(Values.javaText(args.get(next++)));
        i++;
      } else {
        out.append(c);
      }
    }
    if (next != args.size()) {
      throw failure(name, "the template has fewer placeholders than arguments");
    }
    return Json.NODES.textNode(out.toString());
  }

  private static JsonNode partition(ArrayNode array, int size, String name) {
    if (size <= 0) {
      throw failure(name, "the chunk size must be a positive integer");
    }
    ArrayNode chunks = Json.NODES.arrayNode();
    ArrayNode chunk = null;
    for (JsonNode element : array) {
      if (chunk == null || chunk.size() == size) {
        chunk = chunks.addArray();
      }
      chunk.add(element);
    }
    return chunks;
  }

  private static JsonNode range(List<JsonNode> args, String name) {
    arity(args, 3, name);
    int start = integer(args, 0, name);
    int end = integer(args, 1, name);
    int step = integer(args, 2, name);
    if (step == 0) {
      throw failure(name, "the step must not be 0");
    }
    ArrayNode values = Json.NODES.arrayNode();
    for (long value = start; step > 0 ? value <= end : value >= end; value += step) {
      if (values.size() == MAX_ARRAY_RANGE) {
        throw failure(name, "the range has more than " + MAX_ARRAY_RANGE + " items");
      }
      values.add(Json.integer(value));
    }
    return values;
  }

  private static JsonNode hash(List<JsonNode> args, String name) {
    arity(args, 2, name);
    JsonNode data = args.get(0);
    String algorithm = text(args, 1, name, 2);
    if (!Set.of("MD5", "SHA-1", "SHA-256", "SHA-384", "SHA-512").contains(algorithm)) {
      throw failure(name, "unsupported algorithm '" + algorithm + "'");
    }
    String message = data.isTextual() ? data.textValue() : Json.write(data);
    try {
      byte[] digest = MessageDigest.getInstance(algorithm).digest(message.getBytes(StandardCharsets.UTF_8));
      return Json.NODES.textNode(HexFormat.of().formatHex(digest));
    } catch (NoSuchAlgorithmException e) {
      throw failure(name, e.getMessage());
    }
  }

  private static JsonNode merge(List<JsonNode> args, String name) {
    arity(args, 3, name);
    if (!args.get(0).isObject() || !args.get(1).isObject() || !args.get(2).isBoolean()) {
      throw failure(name, "expects two objects and a boolean");
    }
    if (args.get(2).booleanValue()) {
      throw failure(name, "deep merging is not supported");
    }
    ObjectNode merged = args.get(0).deepCopy();
    Iterator<Map.Entry<String, JsonNode>> fields = args.get(1).fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      merged.set(field.getKey(), field.getValue());
    }
    return merged;
  }

  private static JsonNode random(List<JsonNode> args, String name) {
    if (args.size() != 2 && args.size() != 3) {
      throw failure(name, "expects 2 or 3 arguments");
    }
    int start = (int) number(args, 0, name);
    int end = (int) number(args, 1, name);
    if (end <= start) {
      throw failure(name, "the end must be greater than the start");
    }
    Random random = args.size() == 3 ? new Random((long) number(args, 2, name)) : ThreadLocalRandom.current();
    return Json.NODES.numberNode(start + random.nextInt(end - start));
  }

  private static JsonNode split(String text, String delimiters) {
    ArrayNode parts = Json.NODES.arrayNode();
    StringBuilder part = new StringBuilder();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (delimiters.indexOf(c) >= 0) {
        if (!part.isEmpty()) {
          parts.add(part.toString());
        }
        part.setLength(0);
      } else {
        part.append(c);
      }
    }
    if (!part.isEmpty()) {
      parts.add(part.toString());
    }
    return parts;
  }

  private static long rounded(JsonNode value, String name) {
    if (!value.isNumber()) {
      throw failure(name, "expects numbers");
    }
    return Math.round(value.doubleValue());
  }

  private static void arity(List<JsonNode> args, int count, String name) {
    if (args.size() != count) {
      throw failure(name, "expects " + count + " arguments but got " + args.size());
    }
  }

  private static JsonNode one(List<JsonNode> args, String name) {
    arity(args, 1, name);
    return args.get(0);
  }

  private static String text(List<JsonNode> args, int index, String name, int count) {
    arity(args, count, name);
    JsonNode value = args.get(index);
    if (!value.isTextual()) {
      throw failure(name, "argument " + (index + 1) + " must be a string");
    }
    return value.textValue();
  }

  private static ArrayNode array(List<JsonNode> args, int index, String name, int count) {
    arity(args, count, name);
    JsonNode value = args.get(index);
    if (!value.isArray()) {
      throw failure(name, "argument " + (index + 1) + " must be an array");
    }
    return (ArrayNode) value;
  }

  private static int integer(List<JsonNode> args, int index, String name) {
    JsonNode value = args.get(index);
    if (!value.isIntegralNumber() && !(value.isNumber() && value.doubleValue() == Math.rint(value.doubleValue()))) {
      throw failure(name, "argument " + (index + 1) + " must be an integer");
    }
    return value.intValue();
  }

  private static double number(List<JsonNode> args, int index, String name) {
    JsonNode value = args.get(index);
    if (!value.isNumber()) {
      throw failure(name, "argument " + (index + 1) + " must be a number");
    }
    return value.doubleValue();
  }

  /** A recursive-descent parser of one intrinsic call. */
  private static final class Parser {
    private final String text;
    private int position;

    Parser(String text) {
      this.text = text;
    }

    boolean atEnd() {
      return position >= text.length();
    }

    void skipSpaces() {
      while (!atEnd() && Character.isWhitespace(text.charAt(position))) {
        position++;
      }
    }

    Call call() {
      skipSpaces();
      int open = text.indexOf('(', position);
      if (open < 0) {
        throw new IllegalArgumentException("expected '(' after the function name");
      }
      String name = text.substring(position, open).trim();
      if (!FUNCTIONS.contains(name)) {
        throw new IllegalArgumentException("unknown function '" + name + "'");
      }
      position = open + 1;
      List<Argument> arguments = new ArrayList<>();
      skipSpaces();
      if (!atEnd() && text.charAt(position) == ')') {
        position++;
        return new Call(name, arguments);
      }
      while (true) {
        arguments.add(argument());
        skipSpaces();
        if (atEnd()) {
          throw new IllegalArgumentException("missing ')'");
        }
        char c = text.charAt(position++);
        if (c == ')') {
          return new Call(name, arguments);
        }
        if (c != ',') {
          throw new IllegalArgumentException("expected ',' or ')' at position " + (position - 1));
        }
      }
    }

    Argument argument() {
      skipSpaces();
      if (atEnd()) {
        throw new IllegalArgumentException("missing argument");
      }
      char c = text.charAt(position);
      if (c == '\'') {
        return new Literal(Json.NODES.textNode(stringLiteral()));
      }
      if (c == '$') {
        String path = pathToken();
        if (!JsonPaths.isValidReference(path)) {
          throw new IllegalArgumentException("invalid JSONPath '" + path + "'");
        }
        return new PathArgument(path);
      }
      if (text.startsWith("States.", position)) {
        return call();
      }
      String token = plainToken();
      return switch (token) {
        case "true" -> new Literal(Json.NODES.booleanNode(true));
        case "false" -> new Literal(Json.NODES.booleanNode(false));
        case "null" -> new Literal(Json.NODES.nullNode());
        default -> {
          try {
            JsonNode number = Json.parse(token);
            if (!number.isNumber()) {
              throw new IllegalArgumentException(token);
            }
            yield new Literal(number);
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid argument '" + token + "'");
          }
        }
      };
    }

    private String stringLiteral() {
      StringBuilder value = new StringBuilder();
      position++;
      while (!atEnd()) {
        char c = text.charAt(position++);
        if (c == '\\' && !atEnd()) {
          char escaped = text.charAt(position++);
          if (escaped == '{' || escaped == '}') {
            value.append('\\');
          }
          value.append(escaped);
        } else if (c == '\'') {
          return value.toString();
        } else {
          value.append(c);
        }
      }
      throw new IllegalArgumentException("unterminated string literal");
    }

    private String pathToken() {
      int start = position;
      int depth = 0;
      char quote = 0;
      while (!atEnd()) {
        char c = text.charAt(position);
        if (quote != 0) {
          if (c == '\\') {
            position++;
          } else if (c == quote) {
            quote = 0;
          }
        } else if (c == '\'' || c == '"') {
          quote = c;
        } else if (c == '[' || c == '(') {
          depth++;
        } else if (c == ']' || c == ')') {
          if (depth == 0) {
            break;
          }
          depth--;
        } else if (c == ',' && depth == 0) {
          break;
        }
        position++;
      }
      return text.substring(start, position).trim();
    }

    private String plainToken() {
      int start = position;
      while (!atEnd() && text.charAt(position) != ',' && text.charAt(position) != ')') {
        position++;
      }
      return text.substring(start, position).trim();
    }
  }
}
