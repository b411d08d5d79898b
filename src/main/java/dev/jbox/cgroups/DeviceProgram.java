package dev.jbox.cgroups;

import static dev.jbox.cgroups.BpfInstruction.and;
import static dev.jbox.cgroups.BpfInstruction.exit;
import static dev.jbox.cgroups.BpfInstruction.jumpIfEqual;
import static dev.jbox.cgroups.BpfInstruction.jumpIfNotEqual;
import static dev.jbox.cgroups.BpfInstruction.jumpIfNotEqualRegister;
import static dev.jbox.cgroups.BpfInstruction.loadWord;
import static dev.jbox.cgroups.BpfInstruction.move;
import static dev.jbox.cgroups.BpfInstruction.moveRegister;
import static dev.jbox.cgroups.BpfInstruction.shiftRight;

import java.util.ArrayList;
import java.util.List;

/**
 * Cgroup v2 has no devices.allow file: the kernel runs a small eBPF program, attached to the
 * cgroup, on every mknod and every open of a device node, and lets the access happen if the
 * program returns 1. This class writes that program from the device rules.
 *
 * <p>The program reads the access from its context, {@code struct bpf_cgroup_dev_ctx}
 * ({@code u32 access_type} - the device type in the low 16 bits, the access in the high 16 -
 * then {@code u32 major, minor}), and tries the rules from the last to the first, so the last
 * matching rule decides, as in v1. Each rule is one block of tests that jump to the next block
 * on a mismatch.
 */
public final class DeviceProgram {
    // Registers: r1 holds the context on entry, r0 the answer on exit.
    private static final int R0 = 0, R1 = 1, TYPE = 2, ACCESS = 3, MAJOR = 4, MINOR = 5;
    // Values in struct bpf_cgroup_dev_ctx (BPF_DEVCG_DEV_* and BPF_DEVCG_ACC_*).
    private static final int DEV_BLOCK = 1, DEV_CHAR = 2;
    private static final int ACC_MKNOD = 1, ACC_READ = 2, ACC_WRITE = 4, ACC_ALL = 7;
    private static final int ALLOWED = 1, DENIED = 0;

    private DeviceProgram() {
    }

    // tag::device-program[]
    /** The filter for {@code rules}: the first rule that matches, read from the end, decides. */
    public static List<BpfInstruction> assemble(List<DeviceRule> rules) {
        List<BpfInstruction> program = new ArrayList<>(List.of(
                loadWord(TYPE, R1, 0), and(TYPE, 0xffff),         // device type: 1 block, 2 char
                loadWord(ACCESS, R1, 0), shiftRight(ACCESS, 16),  // access: 1 mknod, 2 read, 4 write
                loadWord(MAJOR, R1, 4),
                loadWord(MINOR, R1, 8)));
        for (int i = rules.size() - 1; i >= 0; i--) {
            DeviceRule rule = rules.get(i);
            program.addAll(block(rule));
            if (matchesEverything(rule)) {
                return program; // the rules before it can never decide
            }
        }
        program.add(move(R0, ALLOWED)); // no rule matched: allowed, as in a fresh v1 cgroup
        program.add(exit());
        return program;
    }

    /** One rule: tests that skip to the next block on a mismatch, then the rule's answer. */
    private static List<BpfInstruction> block(DeviceRule rule) {
        List<BpfInstruction> block = new ArrayList<>();
        if (!rule.type().equals("a")) {
            block.add(jumpIfNotEqual(TYPE, rule.type().equals("b") ? DEV_BLOCK : DEV_CHAR, 0));
        }
        int access = accessBits(rule.access());
        if (access != ACC_ALL) {
            block.add(moveRegister(R1, ACCESS));
            block.add(and(R1, access));
            // An allow rule must cover every access asked for; a deny rule denies if it covers any.
            block.add(rule.allow() ? jumpIfNotEqualRegister(R1, ACCESS, 0) : jumpIfEqual(R1, 0, 0));
        }
        if (rule.major() != null) {
            block.add(jumpIfNotEqual(MAJOR, rule.major().intValue(), 0));
        }
        if (rule.minor() != null) {
            block.add(jumpIfNotEqual(MINOR, rule.minor().intValue(), 0));
        }
        block.add(move(R0, rule.allow() ? ALLOWED : DENIED));
        block.add(exit());
        // Every jump lands just past this block, on the first instruction of the next.
        for (int i = 0; i < block.size(); i++) {
            if (block.get(i).isJump()) {
                block.set(i, block.get(i).withOffset(block.size() - i - 1));
            }
        }
        return block;
    }
    // end::device-program[]

    private static boolean matchesEverything(DeviceRule rule) {
        return rule.type().equals("a") && rule.major() == null && rule.minor() == null
                && accessBits(rule.access()) == ACC_ALL;
    }

    static int accessBits(String access) {
        int bits = 0;
        for (char c : access.toCharArray()) {
            bits |= switch (c) {
                case 'm' -> ACC_MKNOD;
                case 'r' -> ACC_READ;
                case 'w' -> ACC_WRITE;
                default -> throw new IllegalArgumentException("access " + access);
            };
        }
        return bits;
    }

    /** The program as bytes for bpf(BPF_PROG_LOAD). */
    public static byte[] encode(List<BpfInstruction> program) {
        byte[] bytes = new byte[program.size() * 8];
        for (int i = 0; i < program.size(); i++) {
            program.get(i).encode(bytes, i * 8);
        }
        return bytes;
    }

    /** The program as numbered text, one instruction a line, the way the verifier prints it. */
    public static String listing(List<BpfInstruction> program) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < program.size(); i++) {
            out.append(String.format("%3d: %s%n", i, program.get(i)));
        }
        return out.toString();
    }
}
