package dev.boxoffice.local.aws.mail;

import dev.boxoffice.local.aws.UnreadableRequest;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.regex.Matcher;

/**
 * The web inbox of the mail catcher on its own port of 127.0.0.1: an HTML list and message pages for a developer's
 * browser, and a JSON API for tests that read one-time codes and SubscribeURLs.
 */
public final class InboxVerticle extends VerticleBase {

  private static final String LOOPBACK = "127.0.0.1";
  private static final int MAX_REQUEST_LINE = 8 * 1024;
  private static final int MAX_HEADERS = 8 * 1024;
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
      .withZone(ZoneOffset.UTC);

  private final MailCatcher mailCatcher;
  private final int port;
  private HttpServer server;

  public InboxVerticle(MailCatcher mailCatcher, int port) {
    this.mailCatcher = mailCatcher;
    this.port = port;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    router.get("/").handler(this::listPage);
    router.get("/messages/:id").handler(this::messagePage);
    router.get("/api/messages").handler(this::listJson);
    router.get("/api/messages/:id").handler(this::messageJson);
    return vertx.createHttpServer(UnreadableRequest.limitedTo(MAX_REQUEST_LINE, MAX_HEADERS))
        .requestHandler(router)
        .invalidRequestHandler(request -> {
          UnreadableRequest why = UnreadableRequest.of(request);
          why.answer(request, "application/json", why.json());
        })
        .listen(port, LOOPBACK)
        .onSuccess(listening -> server = listening);
  }

  /** The port the inbox listens on, known once the verticle is deployed. */
  public int actualPort() {
    return server.actualPort();
  }

  private void listPage(RoutingContext context) {
    caughtMessages(null)
        .onSuccess(messages -> html(context, 200, "Local inbox", listHtml(messages)))
        .onFailure(context::fail);
  }

  private void messagePage(RoutingContext context) {
    caughtMessages(null)
        .map(messages -> messages.stream().filter(mail -> mail.id().equals(context.pathParam("id"))).findFirst())
        .onSuccess(found -> found.ifPresentOrElse(
            mail -> html(context, 200, mail.subject(), messageHtml(mail)),
            () -> html(context, 404, "Not found", "<p>No such message. <a href=\"/\">Back to the inbox</a></p>")))
        .onFailure(context::fail);
  }

  private void listJson(RoutingContext context) {
    List<String> to = context.queryParam("to");
    caughtMessages(to.isEmpty() ? null : to.getFirst())
        .onSuccess(messages -> json(context, 200,
            new JsonArray(messages.stream().map(InboxVerticle::toJson).toList()).encode()))
        .onFailure(context::fail);
  }

  private void messageJson(RoutingContext context) {
    caughtMessages(null)
        .map(messages -> messages.stream().filter(mail -> mail.id().equals(context.pathParam("id"))).findFirst())
        .onSuccess(found -> found.ifPresentOrElse(
            mail -> json(context, 200, toJson(mail).encode()),
            () -> json(context, 404, new JsonObject().put("error", "no such message").encode())))
        .onFailure(context::fail);
  }

  private Future<List<CaughtMail>> caughtMessages(String to) {
    return vertx.executeBlocking(() -> to == null ? mailCatcher.messages() : mailCatcher.messagesTo(to), false);
  }

  private static JsonObject toJson(CaughtMail mail) {
    return new JsonObject()
        .put("id", mail.id())
        .put("from", mail.from())
        .put("to", new JsonArray(mail.to()))
        .put("subject", mail.subject())
        .put("receivedAt", mail.receivedAt().toString())
        .put("text", mail.text())
        .put("links", new JsonArray(mail.links()));
  }

  private static String listHtml(List<CaughtMail> messages) {
    StringBuilder page = new StringBuilder("<h1>Local inbox</h1>");
    if (messages.isEmpty()) {
      return page.append("<p>No messages yet.</p>").toString();
    }
    page.append("<table><thead><tr><th>Received</th><th>To</th><th>Subject</th></tr></thead><tbody>");
    for (CaughtMail mail : messages) {
      page.append("<tr><td>").append(escape(TIME.format(mail.receivedAt())))
          .append("</td><td>").append(escape(String.join(", ", mail.to())))
          .append("</td><td><a href=\"/messages/").append(escape(mail.id())).append("\">")
          .append(escape(mail.subject().isEmpty() ? "(no subject)" : mail.subject()))
          .append("</a></td></tr>");
    }
    return page.append("</tbody></table>").toString();
  }

  private static String messageHtml(CaughtMail mail) {
    return "<p><a href=\"/\">&larr; Inbox</a></p>"
        + "<h1>" + escape(mail.subject()) + "</h1>"
        + "<dl><dt>From</dt><dd>" + escape(mail.from()) + "</dd>"
        + "<dt>To</dt><dd>" + escape(String.join(", ", mail.to())) + "</dd>"
        + "<dt>Received</dt><dd>" + escape(TIME.format(mail.receivedAt())) + "</dd></dl>"
        + "<pre>" + linkified(mail.text()) + "</pre>";
  }

  /** Escapes the text and turns each http(s) URL in it into a link. */
  static String linkified(String text) {
    StringBuilder html = new StringBuilder();
    Matcher matcher = CaughtMail.LINK.matcher(text);
    int written = 0;
    while (matcher.find()) {
      html.append(escape(text.substring(written, matcher.start())));
      String url = escape(matcher.group());
      html.append("<a href=\"").append(url).append("\">").append(url).append("</a>");
      written = matcher.end();
    }
    return html.append(escape(text.substring(written))).toString();
  }

  static String escape(String text) {
    StringBuilder escaped = new StringBuilder(text.length());
    for (char character : text.toCharArray()) {
      switch (character) {
        case '&' -> escaped.append("&amp;");
        case '<' -> escaped.append("&lt;");
        case '>' -> escaped.append("&gt;");
        case '"' -> escaped.append("&quot;");
        case '\'' -> escaped.append("&#39;");
        default -> escaped.append(character);
      }
    }
    return escaped.toString();
  }

  private static void html(RoutingContext context, int status, String title, String body) {
    context.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "text/html; charset=utf-8")
        .end("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + escape(title)
            + "</title><style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:60rem}"
            + "table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:.4rem;"
            + "border-bottom:1px solid #ddd}"
            + "pre{white-space:pre-wrap;overflow-wrap:anywhere;background:#f6f6f6;padding:1rem}"
            + "dt{font-weight:bold}</style></head><body>" + body + "</body></html>");
  }

  private static void json(RoutingContext context, int status, String body) {
    context.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .end(body);
  }
}
