package dev.boxoffice.local.aws;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Query strings and paths as AWS signs them: percent-decoding without '+' as space, and SigV4's canonical encoding.
 */
public final class UriEncoding {

  private UriEncoding() {
  }

  public static Map<String, List<String>> parse(String rawQuery) {
    Map<String, List<String>> parameters = new LinkedHashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return parameters;
    }
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int equals = pair.indexOf('=');
      String name = decode(equals < 0 ? pair : pair.substring(0, equals));
      String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
      parameters.computeIfAbsent(name, ignored -> new ArrayList<>()).add(value);
    }
    return parameters;
  }

  public static String first(Map<String, List<String>> query, String name) {
    return query.get(name).get(0);
  }

  public static String canonical(Map<String, List<String>> query) {
    List<String> pairs = new ArrayList<>();
    query.forEach((name, values) -> values.forEach(value -> pairs.add(encode(name) + "=" + encode(value))));
    pairs.sort(null);
    return String.join("&", pairs);
  }

  /**
   * Percent-decodes a path or query as it came off the wire (one char per byte) into UTF-8 text. A malformed escape
   * stays as it is, so the signature computed over it fails, as in S3.
   */
  public static String decode(String raw) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%' && i + 2 < raw.length()
          && Character.digit(raw.charAt(i + 1), 16) >= 0 && Character.digit(raw.charAt(i + 2), 16) >= 0) {
        bytes.write(Integer.parseInt(raw, i + 1, i + 3, 16));
        i += 2;
      } else {
        bytes.write(c);
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  /** SigV4's URI encoding: every byte but the unreserved characters as %XX. */
  public static String encode(String text) {
    StringBuilder encoded = new StringBuilder(text.length());
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
          || c == '-' || c == '_' || c == '.' || c == '~') {
        encoded.append(c);
      } else {
        encoded.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
            .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
      }
    }
    return encoded.toString();
  }

  public static String encodePath(String path) {
    return Arrays.stream(path.split("/", -1)).map(UriEncoding::encode).collect(Collectors.joining("/"));
  }
}
