package dev.boxoffice.backend.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.boxoffice.backend.auth.ActiveRoles;
import dev.boxoffice.backend.auth.DoorScope;
import dev.boxoffice.backend.auth.Principal;
import dev.boxoffice.backend.auth.RevokedSessions;
import dev.boxoffice.backend.auth.SessionKeys;
import dev.boxoffice.backend.auth.TeamRoles;
import dev.boxoffice.backend.config.Config;
import dev.boxoffice.backend.config.TestEnvironments;
import dev.boxoffice.backend.model.SessionRevocation;
import dev.boxoffice.codecs.session.Role;
import dev.boxoffice.codecs.session.SessionClaims;
import dev.boxoffice.codecs.session.SessionRevocations;
import dev.boxoffice.codecs.session.SessionTokens;
import dev.boxoffice.local.servers.LoopbackPorts;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The session handlers on a real router and HTTP server, called over loopback. */
class SessionsTest {

  /** The grants as the backend's reloader would copy them: the two organizers the bootstrap granted. */
  private static final ActiveRoles ROLES = new ActiveRoles(Set.of());
  private static final RevokedSessions NO_REVOCATIONS = new RevokedSessions(Clock.systemUTC());
  private static Vertx vertx;
  private static WebClient client;
  private static SessionKeys keys;
  private static HttpServer localServer;
  private static HttpServer awsServer;

  @BeforeAll
  static void start() throws Exception {
    ROLES.replace(new TeamRoles(1, Set.of("org@example.org", "second-org@example.org"), Map.of()));
    vertx = Vertx.vertx();
    Path dataDir = Files.createTempDirectory("boxoffice-sessions");
    Config local = Config.fromEnvironment(TestEnvironments.local(
        "BOXOFFICE_DATA_DIR", dataDir.toString(),
        "BOXOFFICE_ORGANIZER_EMAILS", " Org@Example.org , second-org@example.org"));
    keys = SessionKeys.load(local);
    localServer = serve(Sessions.create(keys, local, ROLES, NO_REVOCATIONS));

    Config aws = Config.fromEnvironment(TestEnvironments.aws("BOXOFFICE_SESSION_PUBLIC_KEY",
        keys.publicKeyPem(), "BOXOFFICE_ORGANIZER_EMAILS", "org@example.org", "BOXOFFICE_TICKET_PUBLIC_KEY",
        keys.publicKeyPem()));
    awsServer = serve(Sessions.create(SessionKeys.load(aws), aws, ROLES, NO_REVOCATIONS));
    client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1"));
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  private static HttpServer serve(Sessions sessions) {
    Router router = Router.router(vertx);
    router.route().handler(BodyHandler.create().setBodyLimit(64 * 1024));
    router.post("/api/dev/login").handler(sessions.devLogin());
    router.route("/api/me").handler(sessions.authenticate()).handler(ctx -> {
      Principal principal = Sessions.principal(ctx);
      ctx.json(new JsonObject().put("email", principal.email())
          .put("roles", new JsonArray(principal.roles().stream().map(Role::claimValue).sorted().toList())));
    });
    router.route("/api/organizer-only").handler(sessions.authenticate())
        .handler(Sessions.requireRole(Role.ORGANIZER))
        .handler(ctx -> ctx.json(new JsonObject().put("ok", true)));
    Errors.install(router);
    return vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await();
  }

  @Test
  @DisplayName("a token issued with the codecs is accepted by the backend, which sees its email and roles")
  void codecsTokenVerifies() throws Exception {
    String token = issue(claims("Ada@Example.org", Set.of(Role.BUYER), Instant.now(), Duration.ofMinutes(5)));

    HttpResponse<Buffer> response = call(get("/api/me").bearerTokenAuthentication(token));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.bodyAsJsonObject()).isEqualTo(new JsonObject().put("email", "ada@example.org")
        .put("roles", new JsonArray().add("buyer")));
  }

