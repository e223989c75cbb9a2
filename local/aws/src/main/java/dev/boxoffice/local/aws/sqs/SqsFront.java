package dev.boxoffice.local.aws.sqs;

import dev.boxoffice.local.aws.UnreadableRequest;
import dev.boxoffice.local.aws.iam.AuthenticationFailure;
import dev.boxoffice.local.aws.iam.Decision;
import dev.boxoffice.local.aws.iam.LocalIam;
import dev.boxoffice.local.aws.iam.Principal;
import dev.boxoffice.local.aws.iam.SignatureV4;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local SQS endpoint clients talk to, in front of ElasticMQ: it checks each request's SigV4 signature, asks the
 * local IAM whether its caller may perform {@code sqs:<Action>} on the queue, and forwards what passes to ElasticMQ
 * on a loopback port of its own. Refusals come back in the caller's protocol: JSON with SQS's
 * {@code x-amzn-query-error} code, or the query protocol's XML {@code ErrorResponse}.
 */
final class SqsFront extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(SqsFront.class);
  private static final String JSON_TYPE = "application/x-amz-json-1.0";
  /** Ten messages of SQS's largest size with their attributes, and the JSON around them. */
  private static final long MAX_BODY_BYTES = 12L * 1024 * 1024;
  private static final int MAX_REQUEST_LINE = 16 * 1024;
  private static final int MAX_HEADERS = 16 * 1024;
  private static final Set<String> NOT_RELAYED = Set.of("connection", "keep-alive", "transfer-encoding");

  private final LocalIam iam;
  private final SignatureV4 signatures;
  private final int port;
  private final int elasticMqPort;
  private HttpServer server;
  private HttpClient elasticMq;

  SqsFront(LocalIam iam, int port, int elasticMqPort) {
    this.iam = iam;
    this.signatures = new SignatureV4(iam, "sqs");
    this.port = port;
    this.elasticMqPort = elasticMqPort;
  }

  @Override
  public Future<?> start() {
    elasticMq = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(elasticMqPort).setKeepAlive(true), new PoolOptions().setHttp1MaxSize(32));
    return vertx.createHttpServer(UnreadableRequest.limitedTo(MAX_REQUEST_LINE, MAX_HEADERS)
            .setHttp2ClearTextEnabled(false))
        .requestHandler(this::handle)
        .invalidRequestHandler(request -> {
          UnreadableRequest why = UnreadableRequest.of(request);
          why.answer(request, JSON_TYPE, new JsonObject().put("__type", "com.amazon.coral.service#" + why.code())
              .put("message", why.message()).encode());
        })
        .listen(port, "127.0.0.1")
        .onSuccess(listening -> server = listening);
  }

  int actualPort() {
    return server.actualPort();
  }

  private void handle(HttpServerRequest request) {
    boolean json = request.getHeader("X-Amz-Target") != null;
    String contentLength = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (contentLength != null && contentLength.matches("\\d{1,18}") && Long.parseLong(contentLength) > MAX_BODY_BYTES) {
      refuse(request, json, 413, "RequestEntityTooLarge", "Request payload size exceeds the limit of "
          + MAX_BODY_BYTES + " bytes");
      return;
    }
    request.body().onSuccess(body -> {
      if (body.length() > MAX_BODY_BYTES) {
        refuse(request, json, 413, "RequestEntityTooLarge", "Request payload size exceeds the limit of "
            + MAX_BODY_BYTES + " bytes");
        return;
      }
      try {
        Principal caller = signatures.verify(request, body.getBytes());
        authorize(caller, request, body, json);
      } catch (AuthenticationFailure failure) {
        refuse(request, json, failure.reason() == AuthenticationFailure.Reason.MALFORMED ? 400 : 403,
            errorCode(failure.reason()), failure.getMessage());
        return;
      } catch (AccessDenied denied) {
        refuse(request, json, 403, "AccessDenied", denied.getMessage());
        return;
      }
      forward(request, body);
    }).onFailure(failure -> LOG.debug("an SQS request body could not be read: {}", failure.getMessage()));
  }

  private void authorize(Principal caller, HttpServerRequest request, Buffer body, boolean json) {
    MultiMap parameters = json ? MultiMap.caseInsensitiveMultiMap() : queryParameters(request, body);
    SqsAccess.of(request.getHeader("X-Amz-Target"), request.path(), parameters, body.getBytes(), iam.region(),
        iam.account()).ifPresent(check -> {
          Decision decision = iam.authorize(caller, check.action(), check.resourceArn());
          if (!decision.allowed()) {
            throw new AccessDenied(decision.message());
          }
        });
  }

  /** The query protocol's parameters: the query string's and, for a form POST, the body's. */
  private static MultiMap queryParameters(HttpServerRequest request, Buffer body) {
    MultiMap parameters = MultiMap.caseInsensitiveMultiMap();
    addPairs(parameters, request.query());
    String contentType = request.getHeader(HttpHeaders.CONTENT_TYPE);
    if (contentType != null && contentType.startsWith("application/x-www-form-urlencoded")) {
      addPairs(parameters, body.toString(StandardCharsets.UTF_8));
    }
    return parameters;
  }

  private static void addPairs(MultiMap parameters, String encoded) {
    if (encoded == null || encoded.isEmpty()) {
      return;
    }
    for (String pair : encoded.split("&")) {
      int equals = pair.indexOf('=');
      String name = equals < 0 ? pair : pair.substring(0, equals);
      String value = equals < 0 ? "" : pair.substring(equals + 1);
      try {
        parameters.add(URLDecoder.decode(name, StandardCharsets.UTF_8), URLDecoder.decode(value,
            StandardCharsets.UTF_8));
      } catch (IllegalArgumentException malformed) {
        // ElasticMQ answers a malformed form as SQS does; it names no queue to check here.
      }
    }
  }

  private void forward(HttpServerRequest request, Buffer body) {
    RequestOptions options = new RequestOptions().setMethod(request.method()).setURI(request.uri());
    elasticMq.request(options)
        .compose(forwarded -> {
          request.headers().forEach((name, value) -> {
            if (!NOT_RELAYED.contains(name.toLowerCase(Locale.ROOT))) {
              forwarded.headers().add(name, value);
            }
          });
          return forwarded.send(body);
        })
        .compose(response -> response.body().map(answer -> {
          request.response().setStatusCode(response.statusCode());
          response.headers().forEach((name, value) -> {
            if (!NOT_RELAYED.contains(name.toLowerCase(Locale.ROOT))) {
              request.response().headers().add(name, value);
            }
          });
          return answer;
        }))
        .onSuccess(answer -> request.response().end(answer))
        .onFailure(failure -> {
          LOG.warn("ElasticMQ did not answer {} {}", request.method(), request.uri(), failure);
          refuse(request, request.getHeader("X-Amz-Target") != null, 500, "InternalFailure",
              "The local SQS did not answer.");
        });
  }

  /** SQS's codes, as its query API named them and its JSON API still reports them in x-amzn-query-error. */
  private static String errorCode(AuthenticationFailure.Reason reason) {
    return switch (reason) {
      case MISSING -> "MissingAuthenticationToken";
      case MALFORMED -> "IncompleteSignature";
      case UNKNOWN_KEY -> "InvalidClientTokenId";
      case SIGNATURE_MISMATCH, EXPIRED, WRONG_SCOPE -> "SignatureDoesNotMatch";
    };
  }

  private static void refuse(HttpServerRequest request, boolean json, int status, String code, String message) {
    if (request.response().headWritten()) {
      request.connection().close();
      return;
    }
    String requestId = UUID.randomUUID().toString();
    request.response().setStatusCode(status).putHeader("x-amzn-RequestId", requestId);
    if (json) {
      request.response().putHeader(HttpHeaders.CONTENT_TYPE, JSON_TYPE)
          .putHeader("x-amzn-query-error", code + ";Sender")
          .end(new JsonObject().put("__type", "com.amazonaws.sqs#" + code).put("message", message).encode());
    } else {
      request.response().putHeader(HttpHeaders.CONTENT_TYPE, "text/xml")
          .end("<ErrorResponse xmlns=\"http://queue.amazonaws.com/doc/2012-11-05/\"><Error><Type>Sender</Type>"
              + "<Code>" + code + "</Code><Message>" + xml(message) + "</Message><Detail/></Error><RequestId>"
              + requestId + "</RequestId></ErrorResponse>");
    }
  }

  private static String xml(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  /** A call the caller's policies do not allow, with AWS's sentence. */
  private static final class AccessDenied extends RuntimeException {
    AccessDenied(String message) {
      super(message, null, false, false);
    }
  }
}
