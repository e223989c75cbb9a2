package dev.boxoffice.codecs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class EmailAddressesTest {

  @Test
  @DisplayName("addresses are trimmed and lower-cased; the rule itself takes any letter case")
  void normalized() {
    assertThat(EmailAddresses.normalize("  Ada.Lovelace+tickets@Example.ORG "))
        .isEqualTo("ada.lovelace+tickets@example.org");
    assertThat(EmailAddresses.isValid("Ada@Example.org")).isTrue();
    assertThat(EmailAddresses.isValid(" ada@example.org")).as("isValid does not trim").isFalse();
  }

  @Test
  @DisplayName("254 characters in all and 64 before the @ are the limits; no spaces, no second @, no bare host")
  void limits() {
    String domain = "@" + "d".repeat(61) + "." + "e".repeat(61) + "." + "f".repeat(61) + ".ggg.org";
    String longest = "l".repeat(254 - domain.length()) + domain;

    assertThat(longest).hasSize(254);
    assertThat(EmailAddresses.isValid("a".repeat(64) + "@example.org")).isTrue();
    assertThat(EmailAddresses.isValid("a".repeat(65) + "@example.org")).isFalse();
    assertThat(EmailAddresses.isValid("x" + "a".repeat(250) + "@example.org")).isFalse();
    assertThat(EmailAddresses.isValid(longest)).isTrue();
    assertThat(EmailAddresses.isValid("x" + longest)).isFalse();
    for (String invalid : new String[] {"", "ada", "ada@", "@example.org", "ada@example", "ada@@example.org",
        "a da@example.org", "ada@exa mple.org", "' OR 1=1 --", "adä@example.org", "ada@-example.org"}) {
      assertThat(EmailAddresses.isValid(invalid)).as(invalid).isFalse();
    }
    assertThatThrownBy(() -> EmailAddresses.normalize(null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> EmailAddresses.normalize("x" + longest)).hasMessageContaining("254");
  }
}
