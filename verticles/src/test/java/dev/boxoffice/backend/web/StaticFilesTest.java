package dev.boxoffice.backend.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.boxoffice.backend.Boxoffice;
import dev.boxoffice.backend.TestServers;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class StaticFilesTest {

  private static final String INDEX = "<!doctype html><title>Boxoffice test page</title>";
  private static final String DOCS = "<!doctype html><title>Boxoffice API</title><main id=api-docs></main>";

  private static Boxoffice app;
  private static Vertx clientVertx;
  private static WebClient client;

  @BeforeAll
  static void start() throws Exception {
    Path root = Files.createTempDirectory("static");
    Files.writeString(root.resolve("index.html"), INDEX);
    Files.writeString(root.resolve(ApiRouter.DOCS_PAGE), DOCS);
    Files.writeString(root.resolve("app.js"), "console.log('boxoffice');\n".repeat(200));
    Files.createDirectories(root.resolve("img"));
    Files.write(root.resolve("img/logo.svg"), "<svg xmlns='http://www.w3.org/2000/svg'/>".getBytes());
    Files.writeString(root.resolve(".env"), "SECRET=1");
    app = Boxoffice.start(TestServers.config(root, TestServers.redis()));
    clientVertx = Vertx.vertx();
    client = WebClient.create(clientVertx, new WebClientOptions()
        .setDefaultHost("127.0.0.1").setDefaultPort(app.config().httpPort()).setDecompressionSupported(false));
  }

  @AfterAll
  static void stop() throws Exception {
    clientVertx.close().await();
    app.close();
  }

  @Test
  @DisplayName("the root serves index.html as HTML that browsers must revalidate")
  void root() throws Exception {
    HttpResponse<Buffer> response = send(HttpMethod.GET, "/");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.getHeader("content-type")).startsWith("text/html");
    assertThat(response.getHeader("cache-control")).isEqualTo("no-cache");
    assertThat(response.getHeader("x-content-type-options")).isEqualTo("nosniff");
    assertThat(response.getHeader("content-security-policy")).contains("script-src 'self'", "frame-ancestors 'none'");
    assertThat(response.bodyAsString()).isEqualTo(INDEX);
  }

  @Test
  @DisplayName("/api/docs serves the API documentation page of the static folder as HTML, not the app shell")
  void apiDocs() throws Exception {
    HttpResponse<Buffer> response = send(HttpMethod.GET, "/api/docs");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.getHeader("content-type")).startsWith("text/html");
    assertThat(response.getHeader("cache-control")).isEqualTo("no-cache");
    assertThat(response.getHeader("x-content-type-options")).isEqualTo("nosniff");
    assertThat(response.bodyAsString()).isEqualTo(DOCS);
  }

  @Test
  @DisplayName("assets get their content type and a five-minute cache with a validator")
  void assets() throws Exception {
    HttpResponse<Buffer> script = send(HttpMethod.GET, "/app.js");
    HttpResponse<Buffer> image = send(HttpMethod.GET, "/img/logo.svg");

    assertThat(script.statusCode()).isEqualTo(200);
    assertThat(script.getHeader("content-type")).startsWith("text/javascript");
    assertThat(script.getHeader("cache-control")).isEqualTo("public, max-age=" + StaticFiles.ASSET_MAX_AGE_SECONDS);
    assertThat(script.getHeader("last-modified")).isNotBlank();
    assertThat(image.getHeader("content-type")).startsWith("image/svg+xml");
  }

  @Test
  @DisplayName("text assets are gzip-compressed for clients that accept it")
  void compression() throws Exception {
    HttpResponse<Buffer> response = client.get("/app.js").putHeader("Accept-Encoding", "gzip").send()
        .await(10, TimeUnit.SECONDS);

    assertThat(response.getHeader("content-encoding")).isEqualTo("gzip");
    assertThat(response.body().length()).isLessThan("console.log('boxoffice');\n".length() * 200);
  }

  @Test
  @DisplayName("an unknown path without an extension falls back to index.html for the single-page app")
  void spaFallback() throws Exception {
    HttpResponse<Buffer> response = send(HttpMethod.GET, "/events/42/tickets");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.getHeader("content-type")).startsWith("text/html");
    assertThat(response.getHeader("cache-control")).isEqualTo("no-cache");
    assertThat(response.bodyAsString()).isEqualTo(INDEX);
  }

  @Test
  @DisplayName("an unknown file with an extension is a JSON 404, not the HTML page")
  void missingFile() throws Exception {
    HttpResponse<Buffer> response = send(HttpMethod.GET, "/missing.js");

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.bodyAsJsonObject().getString("code")).isEqualTo("not_found");
  }

  @Test
  @DisplayName("unknown /api/ paths answer a JSON 404 for every method, never the HTML page")
  void unknownApi() throws Exception {
    for (HttpMethod method : new HttpMethod[] {HttpMethod.GET, HttpMethod.POST, HttpMethod.DELETE}) {
      HttpResponse<Buffer> response = send(method, "/api/no-such-thing");

      assertThat(response.statusCode()).as(method.name()).isEqualTo(404);
      assertThat(response.getHeader("content-type")).isEqualTo("application/json");
      assertThat(response.bodyAsJsonObject().getString("code")).isEqualTo("not_found");
      assertThat(response.bodyAsJsonObject().getString("message")).contains("/api/no-such-thing");
    }
  }

  @Test
  @DisplayName("hidden files and paths escaping the root are never served")
  void hiddenAndTraversal() throws Exception {
    assertThat(send(HttpMethod.GET, "/.env").statusCode()).isEqualTo(404);
    HttpResponse<Buffer> traversal = send(HttpMethod.GET, "/../../etc/passwd");
    assertThat(traversal.bodyAsString()).doesNotContain("root:");
  }

  @Test
  @DisplayName("a POST to a page path is a JSON 404, not the page")
  void postToPage() throws Exception {
    HttpResponse<Buffer> response = send(HttpMethod.POST, "/events");

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.bodyAsJsonObject().getString("code")).isEqualTo("not_found");
  }

  private static HttpResponse<Buffer> send(HttpMethod method, String path) throws Exception {
    return client.request(method, path).send().await(10, TimeUnit.SECONDS);
  }
}
