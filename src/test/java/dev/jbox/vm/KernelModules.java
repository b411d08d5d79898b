package dev.jbox.vm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Finds kernel modules, and the modules they need first, in an unpacked kernel package.
 * The package has no modules.dep (depmod runs when it is installed, and we never install
 * it), so the dependencies are read where depmod reads them: the {@code depends=} string
 * of each module's .modinfo section.
 */
final class KernelModules {
    private final Map<String, Path> byName = new HashMap<>();

    KernelModules(Path modulesDir) {
        try (Stream<Path> files = Files.walk(modulesDir)) {
            files.filter(f -> f.toString().endsWith(".ko")).forEach(f -> byName.put(name(f), f));
        } catch (IOException e) {
            throw new VmException("cannot list the kernel modules in " + modulesDir + ": " + e.getMessage());
        }
    }

    /** {@code wanted} and everything they depend on, each after its dependencies: the order to insmod them in. */
    List<Path> loadOrder(List<String> wanted) {
        Set<String> ordered = new LinkedHashSet<>();
        for (String module : wanted) {
            visit(module.replace('-', '_'), ordered, new LinkedHashSet<>());
        }
        List<Path> files = new ArrayList<>();
        ordered.forEach(m -> files.add(byName.get(m)));
        return files;
    }

    private void visit(String module, Set<String> ordered, Set<String> path) {
        if (ordered.contains(module)) {
            return;
        }
        Path file = byName.get(module);
        if (file == null) {
            throw new VmException("kernel module " + module + " is not in the guest kernel package"
                    + " (it may be built in, or missing); remove the cache to unpack it again");
        }
        if (!path.add(module)) {
            throw new VmException("kernel modules depend on each other in a circle: " + path);
        }
        for (String dependency : depends(file)) {
            visit(dependency, ordered, path);
        }
        path.remove(module);
        ordered.add(module);
    }

    private static List<String> depends(Path module) {
        byte[] data;
        try {
            data = Files.readAllBytes(module);
        } catch (IOException e) {
            throw new VmException("cannot read " + module + ": " + e.getMessage());
        }
        byte[] key = "\0depends=".getBytes(StandardCharsets.US_ASCII);
        outer:
        for (int i = 0; i + key.length <= data.length; i++) {
            for (int j = 0; j < key.length; j++) {
                if (data[i + j] != key[j]) {
                    continue outer;
                }
            }
            int start = i + key.length;
            int end = start;
            while (end < data.length && data[end] != 0) {
                end++;
            }
            String value = new String(data, start, end - start, StandardCharsets.US_ASCII);
            return value.isEmpty() ? List.of() : List.of(value.split(","));
        }
        return List.of();
    }

    static String name(Path ko) {
        String file = ko.getFileName().toString();
        return file.substring(0, file.length() - 3).replace('-', '_');
    }
}
