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
        ENGINE("chapter 1, warm engine (JMH)", "engine"),
        CHAPTER2("chapter 2, warm engine (JMH)", "chapter 2"),
        CHAPTER3("chapters 2 and 3, warm engine (paired)", "engine"),
        CHAPTER4("chapters 3 and 4, warm engine (paired)", "start"),
        COPY_UP("first write to a 100 MiB file, and a copy of it", "write"),
        BUILD("jbox build, cold and warm cache", "build"),
        EXTRACT("layer extraction", "unpack"),
        NETWORK("networking step, warm engine (JMH)", "network"),
        PROCESS("whole process", "process"),
        PEER("peer, whole process", "process"),
        WARM_PEER("peer, warm daemon (API)", "daemon"),
        VM("VM boot", "VM");

        final String title;
        /** How a chart names a row of this group: "engine: chapter1Jail". */
        final String prefix;

        Group(String title, String prefix) {
            this.title = title;
            this.prefix = prefix;
        }
    }

    String chartLabel() {
        return group.prefix + ": " + name;
    }
}