  @Test
  @DisplayName("the dev login gives organizers of the active grants both roles and everyone else the buyer role")
  void devLoginRoles() throws Exception {
    HttpResponse<Buffer> organizer = login("ORG@example.org");
    HttpResponse<Buffer> buyer = login("someone@example.org");

    assertThat(organizer.statusCode()).isEqualTo(200);
    JsonObject session = organizer.bodyAsJsonObject();
    assertThat(session.fieldNames()).containsExactlyInAnyOrder("token", "expiresAt");
    assertThat(Instant.parse(session.getString("expiresAt"))).isAfter(Instant.now().plus(Duration.ofHours(11)));
    assertThat(call(get("/api/me").bearerTokenAuthentication(session.getString("token"))).bodyAsJsonObject())
        .isEqualTo(new JsonObject().put("email", "org@example.org")
            .put("roles", new JsonArray().add("buyer").add("organizer")));
    assertThat(call(get("/api/organizer-only").bearerTokenAuthentication(session.getString("token"))).statusCode())
        .isEqualTo(200);

    HttpResponse<Buffer> forbidden = call(get("/api/organizer-only")
        .bearerTokenAuthentication(buyer.bodyAsJsonObject().getString("token")));
    assertThat(forbidden.statusCode()).isEqualTo(403);
    assertThat(forbidden.bodyAsJsonObject().getString("code")).isEqualTo("forbidden");
  }

  @Test
  @DisplayName("the roles come from the active grants, not the token: a claimed organizer is a buyer, a granted one"
      + " keeps the role only while granted, even on a session already verified")
  void rolesFromGrantsNotClaims() throws Exception {
    ActiveRoles roles = new ActiveRoles(Set.of("Boss@Example.org"));
    roles.replace(new TeamRoles(1, Set.of("granted@example.org"), Map.of("door@example.org",
        new DoorScope(Set.of("granted@example.org"), Set.of()))));
    HttpServer server = serve(Sessions.create(keys, Config.fromEnvironment(TestEnvironments.local(
        "BOXOFFICE_SESSION_PUBLIC_KEY", keys.publicKeyPem())), roles, NO_REVOCATIONS));
    String claimed = issue(claims("claimed@example.org", Set.of(Role.BUYER, Role.ORGANIZER, Role.STAFF),
        Instant.now(), Duration.ofMinutes(5)));
    String granted = issue(claims("granted@example.org", Set.of(Role.BUYER), Instant.now(), Duration.ofMinutes(5)));
    String door = issue(claims("door@example.org", Set.of(Role.BUYER), Instant.now(), Duration.ofMinutes(5)));
    String boss = issue(claims("boss@example.org", Set.of(Role.BUYER), Instant.now(), Duration.ofMinutes(5)));

    assertThat(rolesOf(server, claimed)).containsExactly("buyer");
    assertThat(rolesOf(server, granted)).containsExactly("buyer", "organizer");
    assertThat(rolesOf(server, door)).containsExactly("buyer", "staff");
    assertThat(rolesOf(server, boss)).containsExactly("admin", "buyer");
    assertThat(call(client.get(server.actualPort(), "127.0.0.1", "/api/organizer-only")
        .bearerTokenAuthentication(granted)).statusCode()).isEqualTo(200);

    roles.replace(new TeamRoles(2, Set.of(), Map.of()));

    assertThat(rolesOf(server, granted)).containsExactly("buyer");
    assertThat(rolesOf(server, door)).containsExactly("buyer");
    assertThat(call(client.get(server.actualPort(), "127.0.0.1", "/api/organizer-only")
        .bearerTokenAuthentication(granted)).statusCode()).isEqualTo(403);
    server.close().await();
  }

  private static List<Object> rolesOf(HttpServer server, String token) throws Exception {
    HttpResponse<Buffer> response = call(client.get(server.actualPort(), "127.0.0.1", "/api/me")
        .bearerTokenAuthentication(token));
    assertThat(response.statusCode()).isEqualTo(200);
    return response.bodyAsJsonObject().getJsonArray("roles").getList();
  }

