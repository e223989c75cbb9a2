package dev.boxoffice.backend.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.boxoffice.backend.config.Config;
import dev.boxoffice.backend.config.TestEnvironments;
import dev.boxoffice.codecs.session.Role;
import dev.boxoffice.codecs.session.SessionClaims;
import dev.boxoffice.codecs.session.SessionTokens;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionKeysTest {

  @TempDir
  Path dataDir;

  @Test
  @DisplayName("in local mode a key pair is generated on first start, kept owner-only, and reused on restart")
  void generatedOnceAndReused() throws Exception {
    Config config = Config.fromEnvironment(TestEnvironments.local("BOXOFFICE_DATA_DIR", dataDir.toString()));

    SessionKeys first = SessionKeys.load(config);
    SessionKeys second = SessionKeys.load(config);

    Path privateFile = dataDir.resolve("keys").resolve(SessionKeys.PRIVATE_KEY_FILE);
    assertThat(Files.readString(privateFile)).startsWith("-----BEGIN PRIVATE KEY-----");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(privateFile))).isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(privateFile.getParent())))
        .isEqualTo("rwx------");
    assertThat(Files.readString(dataDir.resolve("keys").resolve(SessionKeys.PUBLIC_KEY_FILE)))
        .isEqualTo(first.publicKeyPem());
    assertThat(second.publicKeyPem()).isEqualTo(first.publicKeyPem());
    try (var files = Files.list(dataDir.resolve("keys"))) {
      assertThat(files.map(file -> file.getFileName().toString()))
          .containsExactlyInAnyOrder(SessionKeys.PRIVATE_KEY_FILE, SessionKeys.PUBLIC_KEY_FILE);
    }
    Instant now = Instant.now();
    String token = SessionTokens.issue(new SessionClaims("ada@example.org", Set.of(Role.BUYER), now,
        now.plusSeconds(60), "boxoffice", "boxoffice-api"), first.privateKey().orElseThrow());
    assertThat(SessionTokens.verify(token, second.publicKey(), "boxoffice", "boxoffice-api", now, Duration.ZERO)
        .subject()).isEqualTo("ada@example.org");
  }

  @Test
  @DisplayName("configured keys are used as given and nothing is written to the data folder")
  void configuredKeys() throws Exception {
    KeyPair pair = SessionTokens.generateKeyPair();
    Config config = Config.fromEnvironment(TestEnvironments.local(
        "BOXOFFICE_DATA_DIR", dataDir.toString(),
        "BOXOFFICE_SESSION_PUBLIC_KEY", SessionTokens.publicKeyPem(pair.getPublic()),
        "BOXOFFICE_SESSION_PRIVATE_KEY", SessionTokens.privateKeyPem(pair.getPrivate())));

    SessionKeys keys = SessionKeys.load(config);

    assertThat(keys.publicKey()).isEqualTo(pair.getPublic());
    assertThat(keys.privateKey()).contains(pair.getPrivate());
    assertThat(dataDir.resolve("keys")).doesNotExist();
  }

  @Test
  @DisplayName("a private key that does not match the public key, or comes without it, stops start-up")
  void refusesInconsistentKeys() {
    String publicKey = SessionTokens.publicKeyPem(SessionTokens.generateKeyPair().getPublic());
    String otherPrivateKey = SessionTokens.privateKeyPem(SessionTokens.generateKeyPair().getPrivate());

    assertThatThrownBy(() -> SessionKeys.load(Config.fromEnvironment(TestEnvironments.local(
        "BOXOFFICE_SESSION_PUBLIC_KEY", publicKey, "BOXOFFICE_SESSION_PRIVATE_KEY", otherPrivateKey))))
        .hasMessageContaining("does not match");
    assertThatThrownBy(() -> SessionKeys.load(Config.fromEnvironment(TestEnvironments.local(
        "BOXOFFICE_DATA_DIR", dataDir.toString(), "BOXOFFICE_SESSION_PRIVATE_KEY", otherPrivateKey))))
        .hasMessageContaining("set both or neither");
    assertThatThrownBy(() -> SessionKeys.load(Config.fromEnvironment(TestEnvironments.local(
        "BOXOFFICE_SESSION_PUBLIC_KEY", "-----BEGIN PUBLIC KEY-----\nnot base64!\n-----END PUBLIC KEY-----\n"))))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("in aws mode only the public key is loaded, so there is nothing to sign dev logins with")
  void awsModeVerifiesOnly() throws Exception {
    String publicKey = SessionTokens.publicKeyPem(SessionTokens.generateKeyPair().getPublic());

    SessionKeys keys = SessionKeys.load(Config.fromEnvironment(TestEnvironments.aws("BOXOFFICE_DATA_DIR", dataDir.toString(),
        "BOXOFFICE_SESSION_PUBLIC_KEY", publicKey, "BOXOFFICE_TICKET_PUBLIC_KEY", publicKey)));

    assertThat(keys.privateKey()).isEmpty();
    assertThat(dataDir.resolve("keys")).doesNotExist();
  }
}
