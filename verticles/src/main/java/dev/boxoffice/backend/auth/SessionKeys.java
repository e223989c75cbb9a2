package dev.boxoffice.backend.auth;

import dev.boxoffice.backend.config.Config;
import dev.boxoffice.codecs.session.SessionTokens;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.GeneralSecurityException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The session key pair: the public key verifies every token; the private key, present in local mode only, signs the
 * dev login's tokens. Loading reads files, so it runs before Vert.x starts.
 */
public record SessionKeys(PublicKey publicKey, String publicKeyPem, Optional<PrivateKey> privateKey) {

  private static final Logger LOG = LoggerFactory.getLogger(SessionKeys.class);
  static final String PRIVATE_KEY_FILE = "session-private.pem";
  static final String PUBLIC_KEY_FILE = "session-public.pem";

  /**
   * The configured keys; in local mode without a configured public key, the pair kept in
   * {@code <dataDir>/keys/}, generated there (private key readable by its owner only) on first start.
   */
  public static SessionKeys load(Config config) throws IOException {
    Config.Auth auth = config.auth();
    if (auth.publicKeyPem().isPresent()) {
      PublicKey publicKey = SessionTokens.parsePublicKey(auth.publicKeyPem().get());
      Optional<PrivateKey> privateKey = auth.privateKeyPem().map(SessionTokens::parsePrivateKey);
      privateKey.ifPresent(key -> requireMatching(publicKey, key));
      return new SessionKeys(publicKey, SessionTokens.publicKeyPem(publicKey), privateKey);
    }
    if (config.mode() != Config.Mode.LOCAL) {
      throw new IllegalStateException("BOXOFFICE_SESSION_PUBLIC_KEY is required outside local mode");
    }
    if (auth.privateKeyPem().isPresent()) {
      throw new IllegalArgumentException(
          "BOXOFFICE_SESSION_PRIVATE_KEY needs its BOXOFFICE_SESSION_PUBLIC_KEY; set both or neither");
    }
    return localPair(config.dataDir().resolve("keys"));
  }

  private static synchronized SessionKeys localPair(Path keysDir) throws IOException {
    Path privateFile = keysDir.resolve(PRIVATE_KEY_FILE);
    Path publicFile = keysDir.resolve(PUBLIC_KEY_FILE);
    if (!Files.exists(privateFile) && !Files.exists(publicFile)) {
      generate(keysDir, privateFile, publicFile);
    }
    if (!Files.exists(privateFile) || !Files.exists(publicFile)) {
      throw new IllegalStateException("only one of " + privateFile + " and " + publicFile
          + " exists; delete the other to generate a fresh pair");
    }
    PublicKey publicKey = SessionTokens.parsePublicKey(Files.readString(publicFile));
    PrivateKey privateKey = SessionTokens.parsePrivateKey(Files.readString(privateFile));
    requireMatching(publicKey, privateKey);
    return new SessionKeys(publicKey, SessionTokens.publicKeyPem(publicKey), Optional.of(privateKey));
  }

  private static void generate(Path keysDir, Path privateFile, Path publicFile) throws IOException {
    if (posix(keysDir)) {
      Files.createDirectories(keysDir,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } else {
      Files.createDirectories(keysDir);
    }
    KeyPair pair = SessionTokens.generateKeyPair();
    // Written under a temporary name and moved, so a crash never leaves a half-written key behind.
    Path privateTemp = ownerOnlyFile(keysDir);
    Files.writeString(privateTemp, SessionTokens.privateKeyPem(pair.getPrivate()), StandardCharsets.US_ASCII);
    Path publicTemp = Files.createTempFile(keysDir, "public", ".tmp");
    Files.writeString(publicTemp, SessionTokens.publicKeyPem(pair.getPublic()), StandardCharsets.US_ASCII);
    try {
      Files.move(privateTemp, privateFile);
      Files.move(publicTemp, publicFile);
    } catch (FileAlreadyExistsException e) {
      Files.deleteIfExists(privateTemp);
      Files.deleteIfExists(publicTemp);
      throw e;
    }
    LOG.info("generated the local session key pair in {}", keysDir);
  }

  private static boolean posix(Path path) {
    return path.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  private static Path ownerOnlyFile(Path dir) throws IOException {
    if (posix(dir)) {
      return Files.createTempFile(dir, "private", ".tmp",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }
    return Files.createTempFile(dir, "private", ".tmp");
  }

  private static void requireMatching(PublicKey publicKey, PrivateKey privateKey) {
    try {
      byte[] probe = "boxoffice session key check".getBytes(StandardCharsets.US_ASCII);
      Signature signer = Signature.getInstance("Ed25519");
      signer.initSign(privateKey);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance("Ed25519");
      verifier.initVerify(publicKey);
      verifier.update(probe);
      if (!verifier.verify(signature)) {
        throw new IllegalArgumentException("the session private key does not match the public key");
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("the session keys are not an Ed25519 pair", e);
    }
  }
}
