package dev.boxoffice.local.aws.mail;

import dev.boxoffice.local.aws.UnreadableRequest;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;

/**
 * The web inbox of the mail catcher on its own port of 127.0.0.1: an HTML list and message pages for a developer's
 * browser, and a JSON API for tests that read one-time codes, links, parts and raw messages.
 *
 * <p>An HTML mail is shown as a recipient sees it, safely: its HTML is served on its own URL under a
 * Content-Security-Policy that forbids scripts, remote content and forms, and shown in a sandboxed iframe (no script,
 * no same-origin access; links open in a new tab); its {@code cid:} images point to the message's parts, and its
 * attachments can be downloaded.
 */
public final class InboxVerticle extends VerticleBase {

  private static final String LOOPBACK = "127.0.0.1";
  private static final int MAX_REQUEST_LINE = 8 * 1024;
  private static final int MAX_HEADERS = 8 * 1024;
  /** The iframe may open links in a new, unsandboxed tab, and nothing else: no script, no same origin, no forms. */
  private static final String IFRAME_SANDBOX = "allow-popups allow-popups-to-escape-sandbox";
  /** What a mail's HTML may load: its own inline images (data: and this inbox's parts) and inline styles. */
  private static final String MAIL_CSP = "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; "
      + "base-uri 'none'; form-action 'none'; frame-ancestors 'self'; sandbox " + IFRAME_SANDBOX;
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
    router.get("/messages/:id/html").handler(this::htmlBody);
    router.get("/messages/:id/parts/:index").handler(this::part);
    router.get("/messages/:id/raw").handler(this::raw);
    router.get("/api/messages").handler(this::listJson);
    router.get("/api/messages/:id").handler(this::messageJson);
    router.get("/api/messages/:id/raw").handler(this::raw);
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

  /** The HTML body, its cid: images pointing to the message's parts, under a CSP that lets nothing else run. */
  private void htmlBody(RoutingContext context) {
    String id = context.pathParam("id");
    caughtMessages(null)
        .map(messages -> messages.stream().filter(mail -> mail.id().equals(id) && mail.html() != null).findFirst())
        .onSuccess(found -> found.ifPresentOrElse(
            mail -> context.response()
                .putHeader("Content-Type", "text/html; charset=utf-8")
                .putHeader("Content-Security-Policy", MAIL_CSP)
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("Referrer-Policy", "no-referrer")
                .end(MailHtml.forViewing(mail)),
            () -> html(context, 404, "Not found", "<p>This message has no HTML body.</p>")))
        .onFailure(context::fail);
  }

  /** An inline image or an attachment: images shown, anything else downloaded, nothing ever sniffed or run. */
  private void part(RoutingContext context) {
    String id = context.pathParam("id");
    int index;
    try {
      index = Integer.parseInt(context.pathParam("index"));
    } catch (NumberFormatException e) {
      html(context, 404, "Not found", "<p>No such part.</p>");
      return;
    }
    vertx.executeBlocking(() -> mailCatcher.message(id).flatMap(mail -> mail.parts().stream()
            .filter(part -> part.index() == index).findFirst()
            .flatMap(part -> mailCatcher.partContent(id, index).map(bytes -> Map.entry(part, bytes)))), false)
        .onSuccess(found -> found.ifPresentOrElse(entry -> {
          MailPart part = entry.getKey();
          boolean image = part.mediaType().startsWith("image/") && !part.mediaType().contains("svg");
          String filename = part.filename() == null ? "part-" + index : part.filename();
          context.response()
              .putHeader("Content-Type", image ? part.mediaType() : part.contentType())
              .putHeader("Content-Disposition", (image ? "inline" : "attachment") + "; filename=\""
                  + filename.replaceAll("[\"\\\\\r\n]", "_") + "\"")
              .putHeader("Content-Security-Policy", "default-src 'none'; sandbox")
              .putHeader("X-Content-Type-Options", "nosniff")
              .end(Buffer.buffer(entry.getValue()));
        }, () -> html(context, 404, "Not found", "<p>No such part.</p>")))
        .onFailure(context::fail);
  }

