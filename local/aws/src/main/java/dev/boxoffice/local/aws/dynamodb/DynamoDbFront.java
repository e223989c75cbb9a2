package dev.boxoffice.local.aws.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.boxoffice.local.aws.UnreadableRequest;
import dev.boxoffice.local.aws.iam.AuthenticationFailure;
import dev.boxoffice.local.aws.iam.Decision;
import dev.boxoffice.local.aws.iam.LocalIam;
import dev.boxoffice.local.aws.iam.Principal;
import dev.boxoffice.local.aws.iam.SignatureV4;
import io.vertx.core.Future;
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
import java.io.IOException;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local DynamoDB endpoint clients talk to, in front of dynalite: it checks each request's SigV4 signature, asks
 * the local IAM whether its caller may perform the operation on each table or index it names, and forwards what
 * passes to dynalite on a loopback port of its own. Refusals come back in DynamoDB's JSON error shape
 * ({@code UnrecognizedClientException}, {@code InvalidSignatureException}, {@code AccessDeniedException}).
 */
final class DynamoDbFront extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(DynamoDbFront.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TARGET_PREFIX = "DynamoDB_20120810.";
  private static final String CONTENT_TYPE = "application/x-amz-json-1.0";
  /** DynamoDB's documented limit on an HTTP request: 16 MB. */
  private static final long MAX_BODY_BYTES = 16L * 1024 * 1024;
  /** Node's limits, which dynalite answered before this front existed. */
  private static final int MAX_REQUEST_LINE = 16 * 1024;
  private static final int MAX_HEADERS = 16 * 1024;
  private static final Set<String> NOT_RELAYED = Set.of("connection", "keep-alive", "transfer-encoding");

  private final LocalIam iam;
  private final SignatureV4 signatures;
  private final int port;
  private final int dynalitePort;
  private HttpServer server;
  private HttpClient dynalite;

  DynamoDbFront(LocalIam iam, int port, int dynalitePort) {
    this.iam = iam;
    this.signatures = new SignatureV4(iam, "dynamodb");
    this.port = port;
    this.dynalitePort = dynalitePort;
  }

  @Override
  public Future<?> start() {
    dynalite = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(dynalitePort).setKeepAlive(true), new PoolOptions().setHttp1MaxSize(32));
    return vertx.createHttpServer(UnreadableRequest.limitedTo(MAX_REQUEST_LINE, MAX_HEADERS)
            .setHttp2ClearTextEnabled(false))
        .requestHandler(this::handle)
        .invalidRequestHandler(request -> {
          UnreadableRequest why = UnreadableRequest.of(request);
          why.answer(request, CONTENT_TYPE, error("SerializationException", why.message()).encode());
        })
        .listen(port, "127.0.0.1")
        .onSuccess(listening -> server = listening);
  }

  int actualPort() {
    return server.actualPort();
  }

  private void handle(HttpServerRequest request) {
    String contentLength = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (contentLength != null && contentLength.matches("\\d{1,18}") && Long.parseLong(contentLength) > MAX_BODY_BYTES) {
      refuse(request, 413, "RequestEntityTooLargeException", "Request payload size exceeds the limit of "
          + MAX_BODY_BYTES + " bytes");
      return;
    }
    request.body().onSuccess(body -> {
      if (body.length() > MAX_BODY_BYTES) {
        refuse(request, 413, "RequestEntityTooLargeException", "Request payload size exceeds the limit of "
            + MAX_BODY_BYTES + " bytes");
        return;
      }
      try {
        Principal caller = signatures.verify(request, body.getBytes());
        authorize(caller, request.getHeader("X-Amz-Target"), body);
      } catch (AuthenticationFailure failure) {
        refuse(request, 400, errorCode(failure.reason()), failure.getMessage());
        return;
      } catch (AccessDenied denied) {
        refuse(request, 400, "AccessDeniedException", denied.getMessage());
        return;
      }
      forward(request, body);
    }).onFailure(failure -> LOG.debug("a DynamoDB request body could not be read: {}", failure.getMessage()));
  }

  private void authorize(Principal caller, String target, Buffer body) {
    if (target == null || !target.startsWith(TARGET_PREFIX)) {
      return;
    }
    JsonNode request;
    try {
      request = JSON.readTree(body.getBytes());
    } catch (IOException notJson) {
      return;
    }
    if (request == null || !request.isObject()) {
      return;
    }
    for (DynamoDbAccess check : DynamoDbAccess.of(target.substring(TARGET_PREFIX.length()), request, iam.region(),
        iam.account())) {
      Decision decision = iam.authorize(caller, check.action(), check.resourceArn());
      if (!decision.allowed()) {
        throw new AccessDenied(decision.message());
      }
    }
  }

  private void forward(HttpServerRequest request, Buffer body) {
    RequestOptions options = new RequestOptions().setMethod(request.method()).setURI(request.uri());
    dynalite.request(options)
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
          LOG.warn("dynalite did not answer {}", request.getHeader("X-Amz-Target"), failure);
          refuse(request, 500, "InternalServerError", "The local DynamoDB did not answer.");
        });
  }

  private static String errorCode(AuthenticationFailure.Reason reason) {
    return switch (reason) {
      case MISSING -> "MissingAuthenticationTokenException";
      case MALFORMED -> "IncompleteSignatureException";
      case UNKNOWN_KEY -> "UnrecognizedClientException";
      case SIGNATURE_MISMATCH, EXPIRED, WRONG_SCOPE -> "InvalidSignatureException";
    };
  }

  private static void refuse(HttpServerRequest request, int status, String code, String message) {
    if (request.response().headWritten()) {
      request.connection().close();
      return;
    }
    request.response().setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, CONTENT_TYPE)
        .putHeader("x-amzn-RequestId", UUID.randomUUID().toString())
        .end(error(code, message).encode());
  }

  /** DynamoDB's error body: the coral type and the message. */
  private static JsonObject error(String code, String message) {
    return new JsonObject().put("__type", "com.amazon.coral.service#" + code).put("message", message);
  }

  /** A call the caller's policies do not allow, with AWS's sentence. */
  private static final class AccessDenied extends RuntimeException {
    AccessDenied(String message) {
      super(message, null, false, false);
    }
  }
}
