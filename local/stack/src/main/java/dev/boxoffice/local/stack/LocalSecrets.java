package dev.boxoffice.local.stack;

import dev.boxoffice.backend.auth.SessionKeys;
import dev.boxoffice.backend.config.Config;
import dev.boxoffice.codecs.session.SessionTokens;
import dev.boxoffice.local.cloud.FunctionSecrets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;

/**
 * What AWS keeps in Secrets Manager and SSM, generated once per data folder for the local stack: the session key
 * pair (shared with the backend's dev login), the ticket signing key pair, the OTP pepper and the subscription link
 * key. In AWS the operator creates them; here they never leave {@code <data>/keys}.
 */
final class LocalSecrets {

  private static final String TICKET_PRIVATE_KEY_FILE = "ticket-private.pem";
  private static final String TICKET_PUBLIC_KEY_FILE = "ticket-public.pem";
  private static final String OTP_PEPPER_FILE = "otp-pepper";
  private static final String LINK_KEY_FILE = "link-key";

  private LocalSecrets() {
  }

  static FunctionSecrets load(Config config) throws IOException {
    SessionKeys session = SessionKeys.load(config);
    Path keysDir = config.dataDir().resolve("keys");
    Files.createDirectories(keysDir);
    Path ticketPrivate = keysDir.resolve(TICKET_PRIVATE_KEY_FILE);
    Path ticketPublic = keysDir.resolve(TICKET_PUBLIC_KEY_FILE);
    if (!Files.exists(ticketPrivate) || !Files.exists(ticketPublic)) {
      KeyPair pair = SessionTokens.generateKeyPair();
      writeOwnerOnly(ticketPrivate, SessionTokens.privateKeyPem(pair.getPrivate()));
      writeOwnerOnly(ticketPublic, SessionTokens.publicKeyPem(pair.getPublic()));
    }
    Path pepper = keysDir.resolve(OTP_PEPPER_FILE);
    if (!Files.exists(pepper)) {
      writeOwnerOnly(pepper, FunctionSecrets.randomSecret());
    }
    Path linkKey = keysDir.resolve(LINK_KEY_FILE);
    if (!Files.exists(linkKey)) {
      writeOwnerOnly(linkKey, FunctionSecrets.randomSecret());
    }
    return new FunctionSecrets(
        new KeyPair(session.publicKey(), session.privateKey().orElseThrow()),
        new KeyPair(SessionTokens.parsePublicKey(Files.readString(ticketPublic)),
            SessionTokens.parsePrivateKey(Files.readString(ticketPrivate))),
        Files.readString(pepper).trim(),
        Files.readString(linkKey).trim());
  }

  private static void writeOwnerOnly(Path file, String content) throws IOException {
    Path temp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
    if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
    }
    Files.writeString(temp, content, StandardCharsets.US_ASCII);
    Files.move(temp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }
}