  @Test
  @DisplayName("a missing, malformed, forged, foreign-key, expired, wrong-audience, wrong-issuer or alg-none token answers 401")
  void refusedTokens() throws Exception {
    Instant now = Instant.now();
    SessionClaims valid = claims("ada@example.org", Set.of(Role.BUYER), now, Duration.ofMinutes(5));
    String token = issue(valid);
    String[] parts = token.split("\\.");
    String promoted = encode(decode(parts[1]).replace("[\"buyer\"]", "[\"buyer\",\"organizer\"]"));
    PrivateKey otherKey = SessionTokens.generateKeyPair().getPrivate();
    String none = encode("{\"alg\":\"none\",\"typ\":\"JWT\"}");

    Map<String, String> authorizations = Map.ofEntries(
        Map.entry("garbage", "Bearer not.a.token"),
        Map.entry("sql injection", "Bearer ' OR 1=1 --"),
        Map.entry("empty bearer", "Bearer "),
        Map.entry("basic scheme", "Basic " + encode("ada:secret")),
        Map.entry("forged claims", "Bearer " + parts[0] + "." + promoted + "." + parts[2]),
        Map.entry("other key", "Bearer " + SessionTokens.issue(valid, otherKey)),
        Map.entry("expired", "Bearer " + issue(claims("ada@example.org", Set.of(Role.BUYER),
            now.minus(Duration.ofHours(2)), Duration.ofHours(1)))),
        Map.entry("wrong audience", "Bearer " + issue(new SessionClaims("ada@example.org", Set.of(Role.BUYER), now,
            now.plusSeconds(300), "boxoffice", "another-api"))),
        Map.entry("wrong issuer", "Bearer " + issue(new SessionClaims("ada@example.org", Set.of(Role.BUYER), now,
            now.plusSeconds(300), "someone-else", "boxoffice-api"))),
        Map.entry("alg none", "Bearer " + none + "." + parts[1] + "."),
        Map.entry("alg none with signature", "Bearer " + none + "." + parts[1] + "." + parts[2]),
        Map.entry("HS256 keyed with the public key", "Bearer " + hmacWithPublicKey(parts[1])),
        Map.entry("no expiry", "Bearer " + signRaw(new JsonObject().put("sub", "ada@example.org")
            .put("roles", new JsonArray().add("buyer")).put("iat", now.getEpochSecond()).put("iss", "boxoffice")
            .put("aud", "boxoffice-api"))),
        Map.entry("no audience", "Bearer " + signRaw(new JsonObject().put("sub", "ada@example.org")
            .put("roles", new JsonArray().add("buyer")).put("iat", now.getEpochSecond())
            .put("exp", now.getEpochSecond() + 300).put("iss", "boxoffice"))),
        Map.entry("unknown role", "Bearer " + signRaw(new JsonObject().put("sub", "ada@example.org")
            .put("roles", new JsonArray().add("root")).put("iat", now.getEpochSecond())
            .put("exp", now.getEpochSecond() + 300).put("iss", "boxoffice").put("aud", "boxoffice-api"))));

    assertThat(call(get("/api/me")).statusCode()).isEqualTo(401);
    for (Map.Entry<String, String> authorization : authorizations.entrySet()) {
      HttpResponse<Buffer> response = call(get("/api/me").putHeader("Authorization", authorization.getValue()));
      assertThat(response.statusCode()).as(authorization.getKey()).isEqualTo(401);
      assertThat(response.bodyAsJsonObject().getString("code")).as(authorization.getKey()).isEqualTo("unauthorized");
      assertThat(response.getHeader("WWW-Authenticate")).isEqualTo("Bearer");
    }
  }

