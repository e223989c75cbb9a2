package dev.boxoffice.local.stack;

/**
 * How the stack runs the backend: in its own JVM (one backend, no balancer, the default), or as {@code backends}
 * JVMs of the packaged backend jar behind a local load balancer ({@code ./boxoffice up --backends N}; with
 * {@code --balanced} even a single backend gets the balancer, to compare the two).
 */
public record Topology(int backends, boolean balanced) {

  static final int MAX_BACKENDS = 16;

  public Topology {
    if (backends < 1 || backends > MAX_BACKENDS) {
      throw new IllegalArgumentException("--backends takes a number from 1 to " + MAX_BACKENDS + ", not " + backends);
    }
    if (backends > 1 && !balanced) {
      throw new IllegalArgumentException("more than one backend needs the load balancer");
    }
  }

  public static Topology single() {
    return new Topology(1, false);
  }

  public static Topology balanced(int backends) {
    return new Topology(backends, true);
  }

  /** {@code --backends N} and {@code --balanced}, the arguments of {@code ./boxoffice up}. */
  public static Topology fromArguments(String... args) {
    int backends = 1;
    boolean balanced = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--backends" -> {
          if (i + 1 == args.length || !args[i + 1].matches("\\d{1,3}")) {
            throw new IllegalArgumentException("--backends takes a number, e.g. --backends 2");
          }
          backends = Integer.parseInt(args[++i]);
        }
        case "--balanced" -> balanced = true;
        case "--demo" -> {
          // the stack's, not the topology's: see LocalStack.main
        }
        default -> throw new IllegalArgumentException("unknown option " + args[i]
            + " (options: --backends N, --balanced, --demo)");
      }
    }
    return new Topology(backends, balanced || backends > 1);
  }
}
