package dev.boxoffice.local.aws.ses;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The local SES account's state, in memory: its identities (an address, or a domain covering every address in it;
 * local identities are verified as soon as they are created, where AWS waits for the DNS records or the click),
 * its configuration sets with their event destinations, and its sending quota.
 */
final class SesAccount {

  /** Where a configuration set publishes the events of {@code matchingEventTypes} (SEND, DELIVERY, BOUNCE...). */
  record EventDestination(String name, boolean enabled, Set<String> matchingEventTypes, String snsTopicArn) {

    boolean wants(String eventType) {
      return enabled && snsTopicArn != null && matchingEventTypes.contains(eventType.toUpperCase(Locale.ROOT));
    }
  }

  private final Set<String> identities = ConcurrentHashMap.newKeySet();
  private final Map<String, List<EventDestination>> configurationSets = new ConcurrentHashMap<>();
  private final SendQuota quota;

  SesAccount(SendQuota quota) {
    this.quota = quota;
  }

  SendQuota quota() {
    return quota;
  }

  void createIdentity(String identity) {
    if (!identities.add(identity.toLowerCase(Locale.ROOT))) {
      throw SesException.alreadyExists("Email identity " + identity + " already exist.");
    }
  }

  boolean hasIdentity(String identity) {
    return identities.contains(identity.toLowerCase(Locale.ROOT));
  }

  /**
   * The verified identity mail from {@code address} is sent as: the address itself when it is one, else its domain;
   * empty when neither is.
   */
  Optional<String> identityOf(String address) {
    String normalized = address.toLowerCase(Locale.ROOT);
    String domain = normalized.substring(normalized.lastIndexOf('@') + 1);
    return identities.contains(normalized) ? Optional.of(normalized)
        : identities.contains(domain) ? Optional.of(domain) : Optional.empty();
  }

  void createConfigurationSet(String name) {
    if (configurationSets.putIfAbsent(name, new CopyOnWriteArrayList<>()) != null) {
      throw SesException.alreadyExists("Configuration set <" + name + "> already exists.");
    }
  }

  void addEventDestination(String configurationSet, EventDestination destination) {
    List<EventDestination> destinations = configurationSet(configurationSet)
        .orElseThrow(() -> missingConfigurationSet(configurationSet));
    if (destinations.stream().anyMatch(existing -> existing.name().equals(destination.name()))) {
      throw SesException.alreadyExists("Event destination " + destination.name() + " already exists.");
    }
    destinations.add(destination);
  }

  Optional<List<EventDestination>> configurationSet(String name) {
    return Optional.ofNullable(configurationSets.get(name));
  }

  static SesException missingConfigurationSet(String name) {
    return SesException.notFound("Configuration set <" + name + "> does not exist.");
  }
}
