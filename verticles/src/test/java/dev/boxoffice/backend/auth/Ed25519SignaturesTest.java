package dev.boxoffice.backend.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.boxoffice.codecs.session.SessionTokens;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.Signature;
import javax.crypto.Cipher;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class Ed25519SignaturesTest {

  @Test
  @DisplayName("once installed, EdDSA signatures come from BouncyCastle and still tell a good signature from a bad one")
  void bouncyCastleVerifiesJdkKeys() throws Exception {
    Ed25519Signatures.install();
    KeyPair keys = SessionTokens.generateKeyPair();
    byte[] message = "header.claims".getBytes(StandardCharsets.US_ASCII);
    Signature signer = Signature.getInstance("EdDSA");
    signer.initSign(keys.getPrivate());
    signer.update(message);
    byte[] signature = signer.sign();

    Signature verifier = Signature.getInstance("EdDSA");
    verifier.initVerify(keys.getPublic());
    verifier.update(message);
    assertThat(verifier.getProvider().getName()).isEqualTo(Ed25519Signatures.PROVIDER_NAME);
    assertThat(verifier.verify(signature)).isTrue();

    verifier.initVerify(keys.getPublic());
    verifier.update("header.forged".getBytes(StandardCharsets.US_ASCII));
    assertThat(verifier.verify(signature)).isFalse();
  }

  @Test
  @DisplayName("nothing but Ed25519 changes provider: ciphers stay the JDK's")
  void onlyEd25519() throws Exception {
    Ed25519Signatures.install();

    assertThat(Cipher.getInstance("AES/GCM/NoPadding").getProvider().getName()).isEqualTo("SunJCE");
    assertThat(Signature.getInstance("SHA256withECDSA").getProvider().getName()).isEqualTo("SunEC");
  }
}
