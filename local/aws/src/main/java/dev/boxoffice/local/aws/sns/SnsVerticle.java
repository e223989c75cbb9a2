package dev.boxoffice.local.aws.sns;

import dev.boxoffice.local.aws.UnreadableRequest;
import dev.boxoffice.local.aws.iam.LocalIam;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local SNS endpoint on 127.0.0.1: the AWS query protocol as form-encoded POSTs (what the SDKs and the AWS CLI
 * send) and as GETs with a query string (what a browser sends when a developer follows a SubscribeURL). Every call is
 * authenticated and authorized by {@link SnsAccess} before it runs.
 */
public final class SnsVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(SnsVerticle.class);
  private static final String LOOPBACK = "127.0.0.1";
  private static final int MAX_BODY_BYTES = 4 * 1024 * 1024;
  /** SNS documents no limit on the request line or headers; these let a GET Publish of a few KB through. */
  private static final int MAX_REQUEST_LINE = 16 * 1024;
  private static final int MAX_HEADERS = 16 * 1024;
  private static final String BODY = "sns.body";
  private static final String REQUEST_ID_HEADER = "x-amzn-RequestId";

  private final Path dataDir;
  private final int port;
  private final LocalSns.Endpoints endpoints;
  private final LocalIam iam;
  private final SnsAccess access;
  private final SnsQuotas quotas;
  private SnsActions actions;
  private HttpServer server;

  public SnsVerticle(Path dataDir, int port, LocalSns.Endpoints endpoints, LocalIam iam, SnsQuotas quotas) {
    this.dataDir = dataDir;
    this.port = port;
    this.endpoints = endpoints;
    this.iam = iam;
    this.access = new SnsAccess(iam);
    this.quotas = quotas;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    router.post().handler(this::readBoundedBody).handler(this::action);
    router.get().handler(this::action);
    router.route().handler(context ->
        error(context, SnsException.methodNotAllowed(context.request().method().name())));

    SubscriptionDelivery delivery = new SubscriptionDelivery(vertx, endpoints, iam, this::baseUrl);
    return SnsStore.load(vertx, dataDir)
        .onSuccess(store -> actions = new SnsActions(store, delivery, quotas))
        .compose(store -> vertx.createHttpServer(UnreadableRequest.limitedTo(MAX_REQUEST_LINE, MAX_HEADERS))
            .requestHandler(router)
            .invalidRequestHandler(this::unreadable)
            .listen(port, LOOPBACK))
        .onSuccess(listening -> server = listening);
  }

  /** {@code http://127.0.0.1:PORT}, the endpoint URL SDK clients override theirs with. */
  public String baseUrl() {
    return "http://" + LOOPBACK + ":" + server.actualPort();
  }

  /** Reads the form body itself, so no form decoder limit turns a large Publish into a non-AWS error. */
  private void readBoundedBody(RoutingContext context) {
    HttpServerRequest request = context.request();
    Buffer body = Buffer.buffer();
    request.handler(chunk -> {
      if (body.length() <= MAX_BODY_BYTES) {
        body.appendBuffer(chunk);
      }
    });
    request.exceptionHandler(failure -> LOG.debug("A request body could not be read: {}", failure.getMessage()));
    request.endHandler(end -> {
      if (body.length() > MAX_BODY_BYTES) {
        error(context, SnsException.invalidParameter("Message too long"));
      } else {
        context.put(BODY, body.toString(StandardCharsets.UTF_8));
        context.next();
      }
    });
    request.resume();
  }

  /** An oversized or unparsable request, answered in the query protocol's XML like every other SNS error. */
  private void unreadable(HttpServerRequest request) {
    UnreadableRequest why = UnreadableRequest.of(request);
    why.answer(request, "text/xml", SnsXml.error(SnsException.unreadable(why), UUID.randomUUID().toString()));
  }

  private void action(RoutingContext context) {
    String requestId = UUID.randomUUID().toString();
    boolean browser = context.request().method() == HttpMethod.GET && acceptsHtml(context);
    Future.succeededFuture()
        .compose(started -> {
          QueryRequest parameters = QueryRequest.parse(parameters(context));
          access.check(context.request(), context.get(BODY), parameters);
          return actions.handle(parameters, requestId);
        })
        .onSuccess(xml -> {
          if (browser) {
            html(context, 200, "Done", successPage(context));
          } else {
            context.response().setStatusCode(200)
                .putHeader("Content-Type", "text/xml")
                .putHeader(REQUEST_ID_HEADER, requestId)
                .end(xml);
          }
        })
        .onFailure(failure -> {
          SnsException error = failure instanceof SnsException known ? known : unexpected(failure);
          if (browser) {
            html(context, error.status(), "Error", "<h1>" + escape(error.code()) + "</h1><p>"
                + escape(error.getMessage()) + "</p>");
          } else {
            error(context, error, requestId);
          }
        });
  }

  private static String parameters(RoutingContext context) {
    String query = context.request().query();
    String body = context.get(BODY);
    if (query == null || query.isEmpty()) {
      return body;
    }
    return body == null || body.isEmpty() ? query : query + "&" + body;
  }

  private static boolean acceptsHtml(RoutingContext context) {
    String accept = context.request().getHeader("Accept");
    return accept != null && accept.contains("text/html");
  }

  private static String successPage(RoutingContext context) {
    String action = context.request().getParam("Action");
    if ("ConfirmSubscription".equals(action)) {
      return "<h1>Subscription confirmed!</h1><p>You have successfully subscribed to the topic "
          + escape(context.request().getParam("TopicArn")) + ".</p>";
    }
    if ("Unsubscribe".equals(action)) {
      return "<h1>Subscription removed!</h1><p>You will no longer receive notifications for "
          + escape(context.request().getParam("SubscriptionArn")) + ".</p>";
    }
    return "<h1>" + escape(action) + " succeeded</h1>";
  }

  private static SnsException unexpected(Throwable failure) {
    LOG.error("The local SNS failed on a request", failure);
    return SnsException.internalError();
  }

  private static void error(RoutingContext context, SnsException error) {
    error(context, error, UUID.randomUUID().toString());
  }

  private static void error(RoutingContext context, SnsException error, String requestId) {
    context.response()
        .setStatusCode(error.status())
        .putHeader("Content-Type", "text/xml")
        .putHeader(REQUEST_ID_HEADER, requestId)
        .end(SnsXml.error(error, requestId));
  }

  private static void html(RoutingContext context, int status, String title, String body) {
    context.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "text/html; charset=utf-8")
        .end("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + escape(title)
            + " - local SNS</title></head><body style=\"font-family:system-ui,sans-serif;margin:2rem\">" + body
            + "</body></html>");
  }

  private static String escape(String text) {
    return text == null ? "" : text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        .replace("\"", "&quot;").replace("'", "&#39;");
  }
}