  @Test
  @DisplayName("a correctly signed token with a crit header, a not-before or an issue time beyond the clock skew answers 401")
  void refusedHeadersAndFutureTokens() throws Exception {
    Instant now = Instant.now();
    JsonObject claims = new JsonObject().put("sub", "ada@example.org").put("roles", new JsonArray().add("buyer"))
        .put("iat", now.getEpochSecond()).put("exp", now.getEpochSecond() + 300).put("iss", "boxoffice")
        .put("aud", "boxoffice-api");

    Map<String, String> tokens = Map.of(
        "crit naming exp", signRaw("{\"alg\":\"EdDSA\",\"typ\":\"JWT\",\"crit\":[\"exp\"]}", claims),
        "crit naming an unknown extension",
        signRaw("{\"alg\":\"EdDSA\",\"crit\":[\"x-must-check\"],\"x-must-check\":true}", claims),
        "not before, a minute ahead", signRaw(claims.copy().put("nbf", now.getEpochSecond() + 60)),
        "issued a minute ahead", signRaw(claims.copy().put("iat", now.getEpochSecond() + 60)));

    for (Map.Entry<String, String> token : tokens.entrySet()) {
      HttpResponse<Buffer> response = call(get("/api/me").bearerTokenAuthentication(token.getValue()));
      assertThat(response.statusCode()).as(token.getKey()).isEqualTo(401);
      assertThat(response.bodyAsJsonObject().getString("code")).as(token.getKey()).isEqualTo("unauthorized");
    }
    assertThat(call(get("/api/me").bearerTokenAuthentication(signRaw(claims))).statusCode())
        .as("the same claims without them").isEqualTo(200);
  }

  @Test
  @DisplayName("a token expired for less than the clock skew still passes, one expired for longer does not")
  void clockSkew() throws Exception {
    Instant now = Instant.now();
    String justExpired = issue(claims("ada@example.org", Set.of(Role.BUYER), now.minusSeconds(310),
        Duration.ofSeconds(300)));
    String longExpired = issue(claims("ada@example.org", Set.of(Role.BUYER), now.minusSeconds(400),
        Duration.ofSeconds(300)));

    assertThat(call(get("/api/me").bearerTokenAuthentication(justExpired)).statusCode()).isEqualTo(200);
    assertThat(call(get("/api/me").bearerTokenAuthentication(longExpired)).statusCode()).isEqualTo(401);
  }

  @Test
  @DisplayName("hundreds of distinct sessions verified at once on several event loops all pass")
  void concurrentVerification() throws Exception {
    Sessions shared = Sessions.create(keys, Config.fromEnvironment(TestEnvironments.local(
        "BOXOFFICE_SESSION_PUBLIC_KEY", keys.publicKeyPem())), ROLES, NO_REVOCATIONS);
    int port = LoopbackPorts.free();
    vertx.deployVerticle(() -> new VerticleBase() {
      @Override
      public Future<?> start() {
        Router router = Router.router(vertx);
        router.get("/api/me").handler(shared.authenticate())
            .handler(ctx -> ctx.json(new JsonObject().put("email", Sessions.principal(ctx).email())));
        return vertx.createHttpServer().requestHandler(router).listen(port, "127.0.0.1");
      }
    }, new DeploymentOptions().setInstances(2)).await();
    Instant now = Instant.now();

    List<Future<HttpResponse<Buffer>>> responses = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      String token = issue(claims("buyer" + i + "@example.org", Set.of(Role.BUYER), now, Duration.ofMinutes(5)));
      responses.add(client.get(port, "127.0.0.1", "/api/me").bearerTokenAuthentication(token).send());
    }

