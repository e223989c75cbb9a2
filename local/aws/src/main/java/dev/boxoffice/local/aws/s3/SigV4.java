package dev.boxoffice.local.aws.s3;

import dev.boxoffice.local.aws.UriEncoding;
import dev.boxoffice.local.aws.iam.LocalIam;
import dev.boxoffice.local.aws.iam.Principal;
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
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * AWS Signature Version 4 as S3 checks it, in the Authorization header or in a presigned URL's query, with S3's
 * rules: the path is encoded once and never normalized, and the payload hash is whatever {@code x-amz-content-sha256}
 * declares (a hex SHA-256, {@code UNSIGNED-PAYLOAD} or a {@code STREAMING-*} mode whose chunks are signed on).
 */
final class SigV4 {

  static final String ALGORITHM = "AWS4-HMAC-SHA256";
  static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
  static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  static final Set<String> PRESIGN_PARAMETERS = Set.of("X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date",
      "X-Amz-Expires", "X-Amz-SignedHeaders", "X-Amz-Signature", "X-Amz-Security-Token", "X-Amz-Content-Sha256");

  private static final DateTimeFormatter AMZ_DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final Duration MAX_SKEW = Duration.ofMinutes(15);
  private static final long MAX_PRESIGNED_SECONDS = Duration.ofDays(7).toSeconds();
  private static final HexFormat HEX = HexFormat.of();

  private final LocalIam iam;
  private final String region;
  private final Clock clock;

  SigV4(LocalIam iam, Clock clock) {
    this.iam = iam;
    this.region = iam.region();
    this.clock = clock;
  }

  /**
   * Who signed the request and with which key, once its signature is verified; the key goes on to check the
   * signatures of an aws-chunked body's chunks.
   */
  record Signer(Principal principal, byte[] signingKey, String amzDate, String scope, String seedSignature,
                String payloadHash) {

    String chunkSignature(String previousSignature, String chunkSha256Hex) {
      return hex(hmac(signingKey, "AWS4-HMAC-SHA256-PAYLOAD\n" + amzDate + "\n" + scope + "\n" + previousSignature
          + "\n" + EMPTY_SHA256 + "\n" + chunkSha256Hex));
    }

    String trailerSignature(String previousSignature, String canonicalTrailers) {
      return hex(hmac(signingKey, "AWS4-HMAC-SHA256-TRAILER\n" + amzDate + "\n" + scope + "\n" + previousSignature
          + "\n" + sha256Hex(canonicalTrailers)));
    }
  }

  /** Verifies the request's signature, or throws the {@link S3Error} S3 would answer. */
  Signer verify(HttpServerRequest request) {
    Map<String, List<String>> query = UriEncoding.parse(request.query());
    String authorization = request.getHeader("Authorization");
    if (authorization != null) {
      return verifyHeader(request, query, authorization);
    }
    if (query.containsKey("X-Amz-Signature") || query.containsKey("X-Amz-Credential")) {
      return verifyPresigned(request, query);
    }
    if (query.containsKey("Signature") && query.containsKey("AWSAccessKeyId")) {
      throw signatureVersion2();
    }
    throw S3Error.accessDenied("Access Denied");
  }

