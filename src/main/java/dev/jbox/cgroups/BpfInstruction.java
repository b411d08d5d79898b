package dev.jbox.cgroups;

/**
 * One eBPF instruction, {@code struct bpf_insn} of include/uapi/linux/bpf.h: an 8-bit opcode, a
 * destination and a source register (4 bits each), a signed 16-bit offset and a signed 32-bit
 * immediate, 8 bytes in the machine's byte order (little-endian on x86-64 and arm64).
 *
 * <p>Only the few instructions a device filter needs are here. Each factory is named after what
 * the instruction does, and {@link #toString()} prints it the way the kernel's verifier log does.
 */
public record BpfInstruction(int opcode, int dst, int src, int offset, int imm) {
    // Opcode = instruction class | operation | source (K: the immediate, X: a register).
    private static final int LDX = 0x01, ALU32 = 0x04, JMP = 0x05;
    private static final int MEM_WORD = 0x60, AND = 0x50, RSH = 0x70, MOV = 0xb0;
    private static final int JEQ = 0x10, JNE = 0x50, EXIT = 0x90;
    private static final int K = 0x00, X = 0x08;

    public BpfInstruction {
        if (dst < 0 || dst > 10 || src < 0 || src > 10) {
            throw new IllegalArgumentException("eBPF has registers r0 to r10");
        }
        if (offset < Short.MIN_VALUE || offset > Short.MAX_VALUE) {
            throw new IllegalArgumentException("jump too far: " + offset);
        }
    }

    /** {@code dst = *(u32 *)(src + offset)}: reads a 32-bit field of the context the kernel passes in r1. */
    public static BpfInstruction loadWord(int dst, int src, int offset) {
        return new BpfInstruction(LDX | MEM_WORD, dst, src, offset, 0);
    }

    /** {@code dst &= imm} (32-bit). */
    public static BpfInstruction and(int dst, int imm) {
        return new BpfInstruction(ALU32 | AND | K, dst, 0, 0, imm);
    }

    /** {@code dst >>= imm} (32-bit, unsigned). */
    public static BpfInstruction shiftRight(int dst, int imm) {
        return new BpfInstruction(ALU32 | RSH | K, dst, 0, 0, imm);
    }

    /** {@code dst = imm} (32-bit). */
    public static BpfInstruction move(int dst, int imm) {
        return new BpfInstruction(ALU32 | MOV | K, dst, 0, 0, imm);
    }

    /** {@code dst = src} (32-bit). */
    public static BpfInstruction moveRegister(int dst, int src) {
        return new BpfInstruction(ALU32 | MOV | X, dst, src, 0, 0);
    }

    /** {@code if dst != imm goto +skip}: skips the next {@code skip} instructions. */
    public static BpfInstruction jumpIfNotEqual(int dst, int imm, int skip) {
        return new BpfInstruction(JMP | JNE | K, dst, 0, skip, imm);
    }

    /** {@code if dst != src goto +skip}. */
    public static BpfInstruction jumpIfNotEqualRegister(int dst, int src, int skip) {
        return new BpfInstruction(JMP | JNE | X, dst, src, skip, 0);
    }

    /** {@code if dst == imm goto +skip}. */
    public static BpfInstruction jumpIfEqual(int dst, int imm, int skip) {
        return new BpfInstruction(JMP | JEQ | K, dst, 0, skip, imm);
    }

    /** {@code exit}: the program's answer is in r0. */
    public static BpfInstruction exit() {
        return new BpfInstruction(JMP | EXIT, 0, 0, 0, 0);
    }

    /** The same instruction jumping {@code skip} instructions ahead, for jumps whose target is known later. */
    public BpfInstruction withOffset(int skip) {
        return new BpfInstruction(opcode, dst, src, skip, imm);
    }

    public boolean isJump() {
        return (opcode & 0x07) == JMP && (opcode & 0xf0) != EXIT;
    }

    /** The 8 bytes of {@code struct bpf_insn}, little-endian. */
    public void encode(byte[] into, int at) {
        into[at] = (byte) opcode;
        into[at + 1] = (byte) ((src << 4) | dst);
        into[at + 2] = (byte) offset;
        into[at + 3] = (byte) (offset >> 8);
        for (int i = 0; i < 4; i++) {
            into[at + 4 + i] = (byte) (imm >> (8 * i));
        }
    }

    @Override
    public String toString() {
        String d = "r" + dst, s = "r" + src;
        return switch (opcode) {
            case LDX | MEM_WORD -> d + " = *(u32 *)(" + s + " + " + offset + ")";
            case ALU32 | AND | K -> "w" + dst + " &= " + (imm > 9 ? "0x" + Integer.toHexString(imm) : imm);
            case ALU32 | RSH | K -> "w" + dst + " >>= " + imm;
            case ALU32 | MOV | K -> "w" + dst + " = " + imm;
            case ALU32 | MOV | X -> "w" + dst + " = w" + src;
            case JMP | JNE | K -> "if " + d + " != " + imm + " goto +" + offset;
            case JMP | JNE | X -> "if " + d + " != " + s + " goto +" + offset;
            case JMP | JEQ | K -> "if " + d + " == " + imm + " goto +" + offset;
            case JMP | EXIT -> "exit";
            default -> String.format("opcode 0x%02x", opcode);
        };
    }
}
