package io.rvoip.sip.dialog.registration;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where a {@link Registrar} keeps bindings. The in-memory store is the default; a database-backed
 * one implements the same interface. Implementations must be thread-safe; the registrar changes
 * one AOR at a time through {@link #update}.
 */
public interface BindingStore {
    /** The bindings of an AOR (expired ones may be included; callers filter). */
    List<Binding> bindings(String aor);

    /** Replaces the bindings of an AOR atomically with what {@code change} returns for the current ones. */
    void update(String aor, java.util.function.UnaryOperator<List<Binding>> change);

    /** Number of AORs with at least one binding. */
    int size();

    /** An in-memory store. */
    static BindingStore inMemory() {
        return new BindingStore() {
            private final Map<String, List<Binding>> map = new ConcurrentHashMap<>();

            @Override
            public List<Binding> bindings(String aor) {
                return map.getOrDefault(aor, List.of());
            }

            @Override
            public void update(String aor, java.util.function.UnaryOperator<List<Binding>> change) {
                map.compute(aor, (k, old) -> {
                    List<Binding> next = change.apply(old == null ? List.of() : old);
                    return next.isEmpty() ? null : List.copyOf(new ArrayList<>(next));
                });
            }

            @Override
            public int size() {
                return map.size();
            }
        };
    }
}
