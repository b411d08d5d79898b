package dev.jbox.volumes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jbox.JboxException;
import dev.jbox.spec.ContainerSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Chapter 4: --user resolved against an image's /etc/passwd and /etc/group as runc resolves it. */
class ContainerUserTest {
    private static final String PASSWD = "root:x:0:0:root:/root:/bin/sh\n"
            + "app:x:1000:1000:App:/home/app:/bin/sh\n"
            + "# a comment\n"
            + "broken line\n"
            + "nobody:x:65534:65534:nobody:/nonexistent:/bin/false\n";
    private static final String GROUP = "root:x:0:\nwheel:x:10:root,app\napp:x:1000:\naudio:x:29:app\nnogroup:x:65534:\n";

    private static ContainerSpec.User ids(String user) {
        return ContainerUser.resolve(user, PASSWD, GROUP).ids();
    }

    @Test
    void aNameGivesItsIdsItsGroupsAndItsHome() {
        ContainerUser app = ContainerUser.resolve("app", PASSWD, GROUP);
        assertThat(app.ids()).isEqualTo(new ContainerSpec.User(1000, 1000, List.of(1000, 10, 29)));
        assertThat(app.home()).isEqualTo("/home/app");
    }

    @Test
    void aKnownNumberIsTheUserOfThatNumberAndAnUnknownOneStandsAlone() {
        assertThat(ids("1000")).isEqualTo(new ContainerSpec.User(1000, 1000, List.of(1000, 10, 29)));
        assertThat(ContainerUser.resolve("4242", PASSWD, GROUP))
                .isEqualTo(new ContainerUser(new ContainerSpec.User(4242, 0, List.of(0)), "/"));
        assertThat(ids("4242:77")).isEqualTo(new ContainerSpec.User(4242, 77, List.of(77)));
    }

    @Test
    void aGroupByNameOrNumberReplacesThePrimaryOne() {
        assertThat(ids("app:audio")).isEqualTo(new ContainerSpec.User(1000, 29, List.of(29, 10)));
        assertThat(ids("nobody:5")).isEqualTo(new ContainerSpec.User(65534, 5, List.of(5)));
        assertThat(ids("root")).isEqualTo(new ContainerSpec.User(0, 0, List.of(0, 10)));
    }

    @Test
    void noPasswdFileStillTakesNumbers() {
        assertThat(ContainerUser.resolve("7:8", "", "").ids()).isEqualTo(new ContainerSpec.User(7, 8, List.of(8)));
    }

    @Test
    void unknownNamesAndBadSpellingsAreRefused() {
        assertThatThrownBy(() -> ids("ghost")).isInstanceOf(JboxException.class).hasMessageContaining("no user 'ghost'");
        assertThatThrownBy(() -> ids("app:ghosts")).isInstanceOf(JboxException.class).hasMessageContaining("no group 'ghosts'");
        assertThatThrownBy(() -> ids("app:")).isInstanceOf(JboxException.class).hasMessageContaining("USER[:GROUP]");
        assertThatThrownBy(() -> ids(":0")).isInstanceOf(JboxException.class).hasMessageContaining("USER[:GROUP]");
        assertThatThrownBy(() -> ids("99999999999")).isInstanceOf(JboxException.class).hasMessageContaining("no user");
    }
}
