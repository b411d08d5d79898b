package dev.jbox.registry;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a request needs, or a token grants, in Docker's scope syntax {@code TYPE:NAME:ACTIONS}:
 * {@code repository:library/busybox:pull,push}, {@code registry:catalog:*}.
 */
record Scope(String type, String name, Set<String> actions) {
    static final Scope CATALOG = new Scope("registry", "catalog", Set.of("*"));

    Scope {
        actions = Set.copyOf(actions);
    }

    static Scope repository(RepositoryName name, String... actions) {
        return new Scope("repository", name.value(), Set.of(actions));
    }

    /**
     * What {@code method} on repository {@code name} needs: reading is pull; writing is pull and
     * push, as Docker asks (a push reads back what it wrote); DELETE is delete; a cross-repository
     * mount (POST with {@code from}) also pulls from the source.
     */
    static List<Scope> needed(String method, RepositoryName name, String mountFrom) {
        List<Scope> needed = new ArrayList<>();
        switch (method) {
            case "GET", "HEAD" -> needed.add(repository(name, "pull"));
            case "DELETE" -> needed.add(repository(name, "delete"));
            default -> needed.add(repository(name, "pull", "push"));
        }
        if (mountFrom != null && method.equals("POST")) {
            needed.add(repository(new RepositoryName(mountFrom), "pull"));
        }
        return needed;
    }

    /** Parses {@code TYPE:NAME:A,B}; the name may hold ':' (a registry host with a port), so the type ends at the first and the actions start after the last. */
    static Scope parse(String text) {
        int first = text.indexOf(':');
        int last = text.lastIndexOf(':');
        if (first < 0 || last == first) {
            throw new RegistryError(ErrorCode.UNSUPPORTED, 400, "scope '" + text + "' is not TYPE:NAME:ACTIONS, e.g. repository:library/busybox:pull");
        }
        Set<String> actions = new LinkedHashSet<>();
        for (String a : text.substring(last + 1).split(",")) {
            if (!a.isBlank()) {
                actions.add(a.strip());
            }
        }
        return new Scope(text.substring(0, first), text.substring(first + 1, last), actions);
    }

    /** Whether this grant covers {@code wanted}: same resource, every action granted (or '*'). */
    boolean covers(Scope wanted) {
        return type.equals(wanted.type) && name.equals(wanted.name)
                && (actions.contains("*") || actions.containsAll(wanted.actions));
    }

    @Override
    public String toString() {
        List<String> sorted = new ArrayList<>(actions);
        sorted.sort(null); // "pull,push": the order Docker writes
        return type + ":" + name + ":" + String.join(",", sorted);
    }
}
