package dev.boxoffice.backend;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The backend's layers, as docs/architecture.md draws them: web, workflows and the payment provider's adapter on
 * top, the domain services below, the stores below them, then the infrastructure, and the model and config everyone
 * shares. Arrows only point down: the Stripe adapter implements the domain's port, and only Boxoffice wires it in.
 */
class LayeringTest {

  private static final String WEB = "dev.boxoffice.backend.web..";
  private static final String WORKFLOWS = "dev.boxoffice.backend.workflows..";
  private static final String PROVIDERS = "dev.boxoffice.backend.stripe..";
  private static final List<String> DOMAIN = List.of("dev.boxoffice.backend.catalog..",
      "dev.boxoffice.backend.sales..", "dev.boxoffice.backend.checkin..", "dev.boxoffice.backend.payments..",
      "dev.boxoffice.backend.attendees..", "dev.boxoffice.backend.team..", "dev.boxoffice.backend.sessions..");
  private static final String STORES = "dev.boxoffice.backend.store..";

  private static JavaClasses backend;

  /** The product classes only: the folder or jar {@link Boxoffice} was loaded from. */
  @BeforeAll
  static void importProductClasses() {
    backend = new ClassFileImporter().importUrl(Boxoffice.class.getProtectionDomain().getCodeSource().getLocation());
  }

  @Test
  @DisplayName("each layer uses only the layers below it; only Boxoffice, which wires them, sees them all")
  void layersPointDown() {
    layeredArchitecture().consideringOnlyDependenciesInLayers()
        .layer("Composition").definedBy("dev.boxoffice.backend")
        .layer("Web").definedBy(WEB)
        .layer("Workflows").definedBy(WORKFLOWS)
        .layer("Providers").definedBy(PROVIDERS)
        .layer("Domain").definedBy(DOMAIN.toArray(String[]::new))
        .layer("Stores").definedBy(STORES)
        .layer("Infrastructure").definedBy("dev.boxoffice.backend.db..", "dev.boxoffice.backend.cache..",
            "dev.boxoffice.backend.outbox..", "dev.boxoffice.backend.auth..", "dev.boxoffice.backend.health..",
            "dev.boxoffice.backend.tracing..")
        .layer("Foundation").definedBy("dev.boxoffice.backend.model..", "dev.boxoffice.backend.config..")
        .whereLayer("Composition").mayNotBeAccessedByAnyLayer()
        .whereLayer("Web").mayOnlyBeAccessedByLayers("Composition")
        .whereLayer("Workflows").mayOnlyBeAccessedByLayers("Composition")
        .whereLayer("Providers").mayOnlyBeAccessedByLayers("Composition")
        .whereLayer("Domain").mayOnlyBeAccessedByLayers("Web", "Providers", "Composition")
        .whereLayer("Stores").mayOnlyBeAccessedByLayers("Domain", "Workflows", "Composition")
        .whereLayer("Infrastructure")
        .mayOnlyBeAccessedByLayers("Stores", "Domain", "Workflows", "Providers", "Web", "Composition")
        .whereLayer("Foundation")
        .mayOnlyBeAccessedByLayers("Infrastructure", "Stores", "Domain", "Workflows", "Providers", "Web",
            "Composition")
        .check(backend);
  }

  @Test
  @DisplayName("no two packages of the backend depend on each other, however indirectly")
  void noPackageCycles() {
    slices().matching("dev.boxoffice.backend.(*)..").should().beFreeOfCycles().check(backend);
  }

  @Test
  @DisplayName("catalog, sales, check-in and payments know nothing of each other")
  void domainsApart() {
    for (String domain : DOMAIN) {
      noClasses().that().resideInAPackage(domain)
          .should().dependOnClassesThat().resideInAnyPackage(DOMAIN.stream().filter(other -> !other.equals(domain))
              .toArray(String[]::new))
          .check(backend);
    }
  }

  @Test
  @DisplayName("only the web layer knows HTTP: requests, routes, status codes and the OpenAPI validation")
  void onlyWebSpeaksHttp() {
    noClasses().that().resideOutsideOfPackages(WEB, "dev.boxoffice.backend")
        .should().dependOnClassesThat().resideInAnyPackage("io.vertx.ext.web..", "io.vertx.core.http..",
            "io.vertx.openapi..", "io.vertx.ext.auth..", "io.netty.handler.codec.http..")
        .check(backend);
  }

  @Test
  @DisplayName("Redis is reached only through the cache package (and probed by the readiness check)")
  void redisStaysInCache() {
    noClasses().that().resideOutsideOfPackages("dev.boxoffice.backend.cache..", "dev.boxoffice.backend.health..",
            "dev.boxoffice.backend")
        .should().dependOnClassesThat().resideInAPackage("io.vertx.redis..")
        .check(backend);
  }

  @Test
  @DisplayName("web, the domain services, the workflows and the provider adapter reach PostgreSQL only through the"
      + " stores")
  void sqlStaysInStores() {
    noClasses().that().resideInAnyPackage(List.of(List.of(WEB, WORKFLOWS, PROVIDERS), DOMAIN).stream()
            .flatMap(List::stream)
            .toArray(String[]::new))
        .should().dependOnClassesThat().resideInAnyPackage("io.vertx.sqlclient..", "io.vertx.pgclient..")
        .check(backend);
  }
}