    for (int i = 0; i < responses.size(); i++) {
      HttpResponse<Buffer> response = responses.get(i).await(30, TimeUnit.SECONDS);
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.bodyAsJsonObject().getString("email")).isEqualTo("buyer" + i + "@example.org");
    }
  }

  @Test
  @DisplayName("a token signed out is refused even after it verified once; an address signed out everywhere has its"
      + " older tokens refused and a token issued in a later second accepted")
  void revokedSessionsRefused() throws Exception {
    RevokedSessions revoked = new RevokedSessions(Clock.systemUTC());
    Config local = Config.fromEnvironment(TestEnvironments.local("BOXOFFICE_SESSION_PUBLIC_KEY", keys.publicKeyPem()));
    HttpServer server = serve(Sessions.create(keys, local, ROLES, revoked));
    Instant now = Instant.now();
    String signedOut = issue(claims("ada@example.org", Set.of(Role.BUYER), now, Duration.ofMinutes(5)));
    String otherDevice = issue(claims("ada@example.org", Set.of(Role.BUYER), now.minusSeconds(60),
        Duration.ofMinutes(5)));
    String older = issue(claims("grace@example.org", Set.of(Role.BUYER), now.minusSeconds(60), Duration.ofMinutes(5)));
    assertThat(statusOn(server, signedOut)).isEqualTo(200);

    revoked.add(List.of(new SessionRevocation(1, "ada@example.org",
        Optional.of(SessionRevocations.tokenHash(signedOut)), now, now.plus(Duration.ofMinutes(6)))));
    revoked.add(List.of(new SessionRevocation(2, "grace@example.org", Optional.empty(), now,
        now.plus(SessionRevocations.EVERYWHERE_RETENTION))));
    String later = issue(claims("grace@example.org", Set.of(Role.BUYER), now.plusSeconds(1), Duration.ofMinutes(5)));

    HttpResponse<Buffer> refused = call(client.get(server.actualPort(), "127.0.0.1", "/api/me")
        .bearerTokenAuthentication(signedOut));
    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(refused.bodyAsJsonObject().getString("message")).contains("signed out");
    assertThat(statusOn(server, otherDevice)).isEqualTo(200);
    assertThat(statusOn(server, older)).isEqualTo(401);
    assertThat(statusOn(server, later)).isEqualTo(200);
    server.close().await();
  }

  private static int statusOn(HttpServer server, String token) throws Exception {
    return call(client.get(server.actualPort(), "127.0.0.1", "/api/me").bearerTokenAuthentication(token)).statusCode();
  }

  @Test
  @DisplayName("a token remembered after its first verification is still refused once it expires")
  void rememberedTokenExpires() throws Exception {
    Config noSkew = Config.fromEnvironment(TestEnvironments.local("BOXOFFICE_SESSION_CLOCK_SKEW_SECONDS", "0",
        "BOXOFFICE_SESSION_PUBLIC_KEY", keys.publicKeyPem()));
    HttpServer strict = serve(Sessions.create(SessionKeys.load(noSkew), noSkew, ROLES, NO_REVOCATIONS));
    Instant now = Instant.now();
    SessionClaims shortLived = claims("ada@example.org", Set.of(Role.BUYER), now, Duration.ofSeconds(1));
    String token = issue(shortLived);

    assertThat(call(client.get(strict.actualPort(), "127.0.0.1", "/api/me").bearerTokenAuthentication(token))
        .statusCode()).isEqualTo(200);
    assertThat(call(client.get(strict.actualPort(), "127.0.0.1", "/api/me").bearerTokenAuthentication(token))
        .statusCode()).isEqualTo(200);
    Thread.sleep(Math.max(0, shortLived.expiresAt().toEpochMilli() - System.currentTimeMillis()) + 50);
    assertThat(call(client.get(strict.actualPort(), "127.0.0.1", "/api/me").bearerTokenAuthentication(token))
        .statusCode()).isEqualTo(401);
    strict.close().await();
  }

  @Test
  @DisplayName("the dev login answers 400 with the field for malformed JSON, missing, unknown or invalid fields")
  void devLoginBadInput() throws Exception {
    for (String body : new String[] {"{", "[]", "\"ada@example.org\"", "{}", "{\"email\": 42}",
        "{\"email\": \"ada@example.org\", \"role\": \"organizer\"}", "{\"email\": \"not-an-email\"}",
        "{\"email\": \"' OR 1=1 --\"}", "{\"email\": \"" + "a".repeat(250) + "@example.org\"}", ""}) {
      HttpResponse<Buffer> response = call(post("/api/dev/login", localServer), body);
      assertThat(response.statusCode()).as(body).isEqualTo(400);
      assertThat(response.bodyAsJsonObject().getString("code")).as(body).isEqualTo("invalid_email");
      assertThat(response.bodyAsJsonObject().getString("field")).as(body).isEqualTo("email");
    }
  }

  @Test
  @DisplayName("in aws mode the dev login does not exist, while tokens from the real issuer still verify")
  void devLoginRefusedInAwsMode() throws Exception {
    HttpResponse<Buffer> response = call(post("/api/dev/login", awsServer), "{\"email\": \"org@example.org\"}");

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.bodyAsJsonObject().getString("code")).isEqualTo("not_found");
    String token = issue(claims("org@example.org", Set.of(Role.BUYER), Instant.now(), Duration.ofMinutes(5)));
    assertThat(call(client.get(awsServer.actualPort(), "127.0.0.1", "/api/me").bearerTokenAuthentication(token))
        .statusCode()).isEqualTo(200);
  }

  private static SessionClaims claims(String email, Set<Role> roles, Instant issuedAt, Duration lifetime) {
    return new SessionClaims(email, roles, issuedAt, issuedAt.plus(lifetime), "boxoffice", "boxoffice-api");
  }

  private static String issue(SessionClaims claims) {
    return SessionTokens.issue(claims, keys.privateKey().orElseThrow());
  }

  /** The classic algorithm confusion: an HMAC "signature" keyed with the (public) verification key. */
  private static String hmacWithPublicKey(String claimsPart) throws Exception {
    String header = encode("{\"alg\":\"HS256\",\"typ\":\"JWT\"}");
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(keys.publicKeyPem().getBytes(StandardCharsets.US_ASCII), "HmacSHA256"));
    byte[] signature = mac.doFinal((header + "." + claimsPart).getBytes(StandardCharsets.US_ASCII));
    return header + "." + claimsPart + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
  }

  /** Signs any claims with the right key, for tokens the codecs would never issue. */
  private static String signRaw(JsonObject claims) throws Exception {
    return signRaw("{\"alg\":\"EdDSA\",\"typ\":\"JWT\"}", claims);
  }

  /** Signs any header and claims with the right key. */
  private static String signRaw(String header, JsonObject claims) throws Exception {
    String signingInput = encode(header) + "." + encode(claims.encode());
    Signature signer = Signature.getInstance("Ed25519");
    signer.initSign(keys.privateKey().orElseThrow());
    signer.update(signingInput.getBytes(StandardCharsets.US_ASCII));
    return signingInput + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signer.sign());
  }

  private static HttpResponse<Buffer> login(String email) throws Exception {
    return call(post("/api/dev/login", localServer), new JsonObject().put("email", email).encode());
  }

  private static HttpRequest<Buffer> get(String path) {
    return client.get(localServer.actualPort(), "127.0.0.1", path);
  }

  private static HttpRequest<Buffer> post(String path, HttpServer server) {
    return client.post(server.actualPort(), "127.0.0.1", path).putHeader("Content-Type", "application/json");
  }

  private static HttpResponse<Buffer> call(HttpRequest<Buffer> request) throws Exception {
    return request.send().await(10, TimeUnit.SECONDS);
  }

  private static HttpResponse<Buffer> call(HttpRequest<Buffer> request, String body) throws Exception {
    return request.sendBuffer(Buffer.buffer(body)).await(10, TimeUnit.SECONDS);
  }

  private static String encode(String text) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String decode(String part) {
    return new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8);
  }
}
