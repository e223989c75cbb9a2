package dev.boxoffice.local.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class TopologyTest {

  @Test
  @DisplayName("without arguments one backend runs in the stack's JVM, without a balancer")
  void defaultIsOneBackendInProcess() {
    assertThat(Topology.fromArguments()).isEqualTo(new Topology(1, false));
  }

  @Test
  @DisplayName("--backends N above one always puts the balancer in front; --balanced does so for one")
  void backendsAndBalanced() {
    assertThat(Topology.fromArguments("--backends", "2")).isEqualTo(new Topology(2, true));
    assertThat(Topology.fromArguments("--backends", "1")).isEqualTo(new Topology(1, false));
    assertThat(Topology.fromArguments("--backends", "1", "--balanced")).isEqualTo(new Topology(1, true));
  }

  @Test
  @DisplayName("a missing, zero, too large or unknown option is refused with a sentence that says what is expected")
  void badArguments() {
    assertThatThrownBy(() -> Topology.fromArguments("--backends")).hasMessage(
        "--backends takes a number, e.g. --backends 2");
    assertThatThrownBy(() -> Topology.fromArguments("--backends", "two")).hasMessage(
        "--backends takes a number, e.g. --backends 2");
    assertThatThrownBy(() -> Topology.fromArguments("--backends", "0")).hasMessage(
        "--backends takes a number from 1 to 16, not 0");
    assertThatThrownBy(() -> Topology.fromArguments("--backends", "17")).hasMessage(
        "--backends takes a number from 1 to 16, not 17");
    assertThatThrownBy(() -> Topology.fromArguments("--replicas", "2")).hasMessage(
        "unknown option --replicas (options: --backends N, --balanced, --demo)");
  }
}
