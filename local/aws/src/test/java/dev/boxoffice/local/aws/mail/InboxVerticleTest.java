package dev.boxoffice.local.aws.mail;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@DisplayName("The web inbox of the mail catcher")
class InboxVerticleTest {

  private final HttpClient http = HttpClient.newHttpClient();
  private MailCatcher mailCatcher;
  private InboxVerticle inbox;
  private SmtpMailer mailer;

  @BeforeEach
  void start(Vertx vertx, VertxTestContext context) {
    vertx.executeBlocking(() -> MailCatcher.start(0))
        .compose(catcher -> {
          mailCatcher = catcher;
          mailer = new SmtpMailer(vertx, catcher.host(), catcher.smtpPort());
          inbox = new InboxVerticle(catcher, 0);
          return vertx.deployVerticle(inbox);
        })
        .onComplete(context.succeedingThenComplete());
  }

  @AfterEach
  void stop(Vertx vertx, VertxTestContext context) {
    vertx.executeBlocking(() -> {
      mailCatcher.stop();
      return null;
    }).onComplete(context.succeedingThenComplete());
  }

  @Test
  @DisplayName("lists mails newest first and escapes every header a sender controls")
  void listsNewestFirstEscaped() throws Exception {
    send("alice@example.test", "First <b>bold</b>", "one");
    send("bob@example.test", "<script>alert(\"x\")</script> & more", "two");

    HttpResponse<String> page = get("/");

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
    assertThat(page.body())
        .contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more", "First &lt;b&gt;bold&lt;/b&gt;")
        .doesNotContain("<script>", "<b>bold");
    assertThat(page.body().indexOf("alert")).isLessThan(page.body().indexOf("First"));
  }

  @Test
  @DisplayName("shows a message as escaped plain text with its links clickable")
  void showsMessageWithLinks() throws Exception {
    send("carol@example.test", "Confirm", "Visit http://127.0.0.1:9/?a=1&b=2 now <not a tag>");
    JsonObject mail = messagesTo("carol@example.test").getJsonObject(0);

    HttpResponse<String> page = get("/messages/" + mail.getString("id"));

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body())
        .contains("<a href=\"http://127.0.0.1:9/?a=1&amp;b=2\">http://127.0.0.1:9/?a=1&amp;b=2</a>")
        .contains("now &lt;not a tag&gt;")
        .contains("no-reply@boxoffice.localhost");
  }

  @Test
  @DisplayName("the JSON API returns only the mails to the asked address, with text and links for tests to read codes")
  void jsonApiFiltersByRecipient() throws Exception {
    send("dave@example.test", "Your code", "Your one-time code is 493817. https://boxoffice.localhost/verify");
    send("erin@example.test", "Other", "not for dave");

    JsonArray messages = messagesTo("DAVE@example.test");

    assertThat(messages).hasSize(1);
    JsonObject mail = messages.getJsonObject(0);
    assertThat(mail.getString("subject")).isEqualTo("Your code");
    assertThat(mail.getJsonArray("to").getList()).containsExactly("dave@example.test");
    assertThat(mail.getString("text")).contains("493817");
    assertThat(mail.getJsonArray("links").getList()).containsExactly("https://boxoffice.localhost/verify");
    assertThat(new JsonObject(get("/api/messages/" + mail.getString("id")).body()).getString("subject"))
        .isEqualTo("Your code");
    assertThat(new JsonArray(get("/api/messages").body())).hasSize(2);
  }

  @Test
  @DisplayName("reads the text part of a multipart mail and the text of an HTML-only one")
  void readsMultipartAndHtml() throws Exception {
    Session session = Session.getInstance(new Properties());
    MimeMessage multipart = new MimeMessage(session);
    multipart.setFrom("app@boxoffice.localhost");
    multipart.setRecipients(Message.RecipientType.TO, InternetAddress.parse("frank@example.test"));
    multipart.setSubject("Ticket");
    MimeBodyPart text = new MimeBodyPart();
    text.setText("Plain ticket T-9", "UTF-8");
    MimeBodyPart html = new MimeBodyPart();
    html.setContent("<p>HTML ticket</p>", "text/html; charset=UTF-8");
    multipart.setContent(new MimeMultipart("alternative", text, html));
    MimeMessage htmlOnly = new MimeMessage(session);
    htmlOnly.setFrom("app@boxoffice.localhost");
    htmlOnly.setRecipients(Message.RecipientType.TO, InternetAddress.parse("grace@example.test"));
    htmlOnly.setSubject("Welcome");
    htmlOnly.setContent("<h1>Welcome</h1><p>Code <b>1234</b> &amp; <a href=\"https://boxoffice.localhost/v?c=1\">verify</a></p>",
        "text/html; charset=UTF-8");
    Properties smtp = new Properties();
    smtp.put("mail.smtp.host", mailCatcher.host());
    smtp.put("mail.smtp.port", String.valueOf(mailCatcher.smtpPort()));
    Transport transport = Session.getInstance(smtp).getTransport("smtp");
    transport.connect();
    try {
      multipart.saveChanges();
      htmlOnly.saveChanges();
      transport.sendMessage(multipart, multipart.getAllRecipients());
      transport.sendMessage(htmlOnly, htmlOnly.getAllRecipients());
    } finally {
      transport.close();
    }

    assertThat(messagesTo("frank@example.test").getJsonObject(0).getString("text")).isEqualTo("Plain ticket T-9");
    JsonObject welcome = messagesTo("grace@example.test").getJsonObject(0);
    assertThat(welcome.getString("text")).isEqualTo("Welcome\nCode 1234 & verify (https://boxoffice.localhost/v?c=1)");
    assertThat(welcome.getJsonArray("links").getList()).containsExactly("https://boxoffice.localhost/v?c=1");
  }

  @Test
  @DisplayName("an unknown message id answers 404 on the page and in the API")
  void unknownMessage() throws Exception {
    assertThat(get("/messages/0000").statusCode()).isEqualTo(404);
    HttpResponse<String> api = get("/api/messages/0000");
    assertThat(api.statusCode()).isEqualTo(404);
    assertThat(new JsonObject(api.body()).getString("error")).isEqualTo("no such message");
    assertThat(get("/").body()).contains("No messages yet.");
  }

  private void send(String to, String subject, String text) throws Exception {
    mailer.send("Boxoffice", "no-reply@boxoffice.localhost", to, subject, text)
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private JsonArray messagesTo(String address) throws IOException, InterruptedException {
    HttpResponse<String> response = get("/api/messages?to=" + address);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    return new JsonArray(response.body());
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    URI uri = URI.create("http://127.0.0.1:" + inbox.actualPort() + path);
    return http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
  }
}
