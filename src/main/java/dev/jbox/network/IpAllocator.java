package dev.jbox.network;

import dev.jbox.JboxException;
import dev.jbox.Json;
import dev.jbox.LockFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Hands out the addresses of one subnet to containers and remembers them in
 * {@code DIR/addresses.json}, e.g. {@code {"subnet":"10.77.0.0/16","containers":{"c1":"10.77.0.2"}}},
 * under {@code DIR/lock}, so that two jbox processes starting containers at once never hand
 * out the same address. Address 0 is the network, 1 the bridge (gateway), the last one the
 * broadcast; a container gets the lowest free address from 2 up, so the first one is .2.
 */
public final class IpAllocator {
    /** The file's content. Container ids are sorted so the file reads well. */
    record AddressFile(String subnet, TreeMap<String, String> containers) {
    }

    private final Path file;
    private final Path lockFile;
    private final Ipv4Subnet subnet;

    public IpAllocator(Path directory, Ipv4Subnet subnet) {
        this.file = directory.resolve("addresses.json");
        this.lockFile = directory.resolve("lock");
        this.subnet = subnet;
    }

    /** The address of {@code containerId}: the one it already has, or the lowest free one. */
    public Inet4Address allocate(String containerId) {
        try (LockFile ignored = LockFile.acquire(lockFile)) {
            AddressFile state = read();
            String existing = state.containers().get(containerId);
            if (existing != null) {
                return Ipv4Subnet.parseAddress(existing);
            }
            boolean[] taken = new boolean[(int) Math.min(subnet.size(), Integer.MAX_VALUE)];
            for (String address : state.containers().values()) {
                taken[(int) subnet.indexOf(Ipv4Subnet.parseAddress(address))] = true;
            }
            for (int n = 2; n < taken.length - 1; n++) {
                if (!taken[n]) {
                    Inet4Address address = subnet.address(n);
                    state.containers().put(containerId, address.getHostAddress());
                    write(state);
                    return address;
                }
            }
            throw new JboxException("no free address left in " + subnet + " (" + state.containers().size()
                    + " containers hold one); remove some containers or choose a wider subnet with JBOX_SUBNET");
        }
    }

    public Optional<Inet4Address> lookup(String containerId) {
        try (LockFile ignored = LockFile.acquire(lockFile)) {
            return Optional.ofNullable(read().containers().get(containerId)).map(Ipv4Subnet::parseAddress);
        }
    }

    /** Gives the address of {@code containerId} back; false if it had none. */
    public boolean release(String containerId) {
        try (LockFile ignored = LockFile.acquire(lockFile)) {
            AddressFile state = read();
            if (state.containers().remove(containerId) == null) {
                return false;
            }
            write(state);
            return true;
        }
    }

    /** Every container that holds an address, with its address. */
    public Map<String, Inet4Address> allocations() {
        try (LockFile ignored = LockFile.acquire(lockFile)) {
            Map<String, Inet4Address> result = new LinkedHashMap<>();
            read().containers().forEach((id, address) -> result.put(id, Ipv4Subnet.parseAddress(address)));
            return result;
        }
    }

    Path file() {
        return file;
    }

    private AddressFile read() {
        if (!Files.exists(file)) {
            return new AddressFile(subnet.toString(), new TreeMap<>());
        }
        AddressFile state;
        try {
            state = Json.mapper().readValue(file.toFile(), AddressFile.class);
        } catch (IOException e) {
            throw new JboxException("cannot read " + file + " (" + e.getMessage().lines().findFirst().orElse("")
                    + "); fix or remove it");
        }
        TreeMap<String, String> containers = state.containers() == null ? new TreeMap<>() : state.containers();
        if (!subnet.toString().equals(state.subnet())) {
            if (!containers.isEmpty()) {
                throw new JboxException(containers.size() + " container(s) hold addresses in "
                        + state.subnet() + ", not " + subnet + "; remove them before changing the subnet");
            }
            return new AddressFile(subnet.toString(), containers);
        }
        return new AddressFile(state.subnet(), containers);
    }

    private void write(AddressFile state) {
        try {
            Files.createDirectories(file.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + file.getParent(), e);
        }
        Json.writeAtomically(file, state);
    }
}
