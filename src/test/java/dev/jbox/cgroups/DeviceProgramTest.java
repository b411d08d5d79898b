package dev.jbox.cgroups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The device program, run by a small interpreter of the instructions it uses: the same
 * questions the kernel asks (type, access, major, minor) get the answers v1's rules would give.
 * DeviceProgramIT loads it into the real kernel.
 */
class DeviceProgramTest {
    private static final int BLOCK = 1, CHAR = 2;
    private static final int MKNOD = 1, READ = 2, WRITE = 4;

    @Test
    void instructionsAreEncodedAsStructBpfInsn() {
        byte[] bytes = new byte[8];
        BpfInstruction.loadWord(2, 1, 4).encode(bytes, 0);
        assertThat(bytes).containsExactly(0x61, 0x12, 4, 0, 0, 0, 0, 0); // dst in the low nibble, src in the high
        BpfInstruction.jumpIfNotEqual(4, 200, 3).encode(bytes, 0);
        assertThat(bytes).containsExactly(0x55, 0x04, 3, 0, 200, 0, 0, 0);
        BpfInstruction.and(2, 0xffff).encode(bytes, 0);
        assertThat(bytes).containsExactly(0x54, 0x02, 0, 0, 0xff, 0xff, 0, 0);
        BpfInstruction.exit().encode(bytes, 0);
        assertThat(bytes).containsExactly(0x95, 0, 0, 0, 0, 0, 0, 0);
        BpfInstruction.jumpIfNotEqual(4, -1, -2).encode(bytes, 0);
        assertThat(bytes).containsExactly(0x55, 0x04, 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff);
    }

    @Test
    void theListingReadsLikeTheVerifiersLog() {
        // tag::listing[]
        List<BpfInstruction> program = DeviceProgram.assemble(List.of(
                DeviceRule.deny("a", null, null, "rwm"), DeviceRule.allow("c", 1L, 3L, "rwm")));
        assertThat(DeviceProgram.listing(program)).isEqualTo("""
                  0: r2 = *(u32 *)(r1 + 0)
                  1: w2 &= 0xffff
                  2: r3 = *(u32 *)(r1 + 0)
                  3: w3 >>= 16
                  4: r4 = *(u32 *)(r1 + 4)
                  5: r5 = *(u32 *)(r1 + 8)
                  6: if r2 != 2 goto +4
                  7: if r4 != 1 goto +3
                  8: if r5 != 3 goto +2
                  9: w0 = 1
                 10: exit
                 11: w0 = 0
                 12: exit
                """);
        // end::listing[]
    }

    @Test
    void dockersDefaultsLetTheUsualDevicesBeUsedAndAnyNodeBeMadeButNotOpened() {
        List<BpfInstruction> program = DeviceProgram.assemble(DeviceRule.DOCKER_DEFAULTS);
        for (int minor : new int[] {3, 5, 7, 8, 9}) {
            assertThat(run(program, CHAR, READ | WRITE, 1, minor)).as("c 1:%d rw", minor).isTrue();
        }
        assertThat(run(program, CHAR, READ | WRITE, 136, 4)).as("a pty").isTrue();
        assertThat(run(program, CHAR, READ, 5, 2)).as("ptmx").isTrue();
        assertThat(run(program, CHAR, MKNOD, 1, 1)).as("mknod /dev/mem").isTrue();
        assertThat(run(program, CHAR, READ, 1, 1)).as("read /dev/mem").isFalse();
        assertThat(run(program, BLOCK, MKNOD, 254, 0)).as("mknod a disk").isTrue();
        assertThat(run(program, BLOCK, READ, 254, 0)).as("read a disk").isFalse();
        assertThat(run(program, BLOCK, WRITE, 8, 0)).as("write a disk").isFalse();
        assertThat(run(program, CHAR, READ | WRITE, 10, 229)).as("/dev/fuse").isFalse();
        assertThat(run(program, CHAR, READ | WRITE, 4, 1)).as("a virtual console").isFalse();
    }

    @Test
    void aRuleMatchingEverythingEndsTheProgramSoTheVerifierFindsNoDeadCode() {
        List<BpfInstruction> program = DeviceProgram.assemble(DeviceRule.DOCKER_DEFAULTS);
        assertThat(program.subList(program.size() - 2, program.size()))
                .containsExactly(BpfInstruction.move(0, 0), BpfInstruction.exit());
        assertThat(program.stream().filter(i -> i.equals(BpfInstruction.move(0, 0))).count()).as("deny answers").isEqualTo(2);
    }

    @Test
    void withoutRulesEverythingIsAllowedAsInAFreshV1Cgroup() {
        List<BpfInstruction> program = DeviceProgram.assemble(List.of());
        assertThat(program).hasSize(8);
        assertThat(run(program, BLOCK, READ | WRITE | MKNOD, 8, 0)).isTrue();
    }