  private Signer verifyHeader(HttpServerRequest request, Map<String, List<String>> query, String authorization) {
    if (authorization.startsWith("AWS ")) {
      throw signatureVersion2();
    }
    if (!authorization.startsWith(ALGORITHM + " ")) {
      throw new S3Error(400, "InvalidArgument", "Unsupported Authorization Type");
    }
    Map<String, String> parts = new LinkedHashMap<>();
    for (String part : authorization.substring(ALGORITHM.length() + 1).split(",")) {
      int equals = part.indexOf('=');
      if (equals > 0) {
        parts.put(part.substring(0, equals).trim(), part.substring(equals + 1).trim());
      }
    }
    if (!parts.keySet().containsAll(List.of("Credential", "SignedHeaders", "Signature"))) {
      throw S3Error.authorizationHeaderMalformed("The authorization header is malformed; the authorization header "
          + "requires three components: Credential, SignedHeaders, and Signature.");
    }
    String amzDate = request.getHeader("x-amz-date");
    if (amzDate == null) {
      throw S3Error.accessDenied("AWS authentication requires a valid Date or x-amz-date header");
    }
    Instant signedAt = parseAmzDate(amzDate, () -> S3Error.accessDenied(
        "AWS authentication requires a valid Date or x-amz-date header"));
    Credential credential = credential(parts.get("Credential"), amzDate);
    if (Duration.between(signedAt, clock.instant()).abs().compareTo(MAX_SKEW) > 0) {
      throw new S3Error(403, "RequestTimeTooSkewed",
          "The difference between the request time and the current time is too large.",
          S3Error.details("RequestTime", amzDate, "ServerTime", clock.instant().toString(),
              "MaxAllowedSkewMilliseconds", String.valueOf(MAX_SKEW.toMillis())));
    }
    String payloadHash = request.getHeader("x-amz-content-sha256");
    if (payloadHash == null) {
      throw S3Error.invalidRequest("Missing required header for this request: x-amz-content-sha256");
    }
    PayloadMode.of(payloadHash);
    String signature = parts.get("Signature");
    String canonicalRequest = canonicalRequest(request, query, parts.get("SignedHeaders"), payloadHash);
    return check(credential, amzDate, canonicalRequest, signature, payloadHash);
  }

  private Signer verifyPresigned(HttpServerRequest request, Map<String, List<String>> query) {
    List<String> required = List.of("X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Signature", "X-Amz-Date",
        "X-Amz-SignedHeaders", "X-Amz-Expires");
    if (!query.keySet().containsAll(required)) {
      throw queryParametersError("Query-string authentication version 4 requires the X-Amz-Algorithm, "
          + "X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.");
    }
    if (!ALGORITHM.equals(UriEncoding.first(query, "X-Amz-Algorithm"))) {
      throw queryParametersError("X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\"");
    }
    String amzDate = UriEncoding.first(query, "X-Amz-Date");
    Instant signedAt = parseAmzDate(amzDate,
        () -> queryParametersError("X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\""));
    long expires;
    try {
      expires = Long.parseLong(UriEncoding.first(query, "X-Amz-Expires"));
    } catch (NumberFormatException notANumber) {
      throw queryParametersError("X-Amz-Expires should be a number");
    }
    if (expires < 0) {
      throw queryParametersError("X-Amz-Expires must be non-negative");
    }
    if (expires > MAX_PRESIGNED_SECONDS) {
      throw queryParametersError("X-Amz-Expires must be less than a week (in seconds) that is 604800");
    }
    Credential credential = credential(UriEncoding.first(query, "X-Amz-Credential"), amzDate);
    Instant now = clock.instant();
    if (now.isAfter(signedAt.plusSeconds(expires))) {
      throw new S3Error(403, "AccessDenied", "Request has expired", S3Error.details(
          "X-Amz-Expires", String.valueOf(expires),
          "Expires", signedAt.plusSeconds(expires).toString(), "ServerTime", now.toString()));
    }
    if (signedAt.isAfter(now.plus(MAX_SKEW))) {
      throw S3Error.accessDenied("Request is not valid yet");
    }
    String payloadHash = query.containsKey("X-Amz-Content-Sha256")
        ? UriEncoding.first(query, "X-Amz-Content-Sha256") : UNSIGNED_PAYLOAD;
    Map<String, List<String>> signedQuery = new LinkedHashMap<>(query);
    signedQuery.remove("X-Amz-Signature");
    String canonicalRequest = canonicalRequest(request, signedQuery, UriEncoding.first(query, "X-Amz-SignedHeaders"),
        payloadHash);
    return check(credential, amzDate, canonicalRequest, UriEncoding.first(query, "X-Amz-Signature"), payloadHash);
  }

