package dev.boxoffice.local.aws.iam;

import dev.boxoffice.local.aws.UriEncoding;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * AWS Signature Version 4 in the Authorization header, as the JSON and query protocol services (Step Functions,
 * DynamoDB, SNS, SQS) check it: the path normalized and URI-encoded twice, the body's SHA-256 as payload hash, the
 * credential scoped to the local region and the service, at most 15 minutes of clock skew, and a role session's
 * {@code X-Amz-Security-Token}. S3's own rules (paths encoded once, streaming payloads, presigned URLs) live in the
 * S3 front.
 */
public final class SignatureV4 {

  private static final Logger LOG = LoggerFactory.getLogger(SignatureV4.class);
  private static final String ALGORITHM = "AWS4-HMAC-SHA256";
  private static final Duration MAX_SKEW = Duration.ofMinutes(15);
  private static final DateTimeFormatter AMZ_DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final HexFormat HEX = HexFormat.of();

  private final LocalIam iam;
  private final String service;
  private final Clock clock;

  /**
   * @param service the signing name of the service the endpoint serves: {@code states}, {@code dynamodb},
   *     {@code sns}, {@code sqs}
   */
  public SignatureV4(LocalIam iam, String service, Clock clock) {
    this.iam = iam;
    this.service = service;
    this.clock = clock;
  }

  public SignatureV4(LocalIam iam, String service) {
    this(iam, service, Clock.systemUTC());
  }

  /** The principal who signed the request, or an {@link AuthenticationFailure} saying why nobody known did. */
  public Principal verify(HttpServerRequest request, byte[] body) {
    MultiMap headers = request.headers();
    if (headers.get("Host") == null && request.authority() != null) {
      // HTTP/2 carries the host as the :authority pseudo-header, which clients sign as "host"
      headers = MultiMap.caseInsensitiveMultiMap().addAll(headers).add("Host", request.authority().toString());
    }
    return verify(request.method().name(), request.path(), request.query(), headers, body);
  }

