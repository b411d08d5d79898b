package dev.jbox.cgroups;

/** Which cgroup interface the machine offers: one hierarchy per controller (v1) or one tree for all (v2). */
public enum CgroupVersion {
    V1, V2
}