    @Test
    void anAllowRuleMustCoverEveryAccessAskedFor() {
        List<BpfInstruction> program = DeviceProgram.assemble(List.of(
                DeviceRule.deny("a", null, null, "rwm"), DeviceRule.allow("c", 1L, 3L, "rw")));
        assertThat(run(program, CHAR, READ, 1, 3)).isTrue();
        assertThat(run(program, CHAR, READ | WRITE, 1, 3)).isTrue();
        assertThat(run(program, CHAR, MKNOD, 1, 3)).isFalse();
        assertThat(run(program, CHAR, READ, 1, 4)).isFalse();
        assertThat(run(program, BLOCK, READ, 1, 3)).as("same numbers, other type").isFalse();
    }

    @Test
    void aDenyRuleDeniesIfItCoversAnyAccessAskedFor() {
        List<BpfInstruction> program = DeviceProgram.assemble(List.of(
                DeviceRule.allow("a", null, null, "rwm"), DeviceRule.deny("c", 1L, 3L, "w")));
        assertThat(run(program, CHAR, READ, 1, 3)).isTrue();
        assertThat(run(program, CHAR, WRITE, 1, 3)).isFalse();
        assertThat(run(program, CHAR, READ | WRITE, 1, 3)).isFalse();
        assertThat(run(program, CHAR, WRITE, 1, 5)).isTrue();
    }

    @Test
    void theLastMatchingRuleDecides() {
        List<BpfInstruction> program = DeviceProgram.assemble(List.of(
                DeviceRule.deny("a", null, null, "rwm"),
                DeviceRule.allow("c", 1L, null, "rwm"),
                DeviceRule.deny("c", 1L, 1L, "rwm")));
        assertThat(run(program, CHAR, READ, 1, 5)).isTrue();
        assertThat(run(program, CHAR, READ, 1, 1)).isFalse();
    }

    @Test
    void badRulesAreRefusedWhenMade() {
        assertThatThrownBy(() -> DeviceRule.allow("x", 1L, 3L, "rwm")).hasMessageContaining("type 'x' is not a, b or c");
        assertThatThrownBy(() -> DeviceRule.allow("c", 1L, 3L, "rx")).hasMessageContaining("combination of r, w and m");
        assertThatThrownBy(() -> DeviceRule.allow("c", 1L, 3L, "")).hasMessageContaining("combination of r, w and m");
        assertThatThrownBy(() -> DeviceRule.allow("c", -1L, 3L, "r")).hasMessageContaining("negative");
    }

    @Test
    void rulesReadAsV1WritesThem() {
        assertThat(DeviceRule.allow("c", 136L, null, "rwm").v1Line()).isEqualTo("c 136:* rwm");
        assertThat(DeviceRule.allow("b", null, null, "m").v1Line()).isEqualTo("b *:* m");
        assertThat(DeviceRule.deny("a", null, null, "rwm").v1Line()).isEqualTo("a");
    }

    /**
     * Runs {@code program} on one access as the kernel would, for the instructions DeviceProgram
     * uses; fails on anything the verifier would refuse (backward jumps, running off the end).
     */
    static boolean run(List<BpfInstruction> program, int type, int access, int major, int minor) {
        long[] context = {((long) access << 16) | type, major, minor};
        long[] r = new long[11];
        boolean r1IsContext = true;
        for (int pc = 0; pc < program.size(); pc++) {
            BpfInstruction i = program.get(pc);
            int d = i.dst();
            long imm = i.imm(), u32 = 0xffffffffL;
            switch (i.opcode()) {
                case 0x61 -> {
                    assertThat(i.src() == 1 && r1IsContext).as("loads only from the context").isTrue();
                    r[d] = context[i.offset() / 4];
                }
                case 0x54 -> r[d] = r[d] & imm & u32;
                case 0x74 -> r[d] = (r[d] & u32) >>> imm;
                case 0xb4 -> r[d] = imm & u32;
                case 0xbc -> r[d] = r[i.src()] & u32;
                case 0x55 -> pc += r[d] != imm ? i.offset() : 0;
                case 0x5d -> pc += r[d] != r[i.src()] ? i.offset() : 0;
                case 0x15 -> pc += r[d] == imm ? i.offset() : 0;
                case 0x95 -> {
                    return r[0] == 1;
                }
                default -> throw new AssertionError("unexpected instruction " + i);
            }
            if (d == 1 && i.opcode() != 0x55 && i.opcode() != 0x5d && i.opcode() != 0x15) {
                r1IsContext = false;
            }
            assertThat(i.offset()).as("jumps go forward").isGreaterThanOrEqualTo(0);
        }
        throw new AssertionError("the program ran off its end");
    }
}
