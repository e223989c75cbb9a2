package dev.boxoffice.lambdas.mail;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SubjectsTest {

  @Test
  @DisplayName("line breaks, tabs and control characters of a title become single spaces")
  void oneLine() {
    assertThat(Subjects.fit("New: {0}", " Jazz\r\n\tnight\u0007 ")).isEqualTo("New: Jazz night");
  }

  @Test
  @DisplayName("a title too long for the subject is cut at a character boundary with an ellipsis, never a surrogate")
  void shortened() {
    String title = "🎷".repeat(120);
    String subject = Subjects.fit("Your tickets for {0}", title);

    assertThat(subject.codePointCount(0, subject.length())).isEqualTo(Subjects.MAX_LENGTH);
    assertThat(subject).endsWith("🎷…").startsWith("Your tickets for 🎷");
    assertThat(Character.isHighSurrogate(subject.charAt(subject.length() - 2))).isFalse();
  }

  @Test
  @DisplayName("a title that fits is left whole")
  void fits() {
    assertThat(Subjects.fit("Your tickets for {0}", "Jazz night")).isEqualTo("Your tickets for Jazz night");
  }
}
