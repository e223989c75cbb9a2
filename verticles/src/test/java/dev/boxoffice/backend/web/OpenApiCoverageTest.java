package dev.boxoffice.backend.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.boxoffice.backend.config.Config;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** The OpenAPI document and the router agree: every documented operation is served, nothing else is. */
class OpenApiCoverageTest {

  private static final Set<String> HTTP_METHODS = Set.of("get", "put", "post", "patch", "delete", "head", "options");

  private static TestApi api;
  private static List<DocumentedOperation> documented;

  private record DocumentedOperation(HttpMethod method, String path, String operationId) {
  }

  @BeforeAll
  @SuppressWarnings("unchecked")
  static void readServedDocument() {
    api = TestApi.shared();
    HttpResponse<Buffer> served = api.send(HttpMethod.GET, "/api/openapi.yaml", null, null);
    assertThat(served.statusCode()).isEqualTo(200);
    Map<String, Object> document = new Yaml().load(served.bodyAsString());
    assertThat(document.get("openapi")).isEqualTo("3.1.0");
    documented = new ArrayList<>();
    ((Map<String, Map<String, Object>>) document.get("paths")).forEach((path, item) -> item.forEach((key, value) -> {
      if (HTTP_METHODS.contains(key)) {
        documented.add(new DocumentedOperation(HttpMethod.valueOf(key.toUpperCase(Locale.ROOT)), path,
            (String) ((Map<String, Object>) value).get("operationId")));
      }
    }));
  }

  @Test
  @DisplayName("the handler table names exactly the operationIds of the served document")
  void handlerTableMatchesDocument() {
    Config config = api.app().config();
    ApiOperations operations = new ApiOperations(config, new CatalogHandlers(null, null), new SalesHandlers(null, null),
        new PaymentHandlers(null), new CheckInHandlers(null, null, null), new WaitingRoomHandlers(null),
        new AttendeeHandlers(null), new TeamHandlers(null), new SessionHandlers(null), ctx -> { });

    Set<String> handled = new TreeSet<>(operations.handlers(Buffer.buffer()).keySet());

    assertThat(handled).isEqualTo(new TreeSet<>(documented.stream().map(DocumentedOperation::operationId).toList()));
  }

  @Test
  @DisplayName("every documented operation reaches its handler through HTTP")
  void everyDocumentedOperationIsRouted() {
    String token = api.organizerToken(TestApi.ORGANIZER);
    assertThat(documented).hasSizeGreaterThanOrEqualTo(16);
    for (DocumentedOperation operation : documented) {
      String path = "/api" + operation.path().replaceAll("\\{[^}]+}", UUID.randomUUID().toString());
      // Signing out revokes the caller's sessions: a throwaway caller's, not the organizer's other tests use.
      String caller = operation.operationId().startsWith("signOut")
          ? api.buyerToken("coverage-" + UUID.randomUUID() + "@example.org") : token;
      HttpResponse<Buffer> response = api.send(operation.method(), path, caller,
          operation.method() == HttpMethod.GET ? null : new JsonObject());

      assertThat(response.statusCode()).as(operation + " answered " + response.bodyAsString())
          .isNotIn(405, 501, 503);
      if (response.statusCode() == 404) {
        assertThat(response.bodyAsJsonObject().getString("message")).as(operation.toString())
            .doesNotStartWith("No API route");
      }
    }
  }

  @Test
  @DisplayName("an undocumented path or method under /api is not served")
  void undocumentedRoutesAreNotServed() {
    String eventPath = "/api/events/" + UUID.randomUUID();

    HttpResponse<Buffer> wrongMethod = api.send(HttpMethod.DELETE, eventPath, api.organizerToken(TestApi.ORGANIZER),
        null);
    HttpResponse<Buffer> unknownPath = api.send(HttpMethod.GET, "/api/admin/users", null, null);

    assertThat(wrongMethod.statusCode()).isIn(404, 405);
    assertThat(wrongMethod.bodyAsJsonObject().getString("code")).isIn("not_found", "method_not_allowed");
    assertThat(unknownPath.statusCode()).isEqualTo(404);
    assertThat(unknownPath.bodyAsJsonObject().getString("code")).isEqualTo("not_found");
  }
}