  private void raw(RoutingContext context) {
    vertx.executeBlocking(() -> mailCatcher.raw(context.pathParam("id")), false)
        .onSuccess(found -> found.ifPresentOrElse(
            bytes -> context.response().putHeader("Content-Type", "message/rfc822")
                .putHeader("Content-Disposition", "attachment; filename=\"" + context.pathParam("id") + ".eml\"")
                .end(Buffer.buffer(bytes)),
            () -> json(context, 404, new JsonObject().put("error", "no such message").encode())))
        .onFailure(context::fail);
  }

  private Future<List<CaughtMail>> caughtMessages(String to) {
    return vertx.executeBlocking(() -> to == null ? mailCatcher.messages() : mailCatcher.messagesTo(to), false);
  }

  private static JsonObject toJson(CaughtMail mail) {
    JsonArray parts = new JsonArray();
    for (MailPart part : mail.parts()) {
      parts.add(new JsonObject()
          .put("index", part.index())
          .put("contentType", part.mediaType())
          .put("filename", part.filename())
          .put("contentId", part.contentId())
          .put("inline", part.inline())
          .put("url", "/messages/" + mail.id() + "/parts/" + part.index()));
    }
    return new JsonObject()
        .put("id", mail.id())
        .put("from", mail.from())
        .put("to", new JsonArray(mail.to()))
        .put("subject", mail.subject())
        .put("receivedAt", mail.receivedAt().toString())
        .put("text", mail.text())
        .put("html", mail.html())
        .put("headers", new JsonObject(new LinkedHashMap<>(mail.headers())))
        .put("parts", parts)
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
    StringBuilder page = new StringBuilder("<p><a href=\"/\">&larr; Inbox</a></p>")
        .append("<h1>").append(escape(mail.subject())).append("</h1>")
        .append("<dl><dt>From</dt><dd>").append(escape(mail.from())).append("</dd>")
        .append("<dt>To</dt><dd>").append(escape(String.join(", ", mail.to()))).append("</dd>")
        .append("<dt>Received</dt><dd>").append(escape(TIME.format(mail.receivedAt()))).append("</dd>");
    mail.headers().forEach((name, value) ->
        page.append("<dt>").append(escape(name)).append("</dt><dd>").append(escape(value)).append("</dd>"));
    page.append("</dl>");
    if (mail.html() != null) {
      page.append("<iframe title=\"The email as its recipient sees it\" class=\"mail\" sandbox=\"")
          .append(IFRAME_SANDBOX).append("\" referrerpolicy=\"no-referrer\" src=\"/messages/")
          .append(escape(mail.id())).append("/html\"></iframe>");
    }
    List<MailPart> attachments = mail.parts().stream().filter(part -> !part.inline() || part.contentId() == null)
        .toList();
    if (!attachments.isEmpty()) {
      page.append("<h2>Attachments</h2><ul>");
      for (MailPart part : attachments) {
        String name = part.filename() == null ? "part " + part.index() : part.filename();
        page.append("<li><a download href=\"/messages/").append(escape(mail.id())).append("/parts/")
            .append(part.index()).append("\">").append(escape(name)).append("</a> (")
            .append(escape(part.mediaType())).append(")</li>");
      }
      page.append("</ul>");
    }
    return page.append("<h2>Text</h2><pre>").append(linkified(mail.text())).append("</pre>")
        .append("<p><a href=\"/messages/").append(escape(mail.id())).append("/raw\">Raw message</a></p>")
        .toString();
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
            + "iframe.mail{width:100%;height:70vh;border:1px solid #ddd}"
            + "dt{font-weight:bold}</style></head><body>" + body + "</body></html>");
  }

  private static void json(RoutingContext context, int status, String body) {
    context.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .end(body);
  }
}
