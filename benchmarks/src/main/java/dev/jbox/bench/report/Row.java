package dev.jbox.bench.report;

import dev.jbox.bench.Stats;

/**
 * One measured thing in the report, in milliseconds.
 *
 * @param group   which piece measured it: {@link Group}
 * @param name    the short name in the result file
 * @param label   what it is, for people
 * @param stats   its samples summarised
 */
record Row(Group group, String name, String label, Stats stats) {
    enum Group {
        ENGINE("warm engine (JMH)"),
        PROCESS("whole process"),
        VM("VM boot");

        final String title;

        Group(String title) {
            this.title = title;
        }
    }
}
