package dev.boxoffice.backend.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class TimeOrderedIdsTest {

  @Test
  @DisplayName("ids are RFC 9562 version 7: the millisecond first, then random bits, sorting by time as text")
  void versionSevenSortingByTime() {
    long millis = 1_795_000_000_123L;
    UUID id = TimeOrderedIds.at(millis);
    assertThat(id.version()).isEqualTo(7);
    assertThat(id.variant()).isEqualTo(2);
    assertThat(id.getMostSignificantBits() >>> 16).isEqualTo(millis);
    assertThat(id.toString()).startsWith(String.format("%08x-%04x-7", millis >>> 16, millis & 0xFFFF));

    UUID later = TimeOrderedIds.at(millis + 1);
    assertThat(later.toString()).isGreaterThan(id.toString());
    assertThat(TimeOrderedIds.next().toString()).isGreaterThan(later.toString());
  }

  @Test
  @DisplayName("ids of the same millisecond differ in their 74 random bits")
  void randomWithinAMillisecond() {
    Set<UUID> ids = new HashSet<>();
    Set<Long> randomHighBits = new HashSet<>();
    for (int i = 0; i < 100_000; i++) {
      UUID id = TimeOrderedIds.at(42);
      ids.add(id);
      randomHighBits.add(id.getLeastSignificantBits() >>> 48 & 0x3FFF);
    }
    assertThat(ids).hasSize(100_000);
    // 14 random bits right after the variant: 100,000 draws leave hardly any of their 16,384 values unseen
    assertThat(randomHighBits).hasSizeGreaterThan(16_000);
  }
}
