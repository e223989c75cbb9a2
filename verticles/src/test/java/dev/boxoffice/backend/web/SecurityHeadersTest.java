package dev.boxoffice.backend.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.boxoffice.backend.config.Config;
import dev.boxoffice.backend.config.TestEnvironments;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The security headers of every answer, and the pages that leave the Content-Security-Policy to them. */
class SecurityHeadersTest {

  private static final Path FRONTEND = Path.of("..", "frontend-static");

  @Test
  @DisplayName("API answers, errors, missing files and health checks carry a CSP naming exact origins and refusing"
      + " frames, nosniff and a referrer policy; no HSTS on local mode's plain HTTP")
  void everyAnswerCarriesThem() {
    TestApi api = TestApi.shared();
    for (String path : List.of("/api/events", "/api/no-such-route", "/no-such-file.js", "/health/live")) {
      HttpResponse<Buffer> response = api.send(HttpMethod.GET, path, null, null);

      String policy = response.getHeader("Content-Security-Policy");
      assertThat(policy).as(path)
          .contains("default-src 'self'", "script-src 'self'", "object-src 'none'", "frame-ancestors 'none'",
              "base-uri 'self'", "form-action 'self'")
          .contains("connect-src 'self' http://127.0.0.1:9;")
          .contains("img-src 'self' data: blob: http://127.0.0.1:9;")
          .doesNotContain("https:", "*");
      assertThat(response.getHeader("X-Content-Type-Options")).as(path).isEqualTo("nosniff");
      assertThat(response.getHeader("Referrer-Policy")).as(path).isEqualTo("strict-origin-when-cross-origin");
      assertThat(response.getHeader("Strict-Transport-Security")).as(path).isNull();
    }
  }

  @Test
  @DisplayName("in aws mode answers carry HSTS for a year with subdomains, and the CSP names the API Gateway, image"
      + " and QR code origins of the configuration")
  void awsMode() throws Exception {
    Config config = Config.fromEnvironment(TestEnvironments.aws(
        "BOXOFFICE_SERVERLESS_API_URL", "https://abc123.execute-api.eu-west-3.amazonaws.com/prod",
        "BOXOFFICE_IMAGE_BASE_URL", "https://d111111abcdef8.cloudfront.net",
        "BOXOFFICE_QR_CODE_ORIGIN", "https://boxoffice-media.s3.eu-west-3.amazonaws.com"));
    Vertx vertx = Vertx.vertx();
    try {
      Router router = Router.router(vertx);
      router.route().handler(SecurityHeaders.handler(config));
      router.route().handler(ctx -> ctx.end("ok"));
      HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await();

      HttpResponse<Buffer> response = WebClient.create(vertx).get(server.actualPort(), "127.0.0.1", "/")
          .send().await(10, TimeUnit.SECONDS);

      assertThat(response.getHeader("Strict-Transport-Security")).isEqualTo("max-age=31536000; includeSubDomains");
      assertThat(response.getHeader("Content-Security-Policy"))
          .contains("connect-src 'self' https://abc123.execute-api.eu-west-3.amazonaws.com;")
          .contains("img-src 'self' data: blob: https://d111111abcdef8.cloudfront.net"
              + " https://boxoffice-media.s3.eu-west-3.amazonaws.com;")
          .contains("frame-ancestors 'none'");
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  @DisplayName("the pages carry no CSP meta tag of their own: a second, laxer policy would still be enforced")
  void noMetaPolicy() throws Exception {
    for (String page : List.of("index.html", ApiRouter.DOCS_PAGE)) {
      assertThat(Files.readString(FRONTEND.resolve(page))).as(page).doesNotContainIgnoringCase("Content-Security-Policy");
    }
  }
}
