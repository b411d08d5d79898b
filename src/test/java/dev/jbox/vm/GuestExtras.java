package dev.jbox.vm;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a caller adds to the exec-mode guest ({@link Guest#execInitramfs}), all set up before
 * the guest says it is up, so none of it is part of the command's time.
 *
 * @param executables guest path to host file: copied into the initramfs, mode 0755
 * @param modules     kernel modules to load (with what they depend on), by name
 * @param setup       shell lines the guest's init runs after loading them
 * @param qemuArgs    more QEMU arguments, e.g. a disk
 */
public record GuestExtras(Map<String, Path> executables, List<String> modules, List<String> setup, List<String> qemuArgs) {
    public static final GuestExtras NONE = new GuestExtras(Map.of(), List.of(), List.of(), List.of());
}
