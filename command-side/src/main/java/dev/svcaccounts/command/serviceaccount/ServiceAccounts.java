package dev.svcaccounts.command.serviceaccount;

import dev.svcaccounts.events.ServiceAccountCreatedEvent;
import dev.svcaccounts.events.ServiceAccountDeletedEvent;
import dev.svcaccounts.events.ServiceAccountUpdatedEvent;

import java.text.Normalizer;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The Workspace aggregate's roster of live (not deleted) service accounts. Because every change to it goes
 * through one aggregate instance, the quota and name uniqueness are exact: commands on a workspace are
 * serialised by the aggregate lock, and a concurrent append from another node fails on the event store's
 * unique (aggregate, sequence) key.
 */
public class ServiceAccounts {

    public static final int QUOTA = 50;

    private final Map<String, ServiceAccountState> live = new HashMap<>();
    private final Map<String, String> idByName = new HashMap<>();

    /** Names compare case-insensitively and after Unicode compatibility folding ("Ｃi" equals "ci"). */
    public static String nameKey(String name) {
        return Normalizer.normalize(name.strip(), Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
    }

    public boolean quotaReached() {
        return live.size() >= QUOTA;
    }

    /** The id of the live account holding this name, if any. */
    public Optional<String> holderOf(String name) {
        return Optional.ofNullable(idByName.get(nameKey(name)));
    }

    public Optional<ServiceAccountState> find(String id) {
        return Optional.ofNullable(live.get(id));
    }

    public void created(ServiceAccountCreatedEvent e) {
        live.put(e.serviceAccountId(),
                new ServiceAccountState(e.serviceAccountId(), e.name(), e.description(), ServiceAccountStatus.ACTIVE));
        idByName.put(nameKey(e.name()), e.serviceAccountId());
    }

    public void updated(ServiceAccountUpdatedEvent e) {
        idByName.remove(nameKey(e.previousName()));
        idByName.put(nameKey(e.name()), e.serviceAccountId());
        live.computeIfPresent(e.serviceAccountId(), (id, sa) -> sa.withName(e.name(), e.description()));
    }

    public void statusChanged(String id, ServiceAccountStatus status) {
        live.computeIfPresent(id, (key, sa) -> sa.withStatus(status));
    }

    public void deleted(ServiceAccountDeletedEvent e) {
        ServiceAccountState removed = live.remove(e.serviceAccountId());
        if (removed != null) {
            idByName.remove(nameKey(removed.name()));
        }
    }
}
