package dev.boxoffice.local.aws.lambda;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The X-Ray trace header a function's invocation runs in, as Lambda with active tracing makes it: the caller's trace
 * ({@code Root}) with the function's own segment as {@code Parent}, the caller's sampling decision kept; a new trace
 * (X-Ray's id form: epoch seconds, then 96 random bits) when the caller sent none. Locally every new trace is sampled.
 */
final class LambdaTraceHeaders {

  private static final Pattern ROOT = Pattern.compile("(?:^|;)\\s*Root=(1-[0-9a-f]{8}-[0-9a-f]{24})\\s*(?:;|$)");
  private static final Pattern SAMPLED = Pattern.compile("(?:^|;)\\s*Sampled=([01])\\s*(?:;|$)");
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final HexFormat HEX = HexFormat.of();

  private LambdaTraceHeaders() {
  }

  static String forInvocation(String callerTraceHeader) {
    String root = null;
    String sampled = "1";
    if (callerTraceHeader != null) {
      Matcher callerRoot = ROOT.matcher(callerTraceHeader);
      if (callerRoot.find()) {
        root = callerRoot.group(1);
        Matcher callerSampled = SAMPLED.matcher(callerTraceHeader);
        sampled = callerSampled.find() ? callerSampled.group(1) : sampled;
      }
    }
    if (root == null) {
      root = String.format("1-%08x-%s", Instant.now().getEpochSecond(), HEX.formatHex(randomBytes(12)));
    }
    return "Root=" + root + ";Parent=" + HEX.formatHex(randomBytes(8)) + ";Sampled=" + sampled;
  }

  private static byte[] randomBytes(int count) {
    byte[] bytes = new byte[count];
    RANDOM.nextBytes(bytes);
    return bytes;
  }
}