  private Signer check(Credential credential, String amzDate, String canonicalRequest, String signature,
                       String payloadHash) {
    String scope = credential.scope();
    byte[] signingKey = signingKey(credential.secret(), credential.date(), region);
    String stringToSign = ALGORITHM + "\n" + amzDate + "\n" + scope + "\n" + sha256Hex(canonicalRequest);
    String expected = hex(hmac(signingKey, stringToSign));
    if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
        signature.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII))) {
      throw S3Error.signatureDoesNotMatch(S3Error.details("AWSAccessKeyId", credential.accessKeyId(),
          "StringToSign", stringToSign, "SignatureProvided", signature, "CanonicalRequest", canonicalRequest));
    }
    return new Signer(credential.principal(), signingKey, amzDate, scope, expected, payloadHash);
  }

  private record Credential(Principal principal, String accessKeyId, String secret, String date, String scope) {
  }

  private Credential credential(String value, String amzDate) {
    String[] parts = value.split("/", -1);
    if (parts.length != 5 || !"aws4_request".equals(parts[4])) {
      throw S3Error.authorizationHeaderMalformed("The authorization header is malformed; the Credential is "
          + "mal-formed; expecting \"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\".");
    }
    Principal principal = iam.principal(parts[0]).filter(known -> known.key() != null)
        .orElseThrow(() -> new S3Error(403, "InvalidAccessKeyId",
            "The AWS Access Key Id you provided does not exist in our records.",
            S3Error.details("AWSAccessKeyId", parts[0])));
    if (!amzDate.startsWith(parts[1])) {
      throw S3Error.authorizationHeaderMalformed("The authorization header is malformed; Invalid credential date. "
          + "Date is not the same as X-Amz-Date.");
    }
    if (!region.equals(parts[2])) {
      throw new S3Error(400, "AuthorizationHeaderMalformed", "The authorization header is malformed; the region '"
          + parts[2] + "' is wrong; expecting '" + region + "'", S3Error.details("Region", region));
    }
    if (!"s3".equals(parts[3])) {
      throw S3Error.authorizationHeaderMalformed("The authorization header is malformed; incorrect service '"
          + parts[3] + "'. This endpoint belongs to 's3'.");
    }
    return new Credential(principal, parts[0], principal.key().secretAccessKey(), parts[1],
        String.join("/", parts[1], parts[2], parts[3], parts[4]));
  }

  private static String canonicalRequest(HttpServerRequest request, Map<String, List<String>> query,
                                         String signedHeaders, String payloadHash) {
    StringBuilder headers = new StringBuilder();
    for (String name : signedHeaders.split(";")) {
      String values = request.headers().getAll(name).stream()
          .map(value -> value.trim().replaceAll(" +", " "))
          .collect(Collectors.joining(","));
      headers.append(name).append(':').append(values).append('\n');
    }
    return request.method().name() + "\n" + UriEncoding.encodePath(UriEncoding.decode(request.path())) + "\n"
        + UriEncoding.canonical(query) + "\n" + headers + "\n" + signedHeaders + "\n" + payloadHash;
  }

  private static Instant parseAmzDate(String amzDate, Supplier<S3Error> invalid) {
    try {
      return Instant.from(AMZ_DATE.parse(amzDate));
    } catch (DateTimeParseException e) {
      throw invalid.get();
    }
  }

  private static byte[] signingKey(String secret, String date, String region) {
    byte[] key = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), date);
    key = hmac(key, region);
    key = hmac(key, "s3");
    return hmac(key, "aws4_request");
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

  static String sha256Hex(String data) {
    return hex(sha256().digest(data.getBytes(StandardCharsets.UTF_8)));
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  static String hex(byte[] bytes) {
    return HEX.formatHex(bytes);
  }

  private static S3Error queryParametersError(String message) {
    return new S3Error(400, "AuthorizationQueryParametersError", message);
  }

  private static S3Error signatureVersion2() {
    return S3Error.invalidRequest(
        "The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.");
  }
}