  private Principal verify(String method, String rawPath, String rawQuery, MultiMap headers, byte[] body) {
    String authorization = headers.get("Authorization");
    if (authorization == null) {
      throw new AuthenticationFailure(AuthenticationFailure.Reason.MISSING, "Missing Authentication Token");
    }
    if (!authorization.startsWith(ALGORITHM + " ")) {
      throw new AuthenticationFailure(AuthenticationFailure.Reason.MALFORMED,
          "Authorization header requires the AWS4-HMAC-SHA256 algorithm.");
    }
    Map<String, String> parts = new LinkedHashMap<>();
    for (String part : authorization.substring(ALGORITHM.length() + 1).split(",")) {
      int equals = part.indexOf('=');
      if (equals > 0) {
        parts.put(part.substring(0, equals).trim(), part.substring(equals + 1).trim());
      }
    }
    for (String required : List.of("Credential", "SignedHeaders", "Signature")) {
      if (!parts.containsKey(required)) {
        throw new AuthenticationFailure(AuthenticationFailure.Reason.MALFORMED, "Authorization header requires '"
            + required + "' parameter. Authorization=" + authorization);
      }
    }
    String amzDate = headers.get("X-Amz-Date");
    Instant signedAt = parseDate(amzDate);
    String[] credential = parts.get("Credential").split("/", -1);
    if (credential.length != 5 || !"aws4_request".equals(credential[4])) {
      throw new AuthenticationFailure(AuthenticationFailure.Reason.MALFORMED, "Credential should be scoped to a "
          + "valid region, not " + parts.get("Credential"));
    }
    Principal principal = iam.principal(credential[0]).orElseThrow(() -> new AuthenticationFailure(
        AuthenticationFailure.Reason.UNKNOWN_KEY, "The security token included in the request is invalid."));
    checkSessionToken(principal, headers.get("X-Amz-Security-Token"));
    if (!credential[2].equals(iam.region())) {
      throw new AuthenticationFailure(AuthenticationFailure.Reason.WRONG_SCOPE, "Credential should be scoped to a "
          + "valid region. The region '" + credential[2] + "' is not " + iam.region() + ".");
    }
    if (!credential[3].equals(service)) {
      throw new AuthenticationFailure(AuthenticationFailure.Reason.WRONG_SCOPE,
          "Credential should be scoped to correct service: '" + service + "'.");
    }
    if (!amzDate.startsWith(credential[1])) {
      throw new AuthenticationFailure(AuthenticationFailure.Reason.SIGNATURE_MISMATCH,
          "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '"
              + credential[1] + "' != '" + amzDate.substring(0, Math.min(8, amzDate.length())) + "'");
    }
    Instant now = clock.instant();
    if (Duration.between(signedAt, now).abs().compareTo(MAX_SKEW) > 0) {
      throw new AuthenticationFailure(AuthenticationFailure.Reason.EXPIRED, "Signature expired: " + amzDate
          + " is now earlier than " + AMZ_DATE.format(now.minus(MAX_SKEW)) + " (" + AMZ_DATE.format(now) + " - 15 min.)");
    }
    String payloadHash = hex(sha256(body));
    String declaredHash = headers.get("X-Amz-Content-Sha256");
    if (declaredHash != null && !declaredHash.equals(payloadHash)) {
      throw signatureMismatch();
    }
    String canonicalRequest = method + "\n" + canonicalPath(rawPath) + "\n" + canonicalQuery(rawQuery) + "\n"
        + canonicalHeaders(headers, parts.get("SignedHeaders")) + "\n" + parts.get("SignedHeaders") + "\n"
        + payloadHash;
    String scope = String.join("/", credential[1], credential[2], credential[3], credential[4]);
    String stringToSign = ALGORITHM + "\n" + amzDate + "\n" + scope + "\n"
        + hex(sha256(canonicalRequest.getBytes(StandardCharsets.UTF_8)));
    byte[] key = hmac(("AWS4" + principal.key().secretAccessKey()).getBytes(StandardCharsets.UTF_8), credential[1]);
    key = hmac(key, credential[2]);
    key = hmac(key, credential[3]);
    key = hmac(key, "aws4_request");
    String expected = hex(hmac(key, stringToSign));
    if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
        parts.get("Signature").toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII))) {
      LOG.debug("{} signature mismatch; the canonical request here was:\n{}", service, canonicalRequest);
      throw signatureMismatch();
    }
    return principal;
  }

  /** A role session's temporary key is valid only with its token; a long-term key takes none. */
  private static void checkSessionToken(Principal principal, String token) {
    String expected = principal.key().sessionToken();
    boolean valid = expected == null ? token == null
        : token != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
            token.getBytes(StandardCharsets.UTF_8));
    if (!valid) {
      throw new AuthenticationFailure(AuthenticationFailure.Reason.UNKNOWN_KEY,
          "The security token included in the request is invalid.");
    }
  }

  private static Instant parseDate(String amzDate) {
    if (amzDate == null) {
      throw new AuthenticationFailure(AuthenticationFailure.Reason.MALFORMED,
          "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
    }
    try {
      return Instant.from(AMZ_DATE.parse(amzDate));
    } catch (DateTimeParseException e) {
      throw new AuthenticationFailure(AuthenticationFailure.Reason.MALFORMED,
          "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\", not " + amzDate);
    }
  }

  private static AuthenticationFailure signatureMismatch() {
    return new AuthenticationFailure(AuthenticationFailure.Reason.SIGNATURE_MISMATCH, "The request signature we "
        + "calculated does not match the signature you provided. Check your AWS Secret Access Key and signing "
        + "method. Consult the service documentation for details.");
  }

  /** The path as sent (encoded once), normalized, then encoded again, as SigV4 does for every service but S3. */
  private static String canonicalPath(String rawPath) {
    if (rawPath == null || rawPath.isEmpty()) {
      return "/";
    }
    List<String> segments = new ArrayList<>();
    for (String segment : rawPath.split("/", -1)) {
      if (segment.equals("..")) {
        if (!segments.isEmpty()) {
          segments.remove(segments.size() - 1);
        }
      } else if (!segment.equals(".") && !segment.isEmpty()) {
        segments.add(UriEncoding.encode(segment));
      }
    }
    String path = "/" + String.join("/", segments);
    return rawPath.endsWith("/") && !path.equals("/") ? path + "/" : path;
  }

  private static String canonicalQuery(String rawQuery) {
    return UriEncoding.canonical(UriEncoding.parse(rawQuery));
  }

  private static String canonicalHeaders(MultiMap headers, String signedHeaders) {
    StringBuilder canonical = new StringBuilder();
    for (String name : signedHeaders.split(";")) {
      String values = headers.getAll(name).stream()
          .map(value -> value.trim().replaceAll("\\s+", " "))
          .collect(Collectors.joining(","));
      canonical.append(name).append(':').append(values).append('\n');
    }
    return canonical.toString();
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK has HmacSHA256", e);
    }
  }

  private static String hex(byte[] bytes) {
    return HEX.formatHex(bytes);
  }
}
